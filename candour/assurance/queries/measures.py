"""Read measures over time from their snapshots: one query for a series, one for many."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from candour.assurance.models import MeasureSnapshot
from candour.core.measures import Measure, Period, get


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class MeasureSeries:
    measure: Measure
    points: tuple[SeriesPoint, ...]

    @property
    def known(self) -> list[SeriesPoint]:
        """Points with a value (a month with no one to count has none)."""
        return [point for point in self.points if point.value is not None]

    @property
    def latest(self) -> SeriesPoint | None:
        known = self.known
        return known[-1] if known else None


def series_for_many(
    keys: Iterable[str], unit, *, months: int = 24, until: dt.date | None = None
) -> dict[str, MeasureSeries]:
    """Each measure's monthly series for a unit, oldest first, ending with the month holding `until`."""
    until = until or dt.date.today()
    periods = Period.month(until.year, until.month).previous_months(months)
    measures = {key: get(key) for key in keys}
    found: dict[str, dict[dt.date, MeasureSnapshot]] = defaultdict(dict)
    for snapshot in MeasureSnapshot.objects.filter(
        measure_key__in=list(measures), unit=unit, month__gte=periods[0].start, month__lte=periods[-1].start
    ):
        found[snapshot.measure_key][snapshot.month] = snapshot
    return {
        key: MeasureSeries(
            measure,
            tuple(_point(period, found[key].get(period.start)) for period in periods),
        )
        for key, measure in measures.items()
    }


def series_for(key: str, unit, *, months: int = 24, until: dt.date | None = None) -> MeasureSeries:
    return series_for_many([key], unit, months=months, until=until)[key]


def value_in_month(key: str, unit, day: dt.date) -> float | None:
    """The snapshot value for the month holding `day`, or None if none is kept."""
    snapshot = MeasureSnapshot.objects.filter(measure_key=key, unit=unit, month=day.replace(day=1)).first()
    return None if snapshot is None else snapshot.value


def _point(period: Period, snapshot: MeasureSnapshot | None) -> SeriesPoint:
    if snapshot is None:
        return SeriesPoint(period, None)
    return SeriesPoint(period, snapshot.value, snapshot.numerator, snapshot.denominator)
