"""A small trust for briefing tests, imported explicitly by each test module that needs it.

Northshire: area A (stations A1, A2) and area B (station B1); a second trust nobody here can see.
Paramedics and technicians work at the stations; the leads are senior leaders, so a briefing to
paramedics never reaches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from candour.learning.models import Briefing
from candour.learning.services import briefings as services
from candour.people.models import JobRole, OrgUnit, ProfessionalGroup, User
from candour.people.roles import Role
from tests.support.factories import AreaFactory, JobRoleFactory, PersonFactory, StationFactory, make_user


@dataclass
class Northshire:
    trust: OrgUnit
    area_a: OrgUnit
    area_b: OrgUnit
    a1: OrgUnit
    a2: OrgUnit
    b1: OrgUnit
    other_station: OrgUnit
    paramedic_role: JobRole
    technician_role: JobRole
    lead: User  # education lead over the trust
    area_lead: User  # education lead over area A only
    other_lead: User  # safeguarding lead of the other trust
    paramedic: User  # at A1
    technician: User  # at A1
    paramedic_b: User  # at B1
    outsider: User  # staff in the other trust


def senior_leader() -> JobRole:
    return JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )


@pytest.fixture
def northshire(db) -> Northshire:
    area_a = AreaFactory(name="Area A")
    trust = area_a.parent
    area_b = AreaFactory(name="Area B", parent=trust)
    a1, a2 = StationFactory(name="A1", parent=area_a), StationFactory(name="A2", parent=area_a)
    b1 = StationFactory(name="B1", parent=area_b)
    other_station = StationFactory()
    paramedic_role = JobRoleFactory()
    technician_role = JobRoleFactory(code="emt", name="Emergency medical technician")
    leader = senior_leader()
    return Northshire(
        trust=trust,
        area_a=area_a,
        area_b=area_b,
        a1=a1,
        a2=a2,
        b1=b1,
        other_station=other_station,
        paramedic_role=paramedic_role,
        technician_role=technician_role,
        lead=make_user(Role.EDUCATION_LEAD, trust, job_role=leader),
        area_lead=make_user(Role.EDUCATION_LEAD, area_a, job_role=leader),
        other_lead=make_user(Role.SAFEGUARDING_LEAD, other_station.parent.parent, job_role=leader),
        paramedic=make_user(Role.STAFF, a1, job_role=paramedic_role),
        technician=make_user(Role.STAFF, a1, job_role=technician_role),
        paramedic_b=make_user(Role.STAFF, b1, job_role=paramedic_role),
        outsider=make_user(Role.STAFF, other_station, job_role=paramedic_role),
    )


@pytest.fixture
def publish(northshire):
    """publish(by=lead, **fields) -> Briefing, with a title, a body and a deadline a fortnight away."""

    def publish_(by: User | None = None, **fields) -> Briefing:
        fields.setdefault("title", "Recognising child exploitation on scene")
        fields.setdefault("body", "Look for older friends.\nAsk who the child lives with.")
        fields.setdefault("roles", [])
        fields.setdefault("units", [])
        fields.setdefault("acknowledge_by", timezone.localdate() + dt.timedelta(days=14))
        return services.publish_briefing(by=by or northshire.lead, **fields)

    return publish_


def people_at(station: OrgUnit, role: JobRole, count: int, **fields) -> list:
    """People without a sign-in, as most of a trust's staff are."""
    return [PersonFactory(station=station, job_role=role, **fields) for _ in range(count)]
