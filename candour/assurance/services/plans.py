"""Assurance services: action plans. The only code that writes plans, actions, milestones, evidence and
escalations; each change is audited with the fields it changed.

Rules are checked here as well as in the forms, so an import or a task cannot write what a person could not:
a success measure must be registered and have an improvement direction, its target must lie that way from
the baseline, an action is due on or after it starts, and milestones fall within the action's dates.
Completing an action needs evidence and the measure at target, or an explicit reason from someone who manages
plans; an action's owner cannot waive their own evidence.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from candour.assurance.access import MANAGE_PLANS, may_update_action
from candour.assurance.models import (
    Action,
    ActionEscalation,
    ActionEvidence,
    ActionPlan,
    FindingSource,
    Milestone,
)
from candour.assurance.queries import plans as queries
from candour.assurance.status import completion_problems, direction_problem, milestone_problem
from candour.core import audit, outbox
from candour.core.formatting import local_date
from candour.core.measures import Direction
from candour.core.refusals import Refused
from candour.people.access import can
from candour.people.models import User

PLAN_FIELDS = (
    "title",
    "finding",
    "source",
    "quality_statement",
    "core_service",
    "monitoring_theme",
    "risk",
    "unit",
    "owner",
)
ACTION_FIELDS = ("title", "description", "owner", "starts_on", "due_on", "measure_key", "target", "baseline")


def _value(value):
    """How a field's value reads in the audit log: objects by their public id, dates as ISO."""
    if hasattr(value, "public_id"):
        return str(value.public_id)
    return value


def _changes(instance, fields: dict) -> dict:
    """Set the fields on the instance, returning {field: [old, new]} for those that changed."""
    changed = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if old != new:
            changed[name] = [_value(old), _value(new)]
            setattr(instance, name, new)
    return changed


def _require(user: User, obj) -> None:
    if not can(user, MANAGE_PLANS, obj):
        raise PermissionDenied


def source_problems(
    *, source: str, quality_statement=None, monitoring_theme=None, risk=None
) -> dict[str, str]:
    """What a plan's source needs: a quality statement for an inspection finding or a candour-gap flag, a
    theme for a monitoring visit, a risk for a risk."""
    needs = {
        FindingSource.INSPECTION: (
            "quality_statement",
            quality_statement,
            "Choose the quality statement it was about",
        ),
        FindingSource.CANDOUR_GAP: (
            "quality_statement",
            quality_statement,
            "Choose the quality statement flagged",
        ),
        FindingSource.MONITORING_VISIT: (
            "monitoring_theme",
            monitoring_theme,
            "Choose the monitoring-visit theme",
        ),
        FindingSource.RISK: ("risk", risk, "Choose the risk the plan answers"),
    }
    name, value, message = needs[FindingSource(source)]
    return {} if value is not None else {name: message}


def _clean_source(fields: dict) -> dict:
    """Keep only the links the source uses, so a plan never points at a finding it did not come from."""
    source = FindingSource(fields["source"])
    keep = {
        FindingSource.INSPECTION: {"quality_statement", "core_service"},
        FindingSource.CANDOUR_GAP: {"quality_statement", "core_service"},
        FindingSource.MONITORING_VISIT: {"monitoring_theme"},
        FindingSource.RISK: {"risk"},
    }[source]
    for name in ("quality_statement", "core_service", "monitoring_theme", "risk"):
        if name not in keep:
            fields[name] = None
    return fields


def _check_plan(by: User, fields: dict) -> None:
    _require(by, fields["unit"])
    problems = source_problems(
        source=fields["source"],
        quality_statement=fields.get("quality_statement"),
        monitoring_theme=fields.get("monitoring_theme"),
        risk=fields.get("risk"),
    )
    if problems:
        raise Refused.from_problems(problems)


@transaction.atomic
def create_plan(
    *,
    by: User,
    title: str,
    finding: str,
    source: str,
    unit,
    owner: User,
    quality_statement=None,
    core_service=None,
    monitoring_theme=None,
    risk=None,
) -> ActionPlan:
    """Open an action plan answering a finding."""
    fields = _clean_source(
        {
            "title": title,
            "finding": finding,
            "source": source,
            "quality_statement": quality_statement,
            "core_service": core_service,
            "monitoring_theme": monitoring_theme,
            "risk": risk,
            "unit": unit,
            "owner": owner,
        }
    )
    _check_plan(by, fields)
    plan = ActionPlan.objects.create(created_by=by, **fields)
    audit.record(
        action="created_action_plan",
        actor=by,
        target=plan,
        summary=title,
        changes={name: _value(value) for name, value in fields.items() if name != "finding"},
    )
    return plan


@transaction.atomic
def update_plan(*, by: User, plan: ActionPlan, **fields) -> ActionPlan:
    """Change a plan's title, finding, source, unit or owner."""
    _require(by, plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not a plan field: {', '.join(sorted(unknown))}")
    merged = _clean_source({name: getattr(plan, name) for name in PLAN_FIELDS} | fields)
    _check_plan(by, merged)
    changed = _changes(plan, merged)
    if changed:
        plan.save()
        audit.record(action="changed_action_plan", actor=by, target=plan, summary=plan.title, changes=changed)
    return plan


def _check_action(plan: ActionPlan, fields: dict, milestones=()) -> None:
    problems: dict[str, list[str]] = {}
    measure = queries.measure_or_none(fields["measure_key"])
    if measure is None or fields["measure_key"].startswith(queries.PLAN_MEASURE_PREFIX):
        problems["measure_key"] = [
            f"No measure is registered with the key “{fields['measure_key']}”: choose a measure from the list"
        ]
    else:
        problem = direction_problem(
            title=measure.title,
            direction=Direction(measure.direction),
            baseline=fields["baseline"],
            target=fields["target"],
            unit=measure.unit,
        )
        if problem:
            field = "measure_key" if Direction(measure.direction) == Direction.NEITHER else "target"
            problems[field] = [problem]
    if fields["due_on"] < fields["starts_on"]:
        problems["due_on"] = ["The due date must be on or after the start date"]
    else:
        for milestone in milestones:
            problem = milestone_problem(
                due_on=milestone.due_on,
                starts_on=fields["starts_on"],
                action_due_on=fields["due_on"],
                title=milestone.title,
            )
            if problem:
                problems.setdefault("due_on", []).append(problem)
    if problems:
        raise Refused.from_problems(problems)


def _baseline_for(plan: ActionPlan, key: str, baseline: float | None, today: dt.date) -> float:
    if baseline is not None:
        return baseline
    latest = queries.latest_value(key, plan.unit, today) if queries.measure_or_none(key) else None
    if latest is None:
        raise Refused.from_problems(
            {
                "baseline": f"There is no recorded value of this measure for {plan.unit.name} yet: enter the "
                "baseline, the value when the action starts"
            }
        )
    return latest[0]


@transaction.atomic
def add_action(
    *,
    by: User,
    plan: ActionPlan,
    title: str,
    owner: User,
    starts_on: dt.date,
    due_on: dt.date,
    measure_key: str,
    target: float,
    baseline: float | None = None,
    description: str = "",
) -> Action:
    """Add a SMART action to a plan. Without a baseline, the measure's latest value for the plan's unit is
    taken as it."""
    _require(by, plan)
    today = timezone.localdate()
    fields = {
        "title": title,
        "description": description,
        "owner": owner,
        "starts_on": starts_on,
        "due_on": due_on,
        "measure_key": measure_key,
        "target": target,
    }
    if queries.measure_or_none(measure_key) is not None:
        fields["baseline"] = _baseline_for(plan, measure_key, baseline, today)
    else:
        fields["baseline"] = baseline
    _check_action(plan, fields)
    action = Action.objects.create(plan=plan, **fields)
    audit.record(
        action="added_action",
        actor=by,
        target=action,
        summary=f"{plan.title}: {title}",
        changes={name: _value(value) for name, value in fields.items() if name != "description"}
        | {"plan": str(plan.public_id)},
    )
    return action


@transaction.atomic
def update_action(*, by: User, action: Action, **fields) -> Action:
    """Change an action's terms: its title, owner, dates, success measure, target or baseline."""
    _require(by, action)
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Not an action field: {', '.join(sorted(unknown))}")
    merged = {name: getattr(action, name) for name in ACTION_FIELDS} | fields
    if merged["baseline"] is None:
        merged["baseline"] = _baseline_for(action.plan, merged["measure_key"], None, timezone.localdate())
    _check_action(action.plan, merged, milestones=list(action.milestones.all()))
    changed = _changes(action, merged)
    if changed:
        action.save()
        if "description" in changed:
            changed["description"] = "[changed]"
        audit.record(action="changed_action", actor=by, target=action, summary=action.title, changes=changed)
    return action


def _check_milestone(action: Action, title: str, due_on: dt.date) -> None:
    problem = milestone_problem(due_on=due_on, starts_on=action.starts_on, action_due_on=action.due_on)
    if problem:
        raise Refused.from_problems({"due_on": problem})


@transaction.atomic
def add_milestone(*, by: User, action: Action, title: str, due_on: dt.date) -> Milestone:
    _require(by, action)
    _check_milestone(action, title, due_on)
    milestone = Milestone.objects.create(action=action, title=title, due_on=due_on)
    audit.record(
        action="added_milestone",
        actor=by,
        target=action,
        summary=f"{action.title}: {title}",
        changes={"milestone": str(milestone.public_id), "title": title, "due_on": due_on},
    )
    return milestone


@transaction.atomic
def update_milestone(*, by: User, milestone: Milestone, title: str, due_on: dt.date) -> Milestone:
    action = milestone.action
    _require(by, action)
    _check_milestone(action, title, due_on)
    changed = _changes(milestone, {"title": title, "due_on": due_on})
    if changed:
        milestone.save()
        audit.record(
            action="changed_milestone",
            actor=by,
            target=action,
            summary=f"{action.title}: {milestone.title}",
            changes=changed | {"milestone": str(milestone.public_id)},
        )
    return milestone


@transaction.atomic
def record_milestone(*, by: User, milestone: Milestone, done: bool, on: dt.date | None = None) -> Milestone:
    """Record a milestone done (today, unless a day is given), or not done after all."""
    action = milestone.action
    if not may_update_action(by, action):
        raise PermissionDenied
    done_on = (on or timezone.localdate()) if done else None
    changed = _changes(milestone, {"done_on": done_on})
    if changed:
        milestone.save(update_fields=["done_on", "updated_at"])
        audit.record(
            action="recorded_milestone_done" if done else "recorded_milestone_not_done",
            actor=by,
            target=action,
            summary=f"{action.title}: {milestone.title}",
            changes=changed | {"milestone": str(milestone.public_id)},
        )
    return milestone


@transaction.atomic
def add_evidence(*, by: User, action: Action, description: str, location: str = "") -> ActionEvidence:
    """Add a piece of evidence that the action was done: what it is, and where to find it."""
    if not may_update_action(by, action):
        raise PermissionDenied
    evidence = ActionEvidence.objects.create(
        action=action, description=description, location=location, added_on=timezone.localdate(), added_by=by
    )
    audit.record(
        action="added_action_evidence",
        actor=by,
        target=action,
        summary=action.title,
        # What the evidence says stays on the action; the log keeps that it was added, and where it lives.
        changes={"evidence": str(evidence.public_id), "location": location},
    )
    return evidence


@transaction.atomic
def complete_action(*, by: User, action: Action, override_reason: str = "") -> Action:
    """Mark an action complete: with evidence and its measure at target, or with a reason from someone who
    manages plans over it."""
    if not may_update_action(by, action):
        raise PermissionDenied
    action = Action.objects.select_for_update().select_related("plan__unit").get(pk=action.pk)
    if action.completed_on is not None:
        raise Refused.from_problems("This action is already complete")
    override_reason = override_reason.strip()
    if override_reason and not can(by, MANAGE_PLANS, action):
        raise Refused.from_problems(
            {"override_reason": "Only someone who manages action plans can close an action without evidence"}
        )
    today = timezone.localdate()
    measure = queries.measure_or_none(action.measure_key)
    problems = completion_problems(
        evidence_count=action.evidence.count(),
        live=queries.live_reading(action, today),
        target=action.target,
        direction=Direction(measure.direction) if measure else Direction.NEITHER,
        unit=measure.unit if measure else "",
        override_reason=override_reason,
    )
    if problems:
        raise Refused.from_problems(problems)
    changed = _changes(
        action, {"completed_on": today, "completed_by": by, "completion_override_reason": override_reason}
    )
    action.save(update_fields=["completed_on", "completed_by", "completion_override_reason", "updated_at"])
    audit.record(
        action="completed_action",
        actor=by,
        target=action,
        summary=action.title + (" (closed with a reason)" if override_reason else ""),
        changes=changed,
    )
    return action


@transaction.atomic
def reopen_action(*, by: User, action: Action, reason: str) -> Action:
    """Open a completed action again, saying why."""
    if not may_update_action(by, action):
        raise PermissionDenied
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_on is None:
        raise Refused.from_problems("This action is not complete")
    if not reason.strip():
        raise Refused.from_problems({"reason": "Enter why the action is being reopened"})
    changed = _changes(action, {"completed_on": None, "completed_by": None, "completion_override_reason": ""})
    action.save(update_fields=["completed_on", "completed_by", "completion_override_reason", "updated_at"])
    audit.record(
        action="reopened_action",
        actor=by,
        target=action,
        summary=action.title,
        changes=changed | {"reason": reason.strip()},
    )
    return action


# Escalation


def _escalation_to(action: Action) -> User | None:
    """The owner's line manager's sign-in; failing that, the plan's accountable owner if someone else."""
    person = action.owner.person
    manager = person.line_manager if person else None
    user = User.objects.filter(person=manager, is_active=True).first() if manager else None
    if user is None and action.plan.owner_id != action.owner_id and action.plan.owner.is_active:
        user = action.plan.owner
    return user


def escalation_message(action: Action, to: User) -> tuple[str, str, str, list[str]]:
    """Title, dates and a link only: mail leaves the trust's systems, and a finding may be sensitive."""
    link = settings.CANDOUR_BASE_URL.rstrip("/") + reverse(
        "assurance:show_action", kwargs={"action_id": action.public_id}
    )
    body = (
        f"An action owned by {action.owner.display_name} is overdue. "
        f"It was due on {local_date(action.due_on)} and is not complete.\n\n"
        f"Action: {action.title}\n"
        f"Open it in Candour: {link}\n\n"
        "You are told because you line-manage its owner (or are accountable for its plan). "
        "This email deliberately contains no details of the finding. Sign in to read them."
    )
    return "Candour: an overdue action needs your attention", body, settings.DEFAULT_FROM_EMAIL, [to.email]


@transaction.atomic
def escalate_overdue_actions(*, today: dt.date) -> int:
    """Escalate each overdue action to its owner's line manager, once per due date, by email; returns how
    many were escalated. A moved due date escalates afresh when it, too, passes."""
    overdue = list(
        Action.objects.select_for_update(of=("self",))
        .filter(completed_on__isnull=True, due_on__lt=today)
        .exclude(Exists(ActionEscalation.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))))
        .select_related("owner__person__line_manager", "plan__owner")
        .order_by("due_on", "pk")
    )
    messages = []
    for action in overdue:
        to = _escalation_to(action)
        ActionEscalation.objects.create(
            action=action, due_on=action.due_on, escalated_on=today, escalated_to=to
        )
        audit.record(
            action="escalated_overdue_action",
            system="action escalation",
            target=action,
            summary=action.title,
            changes={"due_on": action.due_on, "escalated_to": to.email if to else None},
        )
        if to is not None:
            messages.append(escalation_message(action, to))
    # Queued with the escalations they tell of: the outbox sends each once, after this commits.
    outbox.send(messages)
    return len(overdue)
