"""Read measures over time from their snapshots: one query for a series, one for many, and one more for
where their process limits were recalculated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from candour.assurance.models import LimitRecalculation, MeasureSnapshot
from candour.core.measures import Measure, MeasureSeries, Period, SeriesPoint, get


def months_until(until: dt.date | None, months: int) -> list[Period]:
    """The `months` calendar months ending with the one holding `until` (today by default), oldest first."""
    until = until or timezone.localdate()
    return Period.month(until.year, until.month).previous_months(months)


def series_for_many(
    keys: Iterable[str | Measure], unit, *, months: int = 24, until: dt.date | None = None
) -> dict[str, MeasureSeries]:
    """Each measure's monthly series for a unit, oldest first, ending with the month holding `until`.

    Give measures rather than keys when you already hold them: a data-defined measure's key is looked up
    through its source each time.
    """
    periods = months_until(until, months)
    measures = {
        item.key if isinstance(item, Measure) else item: item if isinstance(item, Measure) else get(item)
        for item in keys
    }
    found: dict[str, dict[dt.date, tuple]] = defaultdict(dict)
    rows = MeasureSnapshot.objects.filter(
        measure_key__in=list(measures), unit=unit, month__gte=periods[0].start, month__lte=periods[-1].start
    ).values_list("measure_key", "month", "value", "numerator", "denominator")
    for key, month, value, numerator, denominator in rows:
        found[key][month] = (value, numerator, denominator)
    restarts: dict[str, list[dt.date]] = defaultdict(list)
    recalculated = LimitRecalculation.objects.filter(measure_key__in=list(measures), unit=unit)
    for key, month in recalculated.order_by("from_month").values_list("measure_key", "from_month"):
        restarts[key].append(month)
    return {
        key: MeasureSeries(
            measure,
            tuple(_point(period, found[key].get(period.start)) for period in periods),
            tuple(restarts[key]),
        )
        for key, measure in measures.items()
    }


def series_for(key: str | Measure, unit, *, months: int = 24, until: dt.date | None = None) -> MeasureSeries:
    measure = key if isinstance(key, Measure) else get(key)
    return series_for_many([measure], unit, months=months, until=until)[measure.key]


def _point(period: Period, found: tuple | None) -> SeriesPoint:
    if found is None:
        return SeriesPoint(period, None)
    return SeriesPoint(period, *found)
