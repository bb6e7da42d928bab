"""Assurance measures: the candour gap. How many quality statements managers rate more optimistically than
the evidence, a whole point or more (`CANDOUR_CANDOUR_GAP_FLAG_POINTS`), month by month, so that an "overly
optimistic view" shows as a chart in the catalogue and the board report.

The framework is the trust's, so this is a trust-level measure: other units have no value.
"""

from __future__ import annotations

from candour.assurance.queries.framework import load
from candour.assurance.queries.gap import GAP_MEASURE, flags_by_month
from candour.core.measures import Direction, MeasureValue, Period, UnknownMeasure, get, register
from candour.core.months import months_in, window_ending
from candour.people.models import OrgUnit


@register(
    key=GAP_MEASURE,
    title="Quality statements assessed more optimistically than the evidence",
    unit="statements",
    direction=Direction.LOWER_IS_BETTER,
    description="The number of self-assessments of CQC quality statements in force at the end of the month "
    "that score at least one point higher than the statement's evidence score that month (the mean of its "
    "bound measures' scores, from the trust's values; a value from too few cases is not scored). The "
    "denominator is the number of self-assessments that could be compared. Lower is better: managers see "
    "the service as the evidence does. Trust level only.",
)
def candour_gap_flags(unit: OrgUnit, period: Period) -> MeasureValue:
    if unit.kind != OrgUnit.Kind.TRUST:
        return MeasureValue(None)
    data = load(until=period.last_day, since=period.start, unit=unit)
    for month in months_in(window_ending(period)):
        _fill_missing_values(data, unit, month)
    (month,) = flags_by_month(data, [period])
    if not month.compared:
        return MeasureValue(None, 0, 0)
    return MeasureValue(month.flagged, month.flagged, month.compared)


def _fill_missing_values(data, unit: OrgUnit, period: Period) -> None:
    """Snapshots are refreshed all together and written at the end, so the first time a month is kept its
    bound measures have no snapshot yet: compute those from the registry. Afterwards the snapshot is read
    (for the current month, the value as of the last refresh)."""
    for binding in data.bindings:
        slot = (binding.measure_key, period.start)
        if slot in data.values:
            continue
        try:
            measure = get(binding.measure_key)
        except UnknownMeasure:
            continue
        found = measure.value_for(unit, period)
        data.values[slot] = (found.value, found.denominator)
