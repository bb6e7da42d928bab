"""Action plans: the read models behind the plans list, a plan's page and an action's card."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet

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
from candour.assurance.queries.plans.reach import measure_or_none, plan_units, visible_actions, visible_plans
from candour.assurance.queries.plans.status import Pace, judge_actions, pace_of, readings, with_milestones
from candour.assurance.status import (
    SEVERITY,
    Judgement,
    Reading,
    Status,
)
from candour.core.charts import spc_chart
from candour.core.measures import Direction, Measure
from candour.core.months import last_complete_month
from candour.people.access import can, scope_of
from candour.people.models import OrgUnit, User

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


def plans_with_actions(plans: QuerySet[ActionPlan]) -> list[ActionPlan]:
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
    plans = plans_with_actions(visible_plans(user))
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
