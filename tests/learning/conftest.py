"""Fixtures shared by the learning tests. Each area names its own (training_*, ...) so they never clash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from candour.learning.models import Requirement, Subject, TrainingRecord
from candour.learning.services import training
from candour.people.models import JobRole, OrgUnit, ProfessionalGroup, User
from candour.people.roles import Role
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user


@dataclass
class TrainingTrust:
    """Northshire: two areas (A with stations a1 and a2, B with b1); paramedics need safeguarding children
    level 3 (12 hours) and fire safety; dispatchers need safeguarding children level 2 and fire safety."""

    trust: OrgUnit
    area_a: OrgUnit
    area_b: OrgUnit
    a1: OrgUnit
    a2: OrgUnit
    b1: OrgUnit
    paramedic: JobRole
    dispatcher: JobRole
    education_lead: User
    today: dt.date

    def subject(self, code: str) -> Subject:
        return Subject.objects.get(code=code)


@pytest.fixture
def training_trust(db) -> TrainingTrust:
    area_a = AreaFactory(name="Area A")
    area_b = AreaFactory(name="Area B", parent=area_a.parent)
    paramedic = JobRole.objects.create(
        code="paramedic",
        name="Paramedic",
        professional_group=ProfessionalGroup.ALLIED_HEALTH,
        is_clinical=True,
    )
    dispatcher = JobRole.objects.create(
        code="emd", name="Emergency medical dispatcher", professional_group=ProfessionalGroup.ADMIN_CLERICAL
    )
    for role, codes in (
        (paramedic, ["sg-children-3", "cstf-fire"]),
        (dispatcher, ["sg-children-2", "cstf-fire"]),
    ):
        for code in codes:
            Requirement.objects.create(job_role=role, subject=Subject.objects.get(code=code))
    return TrainingTrust(
        trust=area_a.parent,
        area_a=area_a,
        area_b=area_b,
        a1=StationFactory(parent=area_a, name="Station A1"),
        a2=StationFactory(parent=area_a, name="Station A2"),
        b1=StationFactory(parent=area_b, name="Station B1"),
        paramedic=paramedic,
        dispatcher=dispatcher,
        # The lead's own role needs nothing, so counts in tests are only of the people a test makes.
        education_lead=make_user(Role.EDUCATION_LEAD, area_a.parent, job_role=_leader_role()),
        today=dt.date.today(),
    )


def _leader_role() -> JobRole:
    return JobRole.objects.create(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )


@pytest.fixture
def training_person(training_trust):
    """training_person(station=..., job_role=...) -> a Person, a paramedic at a1 unless told."""

    def make(station=None, job_role=None, **fields):
        return PersonFactory(
            station=station or training_trust.a1, job_role=job_role or training_trust.paramedic, **fields
        )

    return make


@pytest.fixture
def training_record(training_trust):
    """training_record(person, code, completed_on, hours=None) -> a stored record, compliance refreshed."""

    def make(person, code: str, completed_on: dt.date, hours: str | None = None) -> TrainingRecord:
        record = TrainingRecord.objects.create(
            person=person,
            subject=training_trust.subject(code),
            completed_on=completed_on,
            hours=Decimal(hours) if hours else None,
        )
        training.refresh_compliance([person.pk])
        return record

    return make
