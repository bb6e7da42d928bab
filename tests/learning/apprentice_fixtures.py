"""A small trust for apprenticeship tests, imported explicitly by each test module that needs it.

Fellbridge: area A (stations A1, A2) and area B (station B1); a second trust nobody here can see. An
apprentice at A1 with a mentor and a line manager there, and the people who look after apprentices: the
education lead over the trust, another over area B only, the safeguarding lead and the guardian.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from candour.learning.models import Apprenticeship, LearningProvider, OffTheJobEntry, ProgressReview
from candour.learning.services.apprenticeships import NewTarget
from candour.people.models import JobRole, OrgUnit, Person, ProfessionalGroup, User
from candour.people.roles import Role
from tests.support.factories import AreaFactory, JobRoleFactory, PersonFactory, StationFactory, make_user

Answer = ProgressReview.Answer
GOOD_ANSWERS = {
    "feels_safe": Answer.YES,
    "witnessed_uncomfortable": Answer.NO,
    "knows_how_to_raise": Answer.YES,
    "knows_safeguarding_contact": Answer.YES,
}
# The rest of a complete review: progress against the standard and the off-the-job discussion.
PROGRESS_ANSWERS = {
    "knowledge_progress": ProgressReview.Progress.ON_TRACK,
    "skills_progress": ProgressReview.Progress.ON_TRACK,
    "behaviours_progress": ProgressReview.Progress.ON_TRACK,
    "off_the_job_discussion": "On track with the hours; a study day booked.",
}


def complete_review(held_on: dt.date) -> dict:
    """What record_review needs, besides the welfare answers, for a review that can be signed off."""
    return {
        **PROGRESS_ANSWERS,
        "targets": [NewTarget("Ten supervised cannulations", held_on + dt.timedelta(days=90))],
    }


@dataclass
class Fellbridge:
    trust: OrgUnit
    area_a: OrgUnit
    area_b: OrgUnit
    a1: OrgUnit
    a2: OrgUnit
    b1: OrgUnit
    other_station: OrgUnit
    apprentice_role: JobRole
    lead: User  # education lead over the trust
    area_b_lead: User  # education lead over area B only
    safeguarding_lead: User
    guardian: User
    line_manager: User  # at A1, the apprentice's line manager
    staff: User  # at A1, no apprentice permissions
    other_lead: User  # education lead of the other trust
    apprentice: User  # at A1
    mentor: Person  # a paramedic at A1
    provider: LearningProvider
    new_provider: LearningProvider
    apprenticeship: Apprenticeship

    @property
    def today(self) -> dt.date:
        return timezone.localdate()


def leader_role() -> JobRole:
    return JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )


def apprentice_role() -> JobRole:
    return JobRoleFactory(
        code="apprentice-aap",
        name="Apprentice associate ambulance practitioner (level 4)",
        professional_group=ProfessionalGroup.STUDENTS,
    )


def make_apprenticeship(person: Person, provider: LearningProvider | None = None, **fields) -> Apprenticeship:
    """An apprenticeship stored directly, started 20 weeks ago, full time, unless told."""
    today = timezone.localdate()
    fields.setdefault("standard", "Associate ambulance practitioner")
    fields.setdefault("level", 4)
    fields.setdefault("start_date", today - dt.timedelta(weeks=20))
    fields.setdefault("planned_end_date", today + dt.timedelta(days=400))
    fields.setdefault("station", person.station)
    fields.setdefault("contracted_hours_per_week", Decimal("37.5"))
    if provider is not None:
        fields["provider"] = provider
    return Apprenticeship.objects.create(person=person, **fields)


def make_apprentice(station: OrgUnit, **fields) -> Person:
    return PersonFactory(station=station, job_role=apprentice_role(), is_apprentice=True, **fields)


def log_hours(apprenticeship: Apprenticeship, hours: str, *, week_starting: dt.date | None = None) -> None:
    OffTheJobEntry.objects.create(
        apprenticeship=apprenticeship,
        week_starting=week_starting or apprenticeship.start_date,
        hours=Decimal(hours),
        activity="University teaching day",
    )


def hold_review(apprenticeship: Apprenticeship, held_on: dt.date, **answers) -> ProgressReview:
    """A review held on a day, answered well unless told, with a target, and signed off by nobody."""
    review = ProgressReview.objects.create(
        apprenticeship=apprenticeship,
        due_on=held_on,
        held_on=held_on,
        progress_summary="Good progress with patient assessments.",
        **(GOOD_ANSWERS | PROGRESS_ANSWERS | answers),
    )
    review.targets.create(description="Ten supervised cannulations", due_on=held_on + dt.timedelta(days=90))
    return review


@pytest.fixture
def fellbridge(db) -> Fellbridge:
    area_a = AreaFactory(name="Area A")
    trust = area_a.parent
    area_b = AreaFactory(name="Area B", parent=trust)
    a1, a2 = StationFactory(name="A1", parent=area_a), StationFactory(name="A2", parent=area_a)
    b1 = StationFactory(name="B1", parent=area_b)
    other_station = StationFactory(name="Elsewhere")
    leader = leader_role()
    line_manager = make_user(Role.LINE_MANAGER, a1, job_role=leader)
    apprentice = make_user(
        Role.APPRENTICE,
        a1,
        job_role=apprentice_role(),
        line_manager=line_manager.person,
        email="apprentice@fellbridge.example",
    )
    mentor = PersonFactory(station=a1, given_name="Morgan", family_name="Mentor")
    provider = LearningProvider.objects.create(name="Northmoor College", ukprn="10000001")
    return Fellbridge(
        trust=trust,
        area_a=area_a,
        area_b=area_b,
        a1=a1,
        a2=a2,
        b1=b1,
        other_station=other_station,
        apprentice_role=apprentice_role(),
        lead=make_user(
            Role.EDUCATION_LEAD, trust, job_role=leader, email="education.lead@fellbridge.example"
        ),
        area_b_lead=make_user(Role.EDUCATION_LEAD, area_b, job_role=leader),
        safeguarding_lead=make_user(Role.SAFEGUARDING_LEAD, trust, job_role=leader),
        guardian=make_user(Role.GUARDIAN, trust, job_role=leader),
        line_manager=line_manager,
        staff=make_user(Role.STAFF, a1),
        other_lead=make_user(Role.EDUCATION_LEAD, other_station.parent.parent, job_role=leader),
        apprentice=apprentice,
        mentor=mentor,
        provider=provider,
        new_provider=LearningProvider.objects.create(name="Pennine Health Academy", ukprn="10000002"),
        apprenticeship=make_apprenticeship(apprentice.person, provider, mentor=mentor),
    )
