"""Assurance views: action plans. The list with the pace of change, a plan, an action, and the forms that set
them up (those who manage plans) and keep them up to date (an action's owner too).

A plan or action the user may not see is a 404: its existence is never revealed. Status is computed on every
page from the facts, never stored.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.assurance.access import MANAGE_PLANS, VIEW
from candour.assurance.forms.plans import (
    ActionForm,
    CompleteForm,
    EvidenceForm,
    MilestoneForm,
    PlanForm,
    ReopenForm,
)
from candour.assurance.models import FindingSource
from candour.assurance.queries import plans as queries
from candour.assurance.queries import risks as risk_queries
from candour.assurance.services import plans as services
from candour.core.decorators import read_only
from candour.core.refusals import submit
from candour.people.access import can, scope_of
from candour.people.decorators import permission_required


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@permission_required(VIEW)
@read_only
def list_plans(request):
    page = queries.plans_page(request.user, timezone.localdate(), _uuid(request.GET.get("unit")))
    return render(request, "assurance/plans/list_plans.jinja", {"page": page})


def _plan_form(request, data=None, initial=None):
    scope = scope_of(request.user, MANAGE_PLANS)
    return PlanForm(
        data,
        initial=initial,
        units=queries.plan_units(request.user),
        owners=queries.owner_choices(scope.unit_ids),
        risks=risk_queries.visible_risks(request.user).order_by("reference"),
    )


@permission_required(MANAGE_PLANS)
def create_plan(request):
    initial = {}
    risk = risk_queries.risk_for_viewer(request.user, _uuid(request.GET.get("risk")))
    if risk is not None:
        initial = {
            "source": FindingSource.RISK,
            "risk": str(risk.public_id),
            "title": f"Reduce risk {risk.reference}: {risk.title}",
            "finding": risk.description,
        }
    form = _plan_form(request, request.POST or None, initial)
    plan = submit(request, form, lambda: services.create_plan(by=request.user, **form.cleaned_data))
    if plan is not None:
        messages.success(request, "Plan created. Now add its actions.")
        return redirect("assurance:show_plan", plan_id=plan.public_id)
    return render(request, "assurance/plans/create_plan.jinja", {"form": form})


@permission_required(VIEW)
@read_only
def show_plan(request, plan_id):
    plan = queries.plan_for_viewer(request.user, plan_id)
    if plan is None:
        raise Http404
    page = queries.plan_page(request.user, plan, timezone.localdate())
    return render(request, "assurance/plans/show_plan.jinja", {"page": page})


@permission_required(MANAGE_PLANS)
def edit_plan(request, plan_id):
    plan = queries.plan_for_manager(request.user, plan_id)
    if plan is None:
        raise Http404
    form = _plan_form(request, request.POST or None, PlanForm.initial_for(plan))
    if submit(request, form, lambda: services.update_plan(by=request.user, plan=plan, **form.cleaned_data)):
        messages.success(request, "Plan changed")
        return redirect("assurance:show_plan", plan_id=plan.public_id)
    return render(request, "assurance/plans/edit_plan.jinja", {"form": form, "plan": plan})


def _action_form(request, plan, data=None, initial=None, milestones=()):
    return ActionForm(
        data,
        initial=initial,
        plan=plan,
        owners=queries.owner_choices(queries.units_under(plan.unit)),
        milestones=milestones,
    )


@permission_required(MANAGE_PLANS)
def add_action(request, plan_id):
    plan = queries.plan_for_manager(request.user, plan_id)
    if plan is None:
        raise Http404
    form = _action_form(request, plan, request.POST or None)
    action = submit(
        request, form, lambda: services.add_action(by=request.user, plan=plan, **form.action_fields())
    )
    if action is not None:
        messages.success(request, "Action added. Add its milestones.")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(request, "assurance/plans/add_action.jinja", {"form": form, "plan": plan})


@permission_required(VIEW)
@read_only
def show_action(request, action_id):
    action = queries.action_for_viewer(request.user, action_id)
    if action is None:
        raise Http404
    card = queries.action_card(request.user, action, timezone.localdate())
    return render(request, "assurance/plans/show_action.jinja", {"card": card, "plan": action.plan})


@permission_required(MANAGE_PLANS)
def edit_action(request, action_id):
    action = queries.action_for_manager(request.user, action_id)
    if action is None:
        raise Http404
    form = _action_form(
        request,
        action.plan,
        request.POST or None,
        ActionForm.initial_for(action),
        milestones=action.milestones.all(),
    )
    if submit(
        request, form, lambda: services.update_action(by=request.user, action=action, **form.action_fields())
    ):
        messages.success(request, "Action changed")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(request, "assurance/plans/edit_action.jinja", {"form": form, "action": action})


@permission_required(MANAGE_PLANS)
def add_milestone(request, action_id):
    action = queries.action_for_manager(request.user, action_id)
    if action is None:
        raise Http404
    form = MilestoneForm(request.POST or None, action=action)
    if submit(
        request, form, lambda: services.add_milestone(by=request.user, action=action, **form.cleaned_data)
    ):
        messages.success(request, "Milestone added")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(
        request, "assurance/plans/edit_milestone.jinja", {"form": form, "action": action, "milestone": None}
    )


@permission_required(MANAGE_PLANS)
def edit_milestone(request, milestone_id):
    milestone = queries.milestone_for_manager(request.user, milestone_id)
    if milestone is None:
        raise Http404
    action = milestone.action
    initial = {"title": milestone.title, "due_on": milestone.due_on}
    form = MilestoneForm(request.POST or None, initial=initial, action=action)
    if submit(
        request,
        form,
        lambda: services.update_milestone(by=request.user, milestone=milestone, **form.cleaned_data),
    ):
        messages.success(request, "Milestone changed")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(
        request,
        "assurance/plans/edit_milestone.jinja",
        {"form": form, "action": action, "milestone": milestone},
    )


@permission_required(VIEW)
@require_POST
def record_milestone(request, milestone_id):
    milestone = queries.milestone_for_updater(request.user, milestone_id)
    if milestone is None:
        raise Http404
    done = request.POST.get("done") == "yes"
    services.record_milestone(by=request.user, milestone=milestone, done=done)
    messages.success(request, f"“{milestone.title}” recorded as {'done' if done else 'not done'}")
    return redirect("assurance:show_action", action_id=milestone.action.public_id)


@permission_required(VIEW)
def add_evidence(request, action_id):
    action = queries.action_for_updater(request.user, action_id)
    if action is None:
        raise Http404
    form = EvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_evidence(by=request.user, action=action, **form.cleaned_data)
        messages.success(request, "Evidence added")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(request, "assurance/plans/add_evidence.jinja", {"form": form, "action": action})


@permission_required(VIEW)
def complete_action(request, action_id):
    action = queries.action_for_updater(request.user, action_id)
    if action is None:
        raise Http404
    if action.completed_on is not None:
        return redirect("assurance:show_action", action_id=action.public_id)
    may_override = can(request.user, MANAGE_PLANS, action)
    # Bound on any POST: with nothing to fill in, an empty form is still a request to complete.
    form = CompleteForm(request.POST if request.method == "POST" else None, may_override=may_override)

    def complete():
        reason = form.cleaned_data.get("override_reason", "")
        return services.complete_action(by=request.user, action=action, override_reason=reason)

    if submit(request, form, complete):
        messages.success(request, "Action marked complete")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(
        request,
        "assurance/plans/complete_action.jinja",
        {
            "form": form,
            "action": action,
            "card": queries.action_card(request.user, action, timezone.localdate()),
            "may_override": may_override,
        },
    )


@permission_required(VIEW)
def reopen_action(request, action_id):
    action = queries.action_for_updater(request.user, action_id)
    if action is None:
        raise Http404
    if action.completed_on is None:
        return redirect("assurance:show_action", action_id=action.public_id)
    form = ReopenForm(request.POST or None)
    if submit(
        request, form, lambda: services.reopen_action(by=request.user, action=action, **form.cleaned_data)
    ):
        messages.success(request, "Action reopened")
        return redirect("assurance:show_action", action_id=action.public_id)
    return render(request, "assurance/plans/reopen_action.jinja", {"form": form, "action": action})
