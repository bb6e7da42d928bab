"""Completeness by area, and within one area by station, by mandatory element and by month, with the records
behind every number. Units only: no person is named here, so there is no league table of colleagues
(completeness by crew member is the managers' own page).

Counts too small to show are hidden (core.suppression). A share complete is a judgement, so it is given
only for a month that is over and from at least `CANDOUR_EVIDENCE_MINIMUM_CASES` records (ADR 0026)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from candour.core import suppression
from candour.core.measures import Period
from candour.people.access import scope_of
from candour.people.models import OrgUnit
from candour.records.access import VIEW_RECORDS
from candour.records.models import PATIENT_CARE_RECORD, PatientRecord
from candour.records.queries.completeness import LONDON, ElementRow, element_rows, element_sums
from candour.records.queries.matching import FINISHED
from candour.records.queries.scoping import in_scope
from candour.records.services import element_set_on

ALL = "all"
# The key of records with no station (a private provider's crew), as the records list takes it.
NONE = "none"
MONTHS_SHOWN = 12
TOO_FEW, SO_FAR = "too_few", "so_far"


@dataclass(frozen=True)
class UnitRow:
    """An area (or a station within one): its finished records, how many miss an element, and the share
    complete when it may be judged. `why_not_judged` says why not, when not."""

    key: str
    name: str
    records: int | None
    incomplete: int | None
    share_complete: int | None
    why_not_judged: str = ""


@dataclass(frozen=True)
class MonthRow:
    month: Period
    records: int | None
    incomplete: int | None
    share_complete: int | None
    why_not_judged: str = ""


@dataclass(frozen=True)
class AreaCompleteness:
    month: Period
    so_far: bool
    area: OrgUnit | None
    total: UnitRow
    units: list[UnitRow]
    elements: list[ElementRow]
    months: list[MonthRow]


def area_in_scope(user, public_id: str) -> OrgUnit | None:
    """The area the page asks for, if the user reaches it."""
    scope = scope_of(user, VIEW_RECORDS)
    try:
        area = OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA, public_id=public_id).first()
    except ValidationError:
        return None
    return area if scope.covers(area) else None


def _judged(records: int | None, incomplete: int | None, so_far: bool) -> tuple[int | None, str]:
    if so_far:
        return None, SO_FAR
    if records is None or incomplete is None or records < settings.CANDOUR_EVIDENCE_MINIMUM_CASES:
        return None, TOO_FEW
    return round(100 * (records - incomplete) / records), ""


def _rows(grouped: list[dict], total: dict, so_far: bool) -> tuple[UnitRow, list[UnitRow]]:
    keys = [row["key"] for row in grouped]
    hidden = suppression.suppress(
        {ALL: total["records"], **{r["key"]: r["records"] for r in grouped}}, [(ALL, keys)]
    )
    hidden_gaps = suppression.suppress(
        {ALL: total["incomplete"], **{r["key"]: r["incomplete"] for r in grouped}}, [(ALL, keys)]
    )

    def row(key: str, name: str, records: int, incomplete: int) -> UnitRow:
        shown = None if key in hidden else records
        gaps = None if key in hidden_gaps else incomplete
        share, why = _judged(shown, gaps, so_far)
        return UnitRow(key, name, shown, gaps, share, why)

    units = [row(r["key"], r["name"], r["records"], r["incomplete"]) for r in grouped]
    return row(ALL, "All", total["records"], total["incomplete"]), units


def _months(records: QuerySet[PatientRecord], month: Period, today: dt.date) -> list[MonthRow]:
    """The month and the ones before it, oldest first; each month's counts stand alone, so each small
    one is hidden by itself."""
    shown = month.previous_months(MONTHS_SHOWN)
    start = dt.datetime.combine(shown[0].start, dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(month.end, dt.time(), tzinfo=LONDON)
    by_month = {
        row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]: row
        for row in records.filter(started_at__gte=start, started_at__lt=end)
        .annotate(month=TruncMonth("started_at", tzinfo=LONDON))
        .values("month")
        .annotate(records=Count("pk"), incomplete=Count("pk", filter=Q(complete=False)))
        .order_by()
    }
    rows = []
    for each in shown:
        counted = by_month.get(each.start, {"records": 0, "incomplete": 0})
        hidden = suppression.suppress({"records": counted["records"], "incomplete": counted["incomplete"]})
        shown_records = None if "records" in hidden else counted["records"]
        shown_gaps = None if "incomplete" in hidden else counted["incomplete"]
        share, why = _judged(shown_records, shown_gaps, each.end > today)
        rows.append(MonthRow(each, shown_records, shown_gaps, share, why))
    return rows


def area_completeness(user, month: Period, area: OrgUnit | None = None, today: dt.date | None = None):
    """Completeness for the month by area (or, for one area, by its stations), by element and by month."""
    today = today or timezone.localdate()
    so_far = month.end > today
    where = in_scope(user, VIEW_RECORDS, "station")
    every_month = (
        PatientRecord.objects.filter(where, status__in=FINISHED)
        if where is not None
        else PatientRecord.objects.none()
    )
    if area is not None:
        every_month = every_month.filter(station__parent=area)
        unit_key, unit_name = "station__public_id", "station__name"
    else:
        unit_key, unit_name = "station__parent__public_id", "station__parent__name"
    start = dt.datetime.combine(month.start, dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(month.end, dt.time(), tzinfo=LONDON)
    records = every_month.filter(started_at__gte=start, started_at__lt=end)
    element_set = element_set_on(PATIENT_CARE_RECORD, month.last_day)
    elements = element_set.elements if element_set else []
    sums = element_sums(records, elements)
    grouped = [
        {
            "key": str(row[unit_key]) if row[unit_key] else NONE,
            "name": row[unit_name] or "No station (private providers)",
            "records": row["records"],
            "incomplete": row["incomplete"],
        }
        for row in records.values(unit_key, unit_name)
        .annotate(records=Count("pk"), incomplete=Count("pk", filter=Q(complete=False)))
        .order_by(unit_name)
    ]
    total, units = _rows(grouped, sums, so_far)
    return AreaCompleteness(
        month=month,
        so_far=so_far,
        area=area,
        total=total,
        units=units,
        elements=element_rows(sums, elements),
        months=_months(every_month, month, today),
    )
