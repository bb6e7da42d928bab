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

from candour.assurance.queries.plans.pages import (
    ActionCard,
    ActionRow,
    MilestoneRow,
    PaceChoice,
    PlanPage,
    PlanRow,
    PlansPage,
    StatusCounts,
    action_card,
    count_statuses,
    escalated_to,
    judgement_of,
    latest_value,
    live_reading,
    plan_page,
    plans_page,
    plans_with_actions,
    source_text,
)
from candour.assurance.queries.plans.reach import (
    PLAN_MEASURE_PREFIX,
    action_for_manager,
    action_for_updater,
    action_for_viewer,
    measure_or_none,
    milestone_for_manager,
    milestone_for_updater,
    owner_choices,
    plan_for_manager,
    plan_for_viewer,
    plan_units,
    success_measures,
    units_under,
    visible_actions,
    visible_plans,
)
from candour.assurance.queries.plans.status import (
    Pace,
    counts_towards_pace,
    facts_of,
    judge_actions,
    pace_of,
    readings,
    unit_pace,
    with_milestones,
)
from candour.assurance.queries.plans.summaries import (
    ActionSummary,
    OwnActions,
    PlanSummary,
    own_actions_needing_attention,
    plan_summaries,
)

__all__ = [
    "PLAN_MEASURE_PREFIX",
    "ActionCard",
    "ActionRow",
    "ActionSummary",
    "MilestoneRow",
    "OwnActions",
    "Pace",
    "PaceChoice",
    "PlanPage",
    "PlanRow",
    "PlanSummary",
    "PlansPage",
    "StatusCounts",
    "action_card",
    "action_for_manager",
    "action_for_updater",
    "action_for_viewer",
    "count_statuses",
    "counts_towards_pace",
    "escalated_to",
    "facts_of",
    "judge_actions",
    "judgement_of",
    "latest_value",
    "live_reading",
    "measure_or_none",
    "milestone_for_manager",
    "milestone_for_updater",
    "own_actions_needing_attention",
    "owner_choices",
    "pace_of",
    "plan_for_manager",
    "plan_for_viewer",
    "plan_page",
    "plan_summaries",
    "plan_units",
    "plans_page",
    "plans_with_actions",
    "readings",
    "source_text",
    "success_measures",
    "unit_pace",
    "units_under",
    "visible_actions",
    "visible_plans",
    "with_milestones",
]
