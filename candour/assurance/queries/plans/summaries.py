"""Action plans: an owner's actions needing attention, and the summaries the board report reads."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from candour.assurance.models import (
    Action,
    ActionPlan,
)
from candour.assurance.queries.framework import month_of
from candour.assurance.queries.plans.pages import (
    ActionRow,
    StatusCounts,
    count_statuses,
    plans_with_actions,
    source_text,
)
from candour.assurance.queries.plans.status import Pace, judge_actions, pace_of, with_milestones
from candour.assurance.status import (
    SEVERITY,
    Status,
)
from candour.people.models import OrgUnit, User

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
    plans = plans_with_actions(plans)
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
