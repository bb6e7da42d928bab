"""Assurance queries: action plans. Who sees which plan, each action's computed status, and the read models
for the pages, the attention list, the pace measure and the board report.

A plan is seen by those with `assurance.view` over its unit, and by its owner and its actions' owners (they
keep them up to date). Anything else is not found: a view answers 404 and never reveals that it exists.

Status is judged by `assurance.status` from plain facts: the action's dates, its milestones as they stood on
the day, and its live measure. The live measure is the snapshot for the plan's unit in the last complete
month, or, when that month has no value, the month before; never the month under way, whose first days
would swing an action between on track and at risk with each record (docs/adr/0026). Pages read snapshots
and never recompute.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from candour.assurance.access import MANAGE_PLANS, VIEW, may_update_action
from candour.assurance.models import (
    Action,
    ActionEscalation,
    ActionPlan,
    FindingSource,
    MeasureSnapshot,
    Milestone,
)
from candour.assurance.queries.framework import month_of
from candour.assurance.queries.measures import series_for_many
from candour.assurance.status import (
    SEVERITY,
    ActionFacts,
    Judgement,
    MilestoneFacts,
    Reading,
    Rules,
    Status,
    judge,
)
from candour.core.charts import spc_chart
from candour.core.measures import Direction, Measure, Period, UnknownMeasure, all_measures, get
from candour.core.months import complete_months, last_complete_month
from candour.people.access import can, scope_of
from candour.people.models import Membership, OrgUnit, User
from candour.people.roles import roles_with

# Measures about plans themselves cannot be an action's success measure: the pace would judge itself.
PLAN_MEASURE_PREFIX = "assurance.actions_"


def units_under(unit: OrgUnit | int) -> list[int]:
    """The unit and every unit below it (a trust's areas and stations, an area's stations)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        OrgUnit.objects.filter(
            Q(pk=unit_id) | Q(parent_id=unit_id) | Q(parent__parent_id=unit_id)
        ).values_list("pk", flat=True)
    )


def measure_or_none(key: str) -> Measure | None:
    try:
        return get(key)
    except UnknownMeasure:
        return None


def success_measures() -> list[Measure]:
    """Measures an action can aim at: registered, with an improvement direction, and not about plans."""
    return [
        measure
        for measure in all_measures()
        if not measure.key.startswith(PLAN_MEASURE_PREFIX)
        and Direction(measure.direction) != Direction.NEITHER
    ]


# Who sees what


def visible_plans(user: User) -> QuerySet[ActionPlan]:
    """Plans over units the user may view, and any plan they own or own an action in."""
    if not getattr(user, "is_authenticated", False):
        return ActionPlan.objects.none()
    scope = scope_of(user, VIEW)
    owns_action = Exists(Action.objects.filter(plan=OuterRef("pk"), owner=user))
    return ActionPlan.objects.filter(Q(unit_id__in=scope.unit_ids) | Q(owner=user) | owns_action)


def visible_actions(user: User) -> QuerySet[Action]:
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    scope = scope_of(user, VIEW)
    return Action.objects.filter(Q(plan__unit_id__in=scope.unit_ids) | Q(plan__owner=user) | Q(owner=user))


def plan_for_viewer(user: User, plan_id: uuid.UUID) -> ActionPlan | None:
    return visible_plans(user).select_related("unit", "owner__person").filter(public_id=plan_id).first()


def plan_for_manager(user: User, plan_id: uuid.UUID) -> ActionPlan | None:
    """A plan the user may change: they manage plans over its unit."""
    scope = scope_of(user, MANAGE_PLANS)
    return (
        ActionPlan.objects.select_related("unit")
        .filter(public_id=plan_id, unit_id__in=scope.unit_ids)
        .first()
    )


def action_for_viewer(user: User, action_id: uuid.UUID) -> Action | None:
    return (
        visible_actions(user)
        .select_related("plan__unit", "owner__person", "plan__owner__person")
        .filter(public_id=action_id)
        .first()
    )


def action_for_updater(user: User, action_id: uuid.UUID) -> Action | None:
    """An action the user may keep up to date: its owner, or whoever manages plans over its unit."""
    action = action_for_viewer(user, action_id)
    return action if action is not None and may_update_action(user, action) else None


def action_for_manager(user: User, action_id: uuid.UUID) -> Action | None:
    scope = scope_of(user, MANAGE_PLANS)
    return (
        Action.objects.select_related("plan__unit", "owner__person")
        .filter(public_id=action_id, plan__unit_id__in=scope.unit_ids)
        .first()
    )


def milestone_for_updater(user: User, milestone_id: uuid.UUID) -> Milestone | None:
    milestone = (
        Milestone.objects.select_related("action__plan__unit")
        .filter(public_id=milestone_id, action__in=visible_actions(user))
        .first()
    )
    return milestone if milestone is not None and may_update_action(user, milestone.action) else None


def milestone_for_manager(user: User, milestone_id: uuid.UUID) -> Milestone | None:
    scope = scope_of(user, MANAGE_PLANS)
    return (
        Milestone.objects.select_related("action__plan__unit")
        .filter(public_id=milestone_id, action__plan__unit_id__in=scope.unit_ids)
        .first()
    )


# Choices for the forms


def plan_units(user: User) -> list[OrgUnit]:
    """Units a plan can be set for: the trust and areas the user manages plans in. Measures are kept for
    those (see `snapshot_units`), so every action's success measure has a value to be judged against."""
    scope = scope_of(user, MANAGE_PLANS)
    return list(
        OrgUnit.objects.filter(
            pk__in=scope.unit_ids, kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA]
        ).order_by("kind", "name")
    )


def _ancestors(unit_ids: Iterable[int]) -> set[int]:
    found = set()
    for parent_id, grandparent_id in OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list(
        "parent_id", "parent__parent_id"
    ):
        found.update(pk for pk in (parent_id, grandparent_id) if pk)
    return found


def owner_choices(unit_ids: Iterable[int]) -> list[tuple[User, str]]:
    """People who can own a plan or an action over these units (give them with the units below): active users
    holding a leading role (one that may view assurance) at one of them or above them. Each once, labelled."""
    unit_ids = set(unit_ids)
    reach = unit_ids | _ancestors(unit_ids)
    memberships = (
        Membership.objects.active()
        .filter(role__in=roles_with(VIEW), unit_id__in=reach, user__is_active=True)
        .select_related("user__person", "unit")
        .order_by("user__person__family_name", "user__person__given_name", "user__email", "role")
    )
    chosen: dict[int, tuple[User, str]] = {}
    for membership in memberships:
        if membership.user_id not in chosen:
            label = (
                f"{membership.user.display_name} ({membership.get_role_display()}, {membership.unit.name})"
            )
            chosen[membership.user_id] = (membership.user, label)
    return list(chosen.values())


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


# Read models


@dataclass(frozen=True)
class StatusCounts:
    counts: dict[Status, int]

    def __getitem__(self, status: Status) -> int:
        return self.counts.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def slipping(self) -> int:
        return self[Status.OVERDUE] + self[Status.AT_RISK]

    @property
    def items(self) -> list[tuple[Status, int]]:
        """Worst first, leaving out statuses with no actions."""
        return [(status, self[status]) for status in SEVERITY if self[status]]


def count_statuses(judgements: Iterable[Judgement]) -> StatusCounts:
    counts: dict[Status, int] = defaultdict(int)
    for judgement in judgements:
        counts[judgement.status] += 1
    return StatusCounts(dict(counts))


def source_text(plan: ActionPlan) -> str:
    """Where the finding came from, in words."""
    if plan.source in (FindingSource.INSPECTION, FindingSource.CANDOUR_GAP):
        kind = "CQC inspection finding" if plan.source == FindingSource.INSPECTION else "Candour-gap flag"
        where = []
        if plan.quality_statement_id:
            statement = plan.quality_statement
            where.append(f"{statement.get_key_question_display()} › {statement.title}")  # noqa: RUF001
        if plan.core_service_id:
            where.append(plan.core_service.name)
        return f"{kind}: {', '.join(where)}" if where else kind
    if plan.source == FindingSource.MONITORING_VISIT:
        theme = plan.monitoring_theme.title if plan.monitoring_theme_id else ""
        return f"Ofsted monitoring-visit theme: {theme}" if theme else "Ofsted monitoring-visit theme"
    if plan.source == FindingSource.RISK and plan.risk_id:
        return f"Risk {plan.risk.reference}: {plan.risk.title}"
    return FindingSource(plan.source).label


@dataclass(frozen=True)
class PlanRow:
    public_id: uuid.UUID
    title: str
    unit: str
    owner: str
    source: str
    counts: StatusCounts
    pace: Pace
    next_due: dt.date | None


@dataclass(frozen=True)
class ActionRow:
    public_id: uuid.UUID
    title: str
    plan_title: str
    due_on: dt.date
    judgement: Judgement


@dataclass(frozen=True)
class PaceChoice:
    unit: OrgUnit
    selected: bool


@dataclass(frozen=True)
class PlansPage:
    plans: list[PlanRow]
    mine: list[ActionRow]
    units: list[PaceChoice]
    unit: OrgUnit | None
    pace_chart: object | None
    overdue_chart: object | None
    may_create: bool
    escalated: list[ActionRow] = field(default_factory=list)  # open actions escalated to the person


def _plans_with_actions(plans: QuerySet[ActionPlan]) -> list[ActionPlan]:
    return list(
        plans.select_related(
            "unit", "owner__person", "quality_statement", "core_service", "monitoring_theme", "risk"
        )
        .prefetch_related(Prefetch("actions", queryset=with_milestones(Action.objects.all())))
        .order_by("title")
    )


def plans_page(user: User, today: dt.date, unit_id: uuid.UUID | None = None) -> PlansPage:
    """Every plan the user sees with its actions counted by status, their own open actions, and the pace of
    plans over a unit they view as a chart."""
    plans = _plans_with_actions(visible_plans(user))
    actions = [action for plan in plans for action in plan.actions.all()]
    judgements = judge_actions(actions, today)
    rows = []
    for plan in plans:
        mine = list(plan.actions.all())
        open_dates = [a.due_on for a in mine if judgements[a.pk].status is not Status.COMPLETE]
        rows.append(
            PlanRow(
                plan.public_id,
                plan.title,
                plan.unit.name,
                plan.owner.display_name,
                source_text(plan),
                count_statuses(judgements[a.pk] for a in mine),
                pace_of(mine, judgements, today, month_of(today)),
                min(open_dates) if open_dates else None,
            )
        )
    rows.sort(key=lambda row: (-row.counts.slipping, row.title))
    own = sorted(
        (
            ActionRow(a.public_id, a.title, plan.title, a.due_on, judgements[a.pk])
            for plan in plans
            for a in plan.actions.all()
            if a.owner_id == user.pk and judgements[a.pk].status is not Status.COMPLETE
        ),
        key=lambda row: (SEVERITY.index(row.judgement.status), row.due_on),
    )
    scope = scope_of(user, VIEW)
    units = list(
        OrgUnit.objects.filter(
            pk__in=scope.unit_ids, kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA]
        ).order_by("kind", "name")
    )
    unit = next((u for u in units if u.public_id == unit_id), units[0] if units else None)
    pace_chart = overdue_chart = None
    if unit is not None:
        series = series_for_many(
            ["assurance.actions_on_track", "assurance.actions_overdue"],
            unit,
            months=settings.CANDOUR_CHART_MONTHS,
            until=today,
        )
        pace_chart = spc_chart(series["assurance.actions_on_track"], title=f"Actions on track: {unit.name}")
        overdue_chart = spc_chart(series["assurance.actions_overdue"], title=f"Actions overdue: {unit.name}")
    return PlansPage(
        rows,
        own,
        [PaceChoice(u, u == unit) for u in units],
        unit,
        pace_chart,
        overdue_chart,
        bool(plan_units(user)),
        escalated_to(user, today),
    )


def escalated_to(user: User, today: dt.date) -> list[ActionRow]:
    """Open actions escalated to the person on their current due date, among the actions they see, the
    longest overdue first. An action given a new date has left its old escalation behind."""
    if not getattr(user, "is_authenticated", False):
        return []
    actions = list(
        with_milestones(
            visible_actions(user).filter(
                completed_on__isnull=True, escalations__escalated_to=user, escalations__due_on=F("due_on")
            )
        )
        .select_related("plan")
        .distinct()
    )
    judgements = judge_actions(actions, today)
    return sorted(
        (ActionRow(a.public_id, a.title, a.plan.title, a.due_on, judgements[a.pk]) for a in actions),
        key=lambda row: (row.due_on, row.title),
    )


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    missed: bool


@dataclass(frozen=True)
class ActionCard:
    action: Action
    judgement: Judgement
    measure: Measure | None
    milestones: list[MilestoneRow]
    evidence: list
    escalations: list[ActionEscalation]
    chart: object | None
    may_update: bool
    may_manage: bool

    @property
    def measure_title(self) -> str:
        return self.measure.title if self.measure else f"{self.action.measure_key} (no longer registered)"

    @property
    def unit(self) -> str:
        return self.measure.unit if self.measure else ""

    @property
    def direction(self) -> str:
        return Direction(self.measure.direction).label if self.measure else "Unknown"


@dataclass(frozen=True)
class PlanPage:
    plan: ActionPlan
    source: str
    cards: list[ActionCard]
    counts: StatusCounts
    pace: Pace
    may_manage: bool


def _cards(user: User, plan: ActionPlan, actions: list[Action], today: dt.date) -> list[ActionCard]:
    judgements = judge_actions(actions, today)
    keys = {action.measure_key for action in actions if measure_or_none(action.measure_key)}
    series = (
        series_for_many(keys, plan.unit, months=settings.CANDOUR_CHART_MONTHS, until=today) if keys else {}
    )
    may_manage = can(user, MANAGE_PLANS, plan)
    cards = []
    for action in actions:
        judgement = judgements[action.pk]
        chart = None
        if action.measure_key in series:
            chart = spc_chart(
                series[action.measure_key],
                target=action.target,
                title=f"{series[action.measure_key].measure.title}: {plan.unit.name}",
            )
        cards.append(
            ActionCard(
                action=action,
                judgement=judgement,
                measure=measure_or_none(action.measure_key),
                milestones=[
                    MilestoneRow(m, m.done_on is None and m.due_on < today) for m in action.milestones.all()
                ],
                evidence=list(action.evidence.all()),
                escalations=list(action.escalations.all()),
                chart=chart,
                may_update=may_update_action(user, action),
                may_manage=may_manage,
            )
        )
    return cards


def _actions_of(queryset: QuerySet[Action]) -> list[Action]:
    return list(
        with_milestones(queryset)
        .select_related("plan__unit", "owner__person", "completed_by__person")
        .prefetch_related("evidence__added_by__person", "escalations__escalated_to__person")
    )


def plan_page(user: User, plan: ActionPlan, today: dt.date) -> PlanPage:
    actions = _actions_of(plan.actions.order_by("due_on", "title"))
    cards = _cards(user, plan, actions, today)
    judgements = {card.action.pk: card.judgement for card in cards}
    return PlanPage(
        plan,
        source_text(plan),
        sorted(cards, key=lambda card: (SEVERITY.index(card.judgement.status), card.action.due_on)),
        count_statuses(judgements.values()),
        pace_of(actions, judgements, today, month_of(today)),
        can(user, MANAGE_PLANS, plan),
    )


def action_card(user: User, action: Action, today: dt.date) -> ActionCard:
    (card,) = _cards(user, action.plan, _actions_of(Action.objects.filter(pk=action.pk)), today)
    return card


def judgement_of(action: Action, today: dt.date) -> Judgement:
    (action,) = with_milestones(Action.objects.filter(pk=action.pk))
    return judge_actions([action], today)[action.pk]


def live_reading(action: Action, today: dt.date) -> Reading | None:
    return readings([(action.measure_key, action.plan.unit_id)], today).get(
        (action.measure_key, action.plan.unit_id)
    )


def latest_value(key: str, unit: OrgUnit, today: dt.date) -> tuple[float, dt.date] | None:
    """A measure's latest known value for a unit in a complete month, and its month: a baseline from the
    month under way would be a few days' worth."""
    row = (
        MeasureSnapshot.objects.filter(
            measure_key=key, unit=unit, month__lte=last_complete_month(today).start, value__isnull=False
        )
        .order_by("-month")
        .values_list("value", "month")
        .first()
    )
    return (float(row[0]), row[1]) if row else None


# Attention


@dataclass(frozen=True)
class OwnActions:
    at_risk: list[ActionRow] = field(default_factory=list)
    overdue: list[ActionRow] = field(default_factory=list)


def own_actions_needing_attention(user: User, today: dt.date) -> OwnActions:
    """The user's open actions that are at risk or overdue today."""
    actions = list(with_milestones(Action.objects.filter(owner=user, completed_on__isnull=True)))
    if not actions:
        return OwnActions()
    judgements = judge_actions(actions, today)
    found = OwnActions()
    for action in sorted(actions, key=lambda a: a.due_on):
        judgement = judgements[action.pk]
        row = ActionRow(action.public_id, action.title, action.plan.title, action.due_on, judgement)
        if judgement.status is Status.OVERDUE:
            found.overdue.append(row)
        elif judgement.status is Status.AT_RISK:
            found.at_risk.append(row)
    return found


# For the board report


@dataclass(frozen=True)
class ActionSummary:
    public_id: uuid.UUID
    title: str
    owner: str
    due_on: dt.date
    status: Status
    reason: str

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class PlanSummary:
    public_id: uuid.UUID
    title: str
    unit: str
    owner: str
    source: str
    finding: str
    counts: StatusCounts
    pace: Pace
    actions: tuple[ActionSummary, ...]


def plan_summaries(*, scope_units: Iterable[OrgUnit | int] | None = None, on: dt.date) -> list[PlanSummary]:
    """Every plan open on a day (over the given units, or all), with its actions' statuses on that day, the
    slipping plans first."""
    plans = ActionPlan.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
    if scope_units is not None:
        plans = plans.filter(unit_id__in=[u if isinstance(u, int) else u.pk for u in scope_units])
    plans = _plans_with_actions(plans)
    actions = [action for plan in plans for action in plan.actions.all()]
    judgements = judge_actions(actions, on)
    summaries = []
    for plan in plans:
        own = sorted(plan.actions.all(), key=lambda a: (SEVERITY.index(judgements[a.pk].status), a.due_on))
        summaries.append(
            PlanSummary(
                public_id=plan.public_id,
                title=plan.title,
                unit=plan.unit.name,
                owner=plan.owner.display_name,
                source=source_text(plan),
                finding=plan.finding,
                counts=count_statuses(judgements[a.pk] for a in own),
                pace=pace_of(own, judgements, on, month_of(on)),
                actions=tuple(
                    ActionSummary(
                        a.public_id,
                        a.title,
                        a.owner.display_name,
                        a.due_on,
                        judgements[a.pk].status,
                        judgements[a.pk].reason,
                    )
                    for a in own
                ),
            )
        )
    return sorted(summaries, key=lambda s: (-s.counts.slipping, s.title))
