"""Completeness of finished records (final or amended) by mandatory element and by station, for one month,
with the records behind every number. Counts of records too small to show are hidden (core.suppression)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from candour.core import suppression
from candour.core.measures import Period
from candour.core.months import add_months
from candour.records.access import VIEW_RECORDS
from candour.records.models import PATIENT_CARE_RECORD, PatientRecord, RecordStatus
from candour.records.queries.scoping import in_scope
from candour.records.services import element_set_on

LONDON = zoneinfo.ZoneInfo("Europe/London")
ALL = "all"


@dataclass(frozen=True)
class ElementRow:
    """One element: of the records measured against it, how many have it and how many miss it (None when
    hidden as too few)."""

    code: str
    label: str
    measured: int | None
    missing: int | None

    @property
    def share_present(self) -> int | None:
        if not self.measured or self.missing is None:
            return None
        return round(100 * (self.measured - self.missing) / self.measured)


@dataclass(frozen=True)
class StationRow:
    station_id: str
    name: str
    records: int | None
    incomplete: int | None


@dataclass(frozen=True)
class Completeness:
    month: Period
    so_far: bool
    records: int | None
    incomplete: int | None
    elements: list[ElementRow]
    stations: list[StationRow]


def month_starting(value: str, today: dt.date) -> Period:
    """The month a page asks for (YYYY-MM), or the last complete one; never after the month under way."""
    last_complete = add_months(today.replace(day=1), -1)
    try:
        asked = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        asked = last_complete
    asked = min(asked, today.replace(day=1))
    return Period.month(asked.year, asked.month)


def created_in(records: QuerySet[PatientRecord], month: Period) -> QuerySet[PatientRecord]:
    """Of these records, those created in the month (UK time)."""
    start = dt.datetime.combine(month.start, dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(month.end, dt.time(), tzinfo=LONDON)
    return records.filter(started_at__gte=start, started_at__lt=end)


def finished_in(records: QuerySet[PatientRecord], month: Period) -> QuerySet[PatientRecord]:
    """Of these records, the final and amended ones created in the month (UK time)."""
    return created_in(records, month).filter(status__in=[RecordStatus.FINAL, RecordStatus.AMENDED])


def finished_records(user, month: Period) -> QuerySet[PatientRecord]:
    """Final and amended records created in the month (UK time), in the user's scope."""
    where = in_scope(user, VIEW_RECORDS, "station")
    if where is None:
        return PatientRecord.objects.none()
    return finished_in(PatientRecord.objects.filter(where), month)


def missing_element(records: QuerySet[PatientRecord], month: Period, code: str) -> QuerySet[PatientRecord]:
    """Of these records, those missing the element; none when the month's set has no such element."""
    known = element_set_on(PATIENT_CARE_RECORD, month.last_day)
    if known is None or code not in known.codes:
        return PatientRecord.objects.none()
    return records.filter(**{f"completeness__{code}": False})


def element_sums(records: QuerySet[PatientRecord], elements: list[dict]) -> dict[str, int]:
    """Records, incomplete ones, and per element how many were measured against it and miss it."""
    return records.aggregate(
        records=Count("pk"),
        incomplete=Count("pk", filter=Q(complete=False)),
        **{f"measured_{e['code']}": Count("pk", filter=Q(completeness__has_key=e["code"])) for e in elements},
        **{
            f"missing_{e['code']}": Count("pk", filter=Q(**{f"completeness__{e['code']}": False}))
            for e in elements
        },
    )


def element_rows(sums: dict[str, int], elements: list[dict]) -> list[ElementRow]:
    """Each element's row from `element_sums`, its missing count hidden when it or what it gives back is
    small."""
    rows = []
    for element in elements:
        measured, missing = sums[f"measured_{element['code']}"], sums[f"missing_{element['code']}"]
        too_few = any(suppression.is_small(count) for count in (measured, missing, measured - missing))
        rows.append(ElementRow(element["code"], element["label"], measured, None if too_few else missing))
    return rows


def records_behind(
    user,
    *,
    month: Period,
    station: str = "",
    missing: str = "",
    incomplete: bool = False,
    area: str = "",
):
    """The records a number on the overview or the completeness by area page counts."""
    records = finished_records(user, month).select_related("station")
    if area:
        records = (
            records.filter(station__isnull=True)
            if area == "none"
            else records.filter(station__parent__public_id=area)
        )
    if station:
        records = (
            records.filter(station__isnull=True)
            if station == "none"
            else records.filter(station__public_id=station)
        )
    if missing:
        records = missing_element(records, month, missing)
    if incomplete:
        records = records.filter(complete=False)
    return records.order_by("started_at", "record_id")


def completeness(user, month: Period, today: dt.date | None = None) -> Completeness:
    """Completeness for the month, by element and by station, the sums done in the database."""
    today = today or timezone.localdate()
    records = finished_records(user, month)
    element_set = element_set_on(PATIENT_CARE_RECORD, month.last_day)
    codes = element_set.elements if element_set else []
    sums = element_sums(records, codes)
    by_station = list(
        records.values("station__public_id", "station__name")
        .annotate(records=Count("pk"), incomplete=Count("pk", filter=Q(complete=False)))
        .order_by("station__name")
    )
    keys = [str(row["station__public_id"]) for row in by_station]
    counts = {ALL: sums["records"], **dict(zip(keys, (row["records"] for row in by_station), strict=True))}
    hidden = suppression.suppress(counts, [(ALL, keys)])
    gaps = {
        ALL: sums["incomplete"],
        **dict(zip(keys, (row["incomplete"] for row in by_station), strict=True)),
    }
    hidden_gaps = suppression.suppress(gaps, [(ALL, keys)])
    elements = element_rows(sums, codes)
    stations = [
        StationRow(
            station_id=key if row["station__public_id"] else "none",
            name=row["station__name"] or "No station (private providers)",
            records=None if key in hidden else row["records"],
            incomplete=None if key in hidden_gaps else row["incomplete"],
        )
        for key, row in zip(keys, by_station, strict=True)
    ]
    so_far = month.end > today
    return Completeness(
        month=month,
        so_far=so_far,
        records=None if ALL in hidden else sums["records"],
        incomplete=None if ALL in hidden_gaps else sums["incomplete"],
        elements=elements,
        stations=stations,
    )
