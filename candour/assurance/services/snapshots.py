"""Keep measure snapshots: each registered measure's value per unit (the trust and its areas) and month.

Pages, charts and reports read snapshots, never recompute. The scheduler refreshes the current and previous
months (a late import can still change last month) and fills any month of the chart span never computed (a
measure published since, such as a new pulse question); older months are computed once, by the demo or by
`manage.py refresh_snapshots` over a span. See docs/adr for why values are kept rather than computed on read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.assurance.models import MeasureSnapshot
from candour.core.measures import Measure, Period, all_measures
from candour.people.models import OrgUnit

logger = logging.getLogger(__name__)

_FIELDS = ["value", "numerator", "denominator", "computed_at"]
BATCH_SIZE = 500


class SnapshotFailed(RuntimeError):
    """A measure's own function raised while being computed."""


def snapshot_units() -> list[OrgUnit]:
    """The units snapshots are kept for: the trust and its areas (stations are too small to chart)."""
    return list(
        OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA]).order_by("kind", "name")
    )


def months_ending(day: dt.date, count: int) -> list[Period]:
    return Period.month(day.year, day.month).previous_months(count)


def refresh_snapshots(
    *,
    months: Sequence[Period],
    units: Iterable[OrgUnit] | None = None,
    measures: Iterable[Measure] | None = None,
    now: dt.datetime | None = None,
    missing_only: bool = False,
    strict: bool = True,
    progress: Callable[[Measure, int], None] | None = None,
) -> int:
    """Compute and store every measure for every unit and month given; returns the number of rows written.

    Values are computed first, outside any transaction, and written together at the end in one atomic
    upsert: SQLite transactions here begin IMMEDIATE, taking the database's one write lock, so holding
    one while measures are computed would stall every other writer for the whole refresh. With
    `missing_only`, cells already kept are left alone. A measure whose function raises stops the refresh
    (`strict`; nothing is kept), or is logged and skipped so one faulty measure cannot hold back the rest.
    """
    now = now or timezone.now()
    units = list(units) if units is not None else snapshot_units()
    months = list(months)
    measures = list(measures) if measures is not None else all_measures()
    if not (units and months and measures):
        return 0
    kept = _kept(measures, units, months) if missing_only else frozenset()
    rows = []
    for measure in measures:
        computed = []
        try:
            for unit in units:
                wanted = [period for period in months if (measure.key, unit.pk, period.start) not in kept]
                # One grouped query for the whole span where the measure offers it (ADR 0040).
                for period, result in zip(wanted, measure.values_for_span(unit, wanted), strict=True):
                    computed.append(_snapshot(measure, unit, period, result, now))
        except Exception as error:
            if strict:
                raise SnapshotFailed(f"{measure.key} could not be computed: {error}") from error
            logger.exception("Measure %s could not be computed; its snapshots are unchanged", measure.key)
            continue
        rows += computed
        if progress:
            progress(measure, len(computed))
    with transaction.atomic():
        MeasureSnapshot.objects.bulk_create(
            rows,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["measure_key", "unit", "month"],
            update_fields=_FIELDS,
        )
    return len(rows)


def _snapshot(measure: Measure, unit: OrgUnit, period: Period, result, now: dt.datetime) -> MeasureSnapshot:
    return MeasureSnapshot(
        measure_key=measure.key,
        unit=unit,
        month=period.start,
        value=_number(result.value),
        numerator=_number(result.numerator),
        denominator=_number(result.denominator),
        computed_at=now,
    )


def _number(value) -> float | None:
    # Measures may answer with int, Decimal or float; a snapshot keeps a float.
    return None if value is None else float(value)


def _kept(measures: list[Measure], units: list[OrgUnit], months: list[Period]) -> frozenset:
    """(measure key, unit id, month) for the cells already kept, in one query."""
    return frozenset(
        MeasureSnapshot.objects.filter(
            measure_key__in=[measure.key for measure in measures],
            unit__in=units,
            month__gte=min(period.start for period in months),
            month__lte=max(period.start for period in months),
        ).values_list("measure_key", "unit_id", "month")
    )


def refresh_recent(*, today: dt.date | None = None) -> int:
    """The scheduler's job: this month so far and last month, then any month of the chart span not kept."""
    today = today or timezone.localdate()
    recent = months_ending(today, settings.CANDOUR_SNAPSHOT_RECENT_MONTHS)
    written = refresh_snapshots(months=recent, strict=False)
    span = months_ending(today, settings.CANDOUR_CHART_MONTHS)
    older = span[: max(len(span) - len(recent), 0)]
    if older:
        written += refresh_snapshots(months=older, missing_only=True, strict=False)
    return written
