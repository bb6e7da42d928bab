"""Completeness by crew member, for managers only: the clinical audit lead across their scope, a line manager
for their own station. A crew member is an author of the month's final and amended records at the stations
in scope (a record with two authors counts for each). Small counts are hidden as on the overview, per crew
member: their records when from 1 to one below the threshold, and those missing an element when that count
or the complete ones would be as small. Rows are in name order, never ranked."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from candour.core import suppression
from candour.core.measures import Period
from candour.people.models import Person
from candour.records.access import VIEW_CREW_COMPLETENESS
from candour.records.models import PatientRecord, RecordAuthor
from candour.records.queries.completeness import finished_in
from candour.records.queries.scoping import in_scope


@dataclass(frozen=True)
class CrewRow:
    staff_number: str
    name: str
    records: int | None
    incomplete: int | None

    @property
    def share_complete(self) -> int | None:
        if self.records is None or self.incomplete is None or not self.records:
            return None
        return round(100 * (self.records - self.incomplete) / self.records)


def _finished(user, month: Period) -> QuerySet[PatientRecord]:
    where = in_scope(user, VIEW_CREW_COMPLETENESS, "station")
    if where is None:
        return PatientRecord.objects.none()
    return finished_in(PatientRecord.objects.filter(where), month)


def _by_author(records: QuerySet[PatientRecord]) -> dict[str, int]:
    return dict(
        RecordAuthor.objects.filter(record_reference__in=records.values("record_id"))
        .values("staff_number")
        .annotate(records=Count("pk"))
        .values_list("staff_number", "records")
    )


def crew_completeness(user, month: Period) -> list[CrewRow]:
    """Each crew member's finished records of the month in the user's scope, and how many miss an element."""
    records = _finished(user, month)
    totals = _by_author(records)
    gaps = _by_author(records.filter(complete=False))
    names = {
        person.staff_number: person.full_name
        for person in Person.objects.filter(staff_number__in=list(totals)).only(
            "staff_number", "given_name", "family_name"
        )
    }
    rows = []
    for number, total in totals.items():
        gap = gaps.get(number, 0)
        too_few = suppression.is_small(total)
        rows.append(
            CrewRow(
                staff_number=number,
                name=names.get(number, f"Staff number {number} (not known to Candour)"),
                records=None if too_few else total,
                incomplete=None
                if too_few or suppression.is_small(gap) or suppression.is_small(total - gap)
                else gap,
            )
        )
    return sorted(rows, key=lambda row: (row.name.split()[-1:], row.name, row.staff_number))


def crew_records(
    user, month: Period, staff_number: str, *, incomplete: bool = False
) -> QuerySet[PatientRecord]:
    """The records one figure of the crew page counts: a crew member's finished records of the month."""
    records = _finished(user, month).filter(
        record_id__in=RecordAuthor.objects.filter(staff_number=staff_number).values("record_reference")
    )
    if incomplete:
        records = records.filter(complete=False)
    return records.select_related("station").order_by("started_at", "record_id")
