"""The measures registry: every app publishes named measures; assurance binds them to standards and charts.

A measure is computed for an organisation unit (trust, area or station) and a period. Assurance knows
measures only through this registry, never another app's models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "high", "Higher is better"
    LOWER_IS_BETTER = "low", "Lower is better"
    NEITHER = "neither", "Neither higher nor lower is better"


class UnknownMeasure(KeyError):
    def __str__(self) -> str:
        return f"No measure is registered with the key {self.args[0]!r}"


@dataclass(frozen=True)
class Period:
    """A half-open span of days [start, end)."""

    start: dt.date
    end: dt.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(dt.date(year, month, 1), following)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == Period.month(self.start.year, self.start.month).end

    @property
    def label(self) -> str:
        if self.is_month:
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %b %Y} to {self.last_day:%-d %b %Y}"

    def previous_months(self, count: int) -> list[Period]:
        """This month and the count-1 before it, oldest first."""
        year, month = self.start.year, self.start.month
        periods = []
        for _ in range(count):
            periods.append(Period.month(year, month))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return periods[::-1]


@dataclass(frozen=True)
class MeasureValue:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


# (unit, the months asked for) -> {first day of each month: its value}.
SpanCompute = Callable[[object, Sequence[Period]], Mapping[dt.date, MeasureValue]]


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    unit: str
    direction: Direction
    description: str
    compute: Callable[[object, Period], MeasureValue]
    # A measure of a change or a balance can fall below zero; counts, rates, days and shares cannot.
    negative_allowed: bool = False
    # A published standard the measure is held to (reference data, such as a national response-time
    # standard): every chart of the measure draws it as its target unless the chart is given another.
    standard: float | None = None
    # Optionally, the values of a whole span of months for a unit in one grouped query, keyed by each
    # month's first day: the same values `compute` gives month by month, for a fraction of the queries
    # (ADR 0010's lasting fix; docs/adr/0040). Refreshing snapshots uses it where a measure offers it.
    compute_span: SpanCompute | None = None

    def value_for(self, unit, period: Period) -> MeasureValue:
        return self.compute(unit, period)

    def values_for_span(self, unit, periods: Sequence[Period]) -> list[MeasureValue]:
        """The measure's value in each period, in order: by its span function where it has one (span
        functions answer whole months, keyed by their first days)."""
        if self.compute_span is None or not periods or not all(period.is_month for period in periods):
            return [self.compute(unit, period) for period in periods]
        answered = self.compute_span(unit, periods)
        missing = [period.label for period in periods if period.start not in answered]
        if missing:
            raise ValueError(f"{self.key}'s span function gave no value for {', '.join(missing)}")
        return [answered[period.start] for period in periods]

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The least and the greatest value the measure can take (None where there is no bound): a share
        lies between 0 and 100, and anything counted is never negative."""
        if self.unit == "%":
            return 0.0, 100.0
        return (None if self.negative_allowed else 0.0), None


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class MeasureSeries:
    """A measure's values month by month, oldest first: what a chart draws."""

    measure: Measure
    points: tuple[SeriesPoint, ...]
    # The months from which its process limits were recalculated (assurance records them per unit).
    recalculated_from: tuple[dt.date, ...] = ()

    @property
    def known(self) -> list[SeriesPoint]:
        """Points with a value (a month with no one to count has none)."""
        return [point for point in self.points if point.value is not None]

    @property
    def latest(self) -> SeriesPoint | None:
        known = self.known
        return known[-1] if known else None


_registry: dict[str, Measure] = {}
# Sources publish measures that come from data rather than code (a survey question, a trust's own training
# subject): each is called whenever the registry is read, so a new one appears without a restart.
_sources: list[Callable[[], Iterable[Measure]]] = []


def register(
    *,
    key: str,
    title: str,
    unit: str,
    direction: Direction,
    description: str,
    negative_allowed: bool = False,
    standard: float | None = None,
    span: SpanCompute | None = None,
):
    """Decorate a function (unit, period) -> MeasureValue to publish it as a measure. `span`, where given,
    answers a whole span of months at once with the same values (Measure.compute_span)."""

    def decorate(compute: Callable[[object, Period], MeasureValue]):
        existing = _registry.get(key)
        if existing and existing.compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"Two measures claim the key {key!r}")
        _registry[key] = Measure(
            key, title, unit, Direction(direction), description, compute, negative_allowed, standard, span
        )
        return compute

    return decorate


def register_source(source: Callable[[], Iterable[Measure]]) -> Callable[[], Iterable[Measure]]:
    """Publish the measures a function returns each time it is asked (measures defined by data)."""
    if source not in _sources:
        _sources.append(source)
    return source


def _from_sources() -> dict[str, Measure]:
    return {
        measure.key: measure for source in _sources for measure in source() if measure.key not in _registry
    }


def get(key: str) -> Measure:
    if key in _registry:
        return _registry[key]
    try:
        return _from_sources()[key]
    except KeyError:
        raise UnknownMeasure(key) from None


def exists(key: str) -> bool:
    try:
        get(key)
    except UnknownMeasure:
        return False
    return True


def all_measures() -> list[Measure]:
    return sorted([*_registry.values(), *_from_sources().values()], key=lambda measure: measure.key)
