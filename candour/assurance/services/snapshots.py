"""Keep measure snapshots: each registered measure's value per unit (the trust and its areas) and month.

Pages, charts and reports read snapshots, never recompute. The scheduler refreshes the current and previous
months (a late import can still change last month); older months are computed once, by the demo or by
`refresh_snapshots` over a span.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.assurance.models import MeasureSnapshot
from candour.core.measures import Measure, Period, all_measures
from candour.people.models import OrgUnit

_FIELDS = ["value", "numerator", "denominator", "computed_at"]


def snapshot_units() -> list[OrgUnit]:
    """The units snapshots are kept for: the trust and its areas (stations are too small to chart)."""
    return list(
        OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA]).order_by("kind", "name")
    )


def months_ending(day: dt.date, count: int) -> list[Period]:
    return Period.month(day.year, day.month).previous_months(count)


@transaction.atomic
def refresh_snapshots(
    *,
    months: Sequence[Period],
    units: Iterable[OrgUnit] | None = None,
    measures: Iterable[Measure] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Compute and store every measure for every unit and month given; returns the number of rows written."""
    now = now or timezone.now()
    units = list(units) if units is not None else snapshot_units()
    rows = []
    for measure in measures if measures is not None else all_measures():
        for unit in units:
            for period in months:
                result = measure.value_for(unit, period)
                rows.append(
                    MeasureSnapshot(
                        measure_key=measure.key,
                        unit=unit,
                        month=period.start,
                        value=result.value,
                        numerator=result.numerator,
                        denominator=result.denominator,
                        computed_at=now,
                    )
                )
    MeasureSnapshot.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["measure_key", "unit", "month"],
        update_fields=_FIELDS,
    )
    return len(rows)


def refresh_recent(*, today: dt.date | None = None) -> int:
    """The scheduler's job: this month so far, and last month."""
    today = today or timezone.localdate()
    return refresh_snapshots(months=months_ending(today, settings.CANDOUR_SNAPSHOT_RECENT_MONTHS))
