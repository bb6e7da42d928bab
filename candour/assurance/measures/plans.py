"""Assurance measures: the pace of action plans, so "too slow making changes" shows as a chart.

Method. For a unit and a month, the actions in plans held at the unit or below it that were open in the month:
started by its last day (or today, for the month under way), and not completed before it began. Each is
judged by `assurance.status` on that day, with its milestones as they stood and its success measure's value
for that month (or the month before, if that month has none). An action counts as keeping pace if it was on
track, or was completed on or before its due date.
"""

from __future__ import annotations

from django.utils import timezone

from candour.assurance.queries.plans import unit_pace
from candour.core.measures import Direction, MeasureValue, Period, register
from candour.people.models import OrgUnit


@register(
    key="assurance.actions_on_track",
    title="Actions on track",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description=(
        "The share of open actions in action plans that were on track, or completed on time, on the last day "
        "of the month. Open: started by then and not completed before the month began. Status is computed "
        "from each action's dates, milestones and success measure against its trajectory."
    ),
)
def actions_on_track(unit: OrgUnit, period: Period) -> MeasureValue:
    found = unit_pace(unit, period, timezone.localdate())
    if found is None:
        return MeasureValue(None)
    pace, _ = found
    return MeasureValue(pace.share, pace.good, pace.counted)


@register(
    key="assurance.actions_overdue",
    title="Actions overdue",
    unit="actions",
    direction=Direction.LOWER_IS_BETTER,
    description="Actions in action plans past their due date and not complete on the last day of the month.",
)
def actions_overdue(unit: OrgUnit, period: Period) -> MeasureValue:
    found = unit_pace(unit, period, timezone.localdate())
    if found is None:
        return MeasureValue(None)
    _, overdue = found
    return MeasureValue(overdue, overdue)
