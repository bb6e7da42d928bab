"""The records objects the URL x role walk (tests/test_every_url.py) visits: one in the walking users' trust
and one outside it, for each kind of page that takes an object."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candour.people.roles import Role
from candour.records.models import (
    AccessAlert,
    CustodyEvent,
    CustodyStep,
    ElementSet,
    Medium,
    PatientRecord,
    RecordAuthor,
    RecordReview,
)
from candour.records.reference import ensure_default_element_set
from tests.support.factories import PersonFactory, make_user


def _paper_record(station) -> str:
    """A final paper record at the station, with an NHS number, completed on scene and never received."""
    started = timezone.now() - dt.timedelta(days=10)
    record = PatientRecord.objects.create(
        record_id=f"WALK-{station.code}",
        incident_reference="INC-WALK",
        status="final",
        started_at=started,
        finalised_at=started,
        authors=["WALK1"],
        station=station,
        medium=Medium.PAPER,
        completeness={"news2": True, "pain_score": False},
        nhs_number="9434765919",
    )
    RecordAuthor.objects.create(record_reference=record.record_id, staff_number="WALK1")
    CustodyEvent.objects.create(
        record_reference=record.record_id,
        step=CustodyStep.COMPLETED_ON_SCENE,
        by_staff_number="WALK1",
        occurred_at=started,
    )
    return str(record.public_id)


def _access_alert(station) -> str:
    """An open access alert on someone at the station."""
    alert = AccessAlert.objects.create(
        rule="print_export",
        key=f"walk|{station.code}",
        staff_number="WALK2",
        record_reference=f"WALK-{station.code}",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        unit=station,
    )
    return str(alert.public_id)


def _record_review(station) -> str:
    """A review, not yet acknowledged, of the station's paper record, sent to its author."""
    record = PatientRecord.objects.get(record_id=f"WALK-{station.code}")
    review = RecordReview.objects.create(
        record=record,
        clinician=PersonFactory(staff_number=f"WALK1-{station.code}", station=station),
        missing=["pain_score"],
        why="Without a pain score the next clinician cannot tell whether analgesia worked.",
        sent_by=make_user(Role.CLINICAL_AUDIT_LEAD, station.parent.parent),
    )
    return str(review.public_id)


def _once(world, name: str, make) -> tuple[str, str]:
    # Every page that takes the object asks for it; the world makes each once.
    key = f"_records_{name}"
    if key not in world.__dict__:
        world.__dict__[key] = (make(world.station), make(world.other_trust_station))
    return world.__dict__[key]


def paper_records(world) -> tuple[str, str]:
    return _once(world, "record", _paper_record)


def access_alerts(world) -> tuple[str, str]:
    return _once(world, "alert", _access_alert)


def record_reviews(world) -> tuple[str, str]:
    paper_records(world)
    return _once(world, "review", _record_review)


def element_sets(world) -> tuple[str, None]:
    """The patient care record's default set: the trust's reference data, with nothing outside scope."""
    ensure_default_element_set(ElementSet)
    return (str(ElementSet.objects.order_by("version").first().public_id), None)
