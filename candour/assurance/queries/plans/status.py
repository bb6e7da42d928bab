"""Action plans: each action's status judged from its facts and its live measure, and a unit's pace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from candour.assurance.models import (
    Action,
    MeasureSnapshot,
    Milestone,
)
from candour.assurance.queries.plans.reach import PLAN_MEASURE_PREFIX, measure_or_none, units_under
from candour.assurance.status import (
    ActionFacts,
    Judgement,
    MilestoneFacts,
    Reading,
    Rules,
    Status,
    judge,
)
from candour.core.measures import Direction, Measure, Period, get
from candour.core.months import complete_months
from candour.people.models import OrgUnit

# Live measures and status


def readings(pairs: Iterable[tuple[str, int]], on: dt.date, *, compute_missing: bool = False) -> dict:
    """The live value of each (measure key, unit id) on a day: the last complete month's snapshot, else the
    month before's, each read as standing at its month's end.

    With `compute_missing`, a month with no snapshot at all is computed through the registry instead (the
    pace measure does this while snapshots are being written, when it cannot rely on their order)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    last_month, month_before = complete_months(on, 2)[::-1]
    stored: dict[tuple[str, int, dt.date], float | None] = {}
    for key, unit_id, month, value in MeasureSnapshot.objects.filter(
        measure_key__in={key for key, _ in pairs},
        unit_id__in={unit_id for _, unit_id in pairs},
        month__in=[last_month.start, month_before.start],
    ).values_list("measure_key", "unit_id", "month", "value"):
        stored[(key, unit_id, month)] = value
    units = {}
    found = {}
    for key, unit_id in pairs:
        for month, as_of in (
            (last_month.start, last_month.last_day),
            (month_before.start, month_before.last_day),
        ):
            if (key, unit_id, month) in stored:
                value = stored[(key, unit_id, month)]
            elif compute_missing and not key.startswith(PLAN_MEASURE_PREFIX) and measure_or_none(key):
                unit = units.get(unit_id) or units.setdefault(unit_id, OrgUnit.objects.get(pk=unit_id))
                value = get(key).value_for(unit, Period.month(month.year, month.month)).value
            else:
                value = None
            if value is not None:
                found[(key, unit_id)] = Reading(float(value), as_of)
                break
    return found


def facts_of(action: Action, measure: Measure | None, reading: Reading | None) -> ActionFacts:
    """The plain facts status is judged from. `action.milestones` should be prefetched."""
    return ActionFacts(
        starts_on=action.starts_on,
        due_on=action.due_on,
        target=action.target,
        baseline=action.baseline,
        direction=Direction(measure.direction) if measure else Direction.NEITHER,
        unit=measure.unit if measure else "",
        completed_on=action.completed_on,
        milestones=tuple(MilestoneFacts(m.title, m.due_on, m.done_on) for m in action.milestones.all()),
        live=reading,
    )


def judge_actions(
    actions: Iterable[Action],
    on: dt.date,
    *,
    compute_missing: bool = False,
    rules: Rules | None = None,
    readings_on: dt.date | None = None,
) -> dict[int, Judgement]:
    """Each action's status on a day, keyed by its primary key; one query for every live value, read from
    the months complete by `readings_on` (the day itself unless given)."""
    actions = list(actions)
    rules = rules or Rules.from_settings()
    live = readings(
        ((action.measure_key, action.plan.unit_id) for action in actions),
        readings_on or on,
        compute_missing=compute_missing,
    )
    measures = {key: measure_or_none(key) for key in {action.measure_key for action in actions}}
    return {
        action.pk: judge(
            facts_of(
                action, measures[action.measure_key], live.get((action.measure_key, action.plan.unit_id))
            ),
            on,
            rules,
        )
        for action in actions
    }


def with_milestones(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related("plan", "owner__person").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "title"))
    )


# Pace


@dataclass(frozen=True)
class Pace:
    """Of the actions open in a period (started, and not complete before it began), how many were on track
    or completed on time on its last day."""

    good: int
    counted: int

    @property
    def share(self) -> float | None:
        return 100 * self.good / self.counted if self.counted else None


def counts_towards_pace(action: Action, judgement: Judgement) -> bool:
    if judgement.status is Status.COMPLETE:
        return action.completed_on is not None and action.completed_on <= action.due_on
    return judgement.status is Status.ON_TRACK


def pace_of(
    actions: Iterable[Action], judgements: dict[int, Judgement], day: dt.date, since: dt.date
) -> Pace:
    counted = [
        action
        for action in actions
        if action.starts_on <= day and (action.completed_on is None or action.completed_on >= since)
    ]
    good = sum(1 for action in counted if counts_towards_pace(action, judgements[action.pk]))
    return Pace(good, len(counted))


def unit_pace(unit: OrgUnit, period: Period, today: dt.date) -> tuple[Pace, int] | None:
    """The pace of every plan under a unit in a period, and how many actions were overdue on its last day
    (or today, for the month under way). None for a period not yet begun."""
    day = min(period.last_day, today)
    if day < period.start:
        return None
    actions = list(
        with_milestones(
            Action.objects.filter(plan__unit_id__in=units_under(unit), starts_on__lte=day).filter(
                Q(completed_on__isnull=True) | Q(completed_on__gte=period.start)
            )
        )
    )
    # A month that is over is judged with its own value, complete by the day after its last; the month under
    # way with the months complete today.
    judgements = judge_actions(actions, day, compute_missing=True, readings_on=min(period.end, today))
    overdue = sum(1 for judgement in judgements.values() if judgement.status is Status.OVERDUE)
    return pace_of(actions, judgements, day, period.start), overdue
