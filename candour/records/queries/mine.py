"""A person's own records: their completeness by element in a month, their records missing an element or
still in draft, and the reviews sent to them. Only ever the person's own; nobody sees a colleague's named
figures here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from candour.core.measures import Period
from candour.people.models import Person
from candour.records.models import (
    PATIENT_CARE_RECORD,
    PatientRecord,
    RecordAuthor,
    RecordReview,
    RecordStatus,
)
from candour.records.queries.completeness import ElementRow, element_sums, finished_in, missing_element
from candour.records.services import element_set_on

DRAFTS, INCOMPLETE = "drafts", "incomplete"


@dataclass(frozen=True)
class MyRecords:
    """One person's month: their finished records, how many miss an element and which, and what waits for
    them (drafts of any month, reviews to acknowledge)."""

    month: Period
    so_far: bool
    records: int
    incomplete: int
    elements: list[ElementRow]
    drafts: int
    reviews_to_acknowledge: int


def own_records(person) -> QuerySet[PatientRecord]:
    """The records the person is an author of."""
    if person is None:
        return PatientRecord.objects.none()
    written = RecordAuthor.objects.filter(staff_number=person.staff_number).values("record_reference")
    return PatientRecord.objects.filter(record_id__in=written)


def my_records(person, month: Period, today: dt.date | None = None) -> MyRecords:
    """The person's completeness for the month by element, the sums done in the database."""
    today = today or timezone.localdate()
    element_set = element_set_on(PATIENT_CARE_RECORD, month.last_day)
    elements = element_set.elements if element_set else []
    sums = element_sums(finished_in(own_records(person), month), elements)
    return MyRecords(
        month=month,
        so_far=month.end > today,
        records=sums["records"],
        incomplete=sums["incomplete"],
        elements=[
            ElementRow(e["code"], e["label"], sums[f"measured_{e['code']}"], sums[f"missing_{e['code']}"])
            for e in elements
        ],
        drafts=own_records(person).filter(status=RecordStatus.DRAFT).count(),
        reviews_to_acknowledge=reviews_to_acknowledge(person).count(),
    )


def my_records_behind(person, *, month: Period, show: str = "", missing: str = "") -> QuerySet[PatientRecord]:
    """The person's records a number on their page counts: drafts of any month, or the month's finished
    records (all, missing an element, or missing this one), oldest first."""
    records = own_records(person)
    if show == DRAFTS:
        records = records.filter(status=RecordStatus.DRAFT)
    else:
        records = finished_in(records, month)
        if missing:
            records = missing_element(records, month, missing)
        elif show == INCOMPLETE:
            records = records.filter(complete=False)
    return records.order_by("started_at", "record_id")


def reviews_to_acknowledge(person) -> QuerySet[RecordReview]:
    """Reviews sent to the person and not yet acknowledged, oldest first."""
    if person is None:
        return RecordReview.objects.none()
    return (
        RecordReview.objects.filter(clinician=person, acknowledged_at__isnull=True)
        .select_related("record", "sent_by__person")
        .order_by("created_at")
    )


def acknowledged_reviews(person) -> QuerySet[RecordReview]:
    """Reviews the person has acknowledged, newest first."""
    if person is None:
        return RecordReview.objects.none()
    return (
        RecordReview.objects.filter(clinician=person, acknowledged_at__isnull=False)
        .select_related("record", "sent_by__person")
        .order_by("-acknowledged_at")
    )


def my_review(person, public_id) -> RecordReview | None:
    """One review sent to the person, or None."""
    if person is None:
        return None
    return RecordReview.objects.filter(clinician=person, public_id=public_id).select_related("record").first()


@dataclass(frozen=True)
class ReviewChoices:
    """What a review of a record can name: its authors known to Candour, and the elements it is missing
    (code, label)."""

    authors: list[Person]
    missing: list[tuple[str, str]]


def review_choices(record: PatientRecord) -> ReviewChoices:
    """The authors and missing elements a review of the record can be about."""
    authors = Person.objects.filter(staff_number__in=record.authors).order_by("family_name", "given_name")
    element_set = element_set_on(record.record_type, timezone.localtime(record.started_at).date())
    labels = {element["code"]: element["label"] for element in element_set.elements} if element_set else {}
    missing = [(code, labels.get(code, code)) for code, present in record.completeness.items() if not present]
    return ReviewChoices(list(authors), missing)


def reviews_of(record: PatientRecord) -> list[RecordReview]:
    """The reviews sent about a record, newest first, for the record's page."""
    return list(record.reviews.select_related("clinician", "sent_by__person").order_by("-created_at"))
