"""Assurance views: the risk register. The register with its heat map, a risk, adding and changing risks
(those who manage risks), and reviewing one (its owner too).

A risk the user may not see is a 404: its existence is never revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from candour.assurance.access import MANAGE_RISKS, VIEW
from candour.assurance.forms.risks import ReviewForm, RiskForm
from candour.assurance.queries import plans as plan_queries
from candour.assurance.queries import risks as queries
from candour.assurance.services import risks as services
from candour.core.decorators import read_only
from candour.core.refusals import submit
from candour.people.access import scope_of
from candour.people.decorators import permission_required


@permission_required(VIEW)
@read_only
def list_risks(request):
    page = queries.register_page(
        request.user, timezone.localdate(), above_appetite=request.GET.get("above_appetite") == "1"
    )
    return render(request, "assurance/risks/list_risks.jinja", {"page": page})


def _risk_form(request, initial=None):
    return RiskForm(
        request.POST or None,
        initial=initial,
        units=queries.risk_units(request.user),
        owners=plan_queries.owner_choices(scope_of(request.user, MANAGE_RISKS).unit_ids),
        actions=queries.linkable_actions(request.user),
    )


@permission_required(MANAGE_RISKS)
def create_risk(request):
    form = _risk_form(request)
    risk = submit(request, form, lambda: services.create_risk(by=request.user, **form.cleaned_data))
    if risk is not None:
        messages.success(request, f"Risk {risk.reference} added to the register")
        return redirect("assurance:show_risk", risk_id=risk.public_id)
    return render(request, "assurance/risks/edit_risk.jinja", {"form": form, "risk": None})


@permission_required(VIEW)
@read_only
def show_risk(request, risk_id):
    risk = queries.risk_for_viewer(request.user, risk_id)
    if risk is None:
        raise Http404
    page = queries.risk_page(request.user, risk, timezone.localdate())
    return render(request, "assurance/risks/show_risk.jinja", {"page": page})


@permission_required(MANAGE_RISKS)
def edit_risk(request, risk_id):
    risk = queries.risk_for_manager(request.user, risk_id)
    if risk is None:
        raise Http404
    form = _risk_form(request, RiskForm.initial_for(risk))
    # Links to actions this user cannot see are not offered, so they are kept as they are.
    hidden = list(risk.linked_actions.exclude(pk__in=plan_queries.visible_actions(request.user)))

    def save():
        fields = form.cleaned_data | {"linked_actions": form.cleaned_data["linked_actions"] + hidden}
        return services.update_risk(by=request.user, risk=risk, **fields)

    if submit(request, form, save):
        messages.success(request, f"Risk {risk.reference} changed")
        return redirect("assurance:show_risk", risk_id=risk.public_id)
    return render(request, "assurance/risks/edit_risk.jinja", {"form": form, "risk": risk})


@permission_required(VIEW)
def review_risk(request, risk_id):
    risk = queries.risk_for_reviewer(request.user, risk_id)
    if risk is None:
        raise Http404
    initial = {
        "current_likelihood": str(risk.current_likelihood),
        "current_consequence": str(risk.current_consequence),
    }
    form = ReviewForm(request.POST or None, initial=initial, risk=risk)
    if submit(request, form, lambda: services.review_risk(by=request.user, risk=risk, **form.cleaned_data)):
        messages.success(request, f"Review of {risk.reference} recorded")
        return redirect("assurance:show_risk", risk_id=risk.public_id)
    return render(request, "assurance/risks/review_risk.jinja", {"form": form, "risk": risk})
