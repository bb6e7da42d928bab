"""Fixtures for the records tests: a trust with two stations, clinicians and non-clinical staff, and CSV
files built from rows."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from candour.people.models import JobRole, OrgUnit, Person, ProfessionalGroup
from candour.records.models import ElementSet
from candour.records.reference import ensure_default_element_set
from tests.support.factories import AreaFactory, PersonFactory, StationFactory


@pytest.fixture(autouse=True)
def _default_element_set(db):
    # A flush by a transactional test elsewhere on this worker removes what the migration put there.
    ensure_default_element_set(ElementSet)


# The record index feed's header, and every element of the default patient care record set, for its rows.
INDEX = (
    "record_id,incident_reference,record_type,status,created_at,finalised_at,authors,station,medium,provider,"
    "elements_present,patient_staff_number,nhs_number"
)
ALL_ELEMENTS = "observations_two_sets;news2;pain_score;safeguarding_question;capacity_consent;" + (
    "medicines_given;conveyance_decision;handover_time;nhs_number_or_reason"
)


def csv_file(header: str, *rows: str) -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\n" for line in (header, *rows)).encode())


def problems(result) -> list[str]:
    return [str(error) for error in result.errors]


@dataclass
class RecordsTrust:
    trust: OrgUnit
    north: OrgUnit
    south: OrgUnit
    paramedic: Person
    crewmate: Person
    clerk: Person


@pytest.fixture
def records_trust(db) -> RecordsTrust:
    """Northmoor with stations NTH and STH; a paramedic (P100) and crewmate (P101) at NTH, and a records
    clerk in no clinical role (C200) at STH."""
    area = AreaFactory()
    north = StationFactory(parent=area, code="NTH", name="North")
    south = StationFactory(parent=area, code="STH", name="South")
    clerk_role = JobRole.objects.get_or_create(
        code="records_clerk",
        defaults={
            "name": "Records clerk",
            "professional_group": ProfessionalGroup.ADMIN_CLERICAL,
            "is_clinical": False,
        },
    )[0]
    return RecordsTrust(
        trust=area.parent,
        north=north,
        south=south,
        paramedic=PersonFactory(staff_number="P100", station=north),
        crewmate=PersonFactory(staff_number="P101", station=north),
        clerk=PersonFactory(staff_number="C200", station=south, job_role=clerk_role),
    )
