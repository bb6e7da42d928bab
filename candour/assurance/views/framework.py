"""Assurance views: the CQC framework. The ratings grid and its drill-down, self-assessment, measure
bindings and the candour gap, published inspection ratings, overrides and breaches.

The framework is the trust's own: anyone with `assurance.view` reads it; writing needs the permission over
the whole trust (an area's operations manager may read but not change the trust's judgement).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.assurance.access import MANAGE_FRAMEWORK, SELF_ASSESS, VIEW
from candour.assurance.forms.framework import (
    BindMeasureForm,
    BreachForm,
    InspectionRatingsForm,
    OverrideForm,
    ResolveBreachForm,
    SelfAssessmentForm,
)
from candour.assurance.models import KeyQuestion, MeasureBinding, QualityStatement, RegulatoryBreach
from candour.assurance.queries import framework as queries
from candour.assurance.queries import gap as gap_queries
from candour.assurance.services import framework as services
from candour.assurance.services.framework import FrameworkRefused
from candour.core import charts
from candour.core.decorators import read_only
from candour.core.measures import get as get_measure
from candour.core.refusals import show_refusal
from candour.people.access import scope_of
from candour.people.decorators import permission_required
from candour.people.models import CoreService


def trust_wide_required(permission: str):
    """Signed in, holding the permission, over the whole trust; otherwise 403."""

    def decorate(view):
        @permission_required(permission)
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not scope_of(request.user, permission).trust_wide:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def may(user, permission: str) -> bool:
    return scope_of(user, permission).trust_wide


def _service(slug: str) -> CoreService | None:
    try:
        return queries.core_service_for_slug(slug)
    except CoreService.DoesNotExist:
        raise Http404 from None


def _statement(code: str, service: CoreService | None) -> QualityStatement:
    statement = get_object_or_404(QualityStatement, code=code)
    if service is None and statement.key_question != KeyQuestion.WELL_LED:
        raise Http404  # the trust assesses itself only on well-led
    return statement


def _service_param(request) -> str:
    """A service slug passed along for the way back, if it names one."""
    slug = request.GET.get("service", "")
    if slug == queries.TRUST_SLUG or CoreService.objects.filter(slug=slug).exists():
        return slug
    return ""


@permission_required(VIEW)
@read_only
def show_framework(request):
    return render(
        request,
        "assurance/framework/show_framework.jinja",
        {
            "grid": queries.ratings_grid(on=timezone.localdate()),
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@permission_required(VIEW)
@read_only
def show_key_question(request, service_slug, key_question):
    if key_question not in KeyQuestion.values:
        raise Http404
    service = _service(service_slug)
    if service is None and key_question != KeyQuestion.WELL_LED:
        raise Http404
    page = queries.key_question_page(service, key_question, on=timezone.localdate())
    return render(request, "assurance/framework/show_key_question.jinja", {"page": page})


@permission_required(VIEW)
@read_only
def show_statement(request, statement_code, service_slug):
    service = _service(service_slug)
    statement = _statement(statement_code, service)
    page = queries.statement_page(statement, service, on=timezone.localdate())
    return render(
        request,
        "assurance/framework/show_statement.jinja",
        {
            "page": page,
            "service_slug": service_slug,
            "may_assess": may(request.user, SELF_ASSESS),
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@trust_wide_required(SELF_ASSESS)
def assess_statement(request, statement_code, service_slug):
    service = _service(service_slug)
    statement = _statement(statement_code, service)
    page = queries.statement_page(statement, service, on=timezone.localdate())
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        current=page.row.assessment,
        links=page.row.links,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_self_assessment(
                by=request.user, statement=statement, core_service=service, **form.assessment()
            )
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Self-assessment of {statement.title} saved")
            return redirect(
                "assurance:show_statement", statement_code=statement.code, service_slug=service_slug
            )
    return render(
        request,
        "assurance/framework/assess_statement.jinja",
        {"form": form, "page": page, "service_slug": service_slug},
    )


@trust_wide_required(MANAGE_FRAMEWORK)
def bind_measure(request, statement_code):
    statement = get_object_or_404(QualityStatement, code=statement_code)
    back = _service_param(request)
    form = BindMeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            binding = services.bind_measure(by=request.user, statement=statement, **form.binding())
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, f"{get_measure(binding.measure_key).title} is bound to {statement.title}"
            )
            return _back_to_statement(statement, back)
    bound = MeasureBinding.objects.filter(quality_statement=statement)
    return render(
        request,
        "assurance/framework/bind_measure.jinja",
        {"form": form, "statement": statement, "back": back, "bound": bound},
    )


def _back_to_statement(statement: QualityStatement, slug: str):
    if not slug or (slug == queries.TRUST_SLUG and statement.key_question != KeyQuestion.WELL_LED):
        slug = CoreService.objects.values_list("slug", flat=True).first() or queries.TRUST_SLUG
    return redirect("assurance:show_statement", statement_code=statement.code, service_slug=slug)


@trust_wide_required(MANAGE_FRAMEWORK)
@require_POST
def remove_binding(request, binding_id):
    binding = get_object_or_404(
        MeasureBinding.objects.select_related("quality_statement"), public_id=binding_id
    )
    statement = binding.quality_statement
    services.remove_binding(by=request.user, binding=binding)
    messages.success(request, f"{binding.measure_key} is no longer bound to {statement.title}")
    return _back_to_statement(statement, _service_param(request))


@permission_required(VIEW)
@read_only
def show_gap(request):
    today = timezone.localdate()
    report = gap_queries.candour_gap(on=today)
    trend = gap_queries.flag_trend(on=today)
    return render(
        request,
        "assurance/framework/show_gap.jinja",
        {"report": report, "chart": charts.spc_chart(trend)},
    )


@permission_required(VIEW)
@read_only
def show_rating_history(request):
    slug = _service_param(request) or queries.TRUST_SLUG
    service = _service(slug)
    return render(
        request,
        "assurance/framework/show_rating_history.jinja",
        {
            "service": service,
            "slug": slug,
            "services": CoreService.objects.all(),
            "tables": queries.rating_history(service, on=timezone.localdate()),
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@trust_wide_required(MANAGE_FRAMEWORK)
def record_inspection_ratings(request):
    form = InspectionRatingsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.record_inspection_ratings(by=request.user, **form.ratings())
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            count = len(rows)
            messages.success(request, f"{count} published rating{'' if count == 1 else 's'} recorded")
            return redirect(
                f"{reverse('assurance:show_rating_history')}?service={form.cleaned_data['where']}"
            )
    return render(request, "assurance/framework/record_inspection_ratings.jinja", {"form": form})


@trust_wide_required(MANAGE_FRAMEWORK)
def record_override(request):
    initial = {}
    if slug := _service_param(request):
        initial["where"] = slug
    if request.GET.get("key_question") in [*KeyQuestion.values, "overall"]:
        initial["key_question"] = request.GET["key_question"]
    form = OverrideForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            override = services.record_override(by=request.user, **form.override())
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            slot = services.slot_label(override.core_service, override.key_question)
            done = "overridden" if override.rating else "returned to the rules' rating"
            messages.success(request, f"{slot} {done}")
            return redirect("assurance:show_framework")
    return render(request, "assurance/framework/record_override.jinja", {"form": form})


@permission_required(VIEW)
@read_only
def list_breaches(request):
    only_open = request.GET.get("open") == "1"  # what the open-breaches card counts, and nothing else
    breaches = queries.breaches()
    return render(
        request,
        "assurance/framework/list_breaches.jinja",
        {
            "open": [b for b in breaches if b.resolved_on is None],
            "resolved": [] if only_open else [b for b in breaches if b.resolved_on is not None],
            "only_open": only_open,
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@trust_wide_required(MANAGE_FRAMEWORK)
def record_breach(request):
    form = BreachForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.record_breach(by=request.user, **form.breach())
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Breach of {breach.regulation} recorded")
            return redirect("assurance:list_breaches")
    return render(request, "assurance/framework/record_breach.jinja", {"form": form})


@trust_wide_required(MANAGE_FRAMEWORK)
def resolve_breach(request, breach_id):
    breach = get_object_or_404(RegulatoryBreach.objects.select_related("core_service"), public_id=breach_id)
    if breach.resolved_on:
        raise Http404
    form = ResolveBreachForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_breach(by=request.user, breach=breach, **form.cleaned_data)
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Breach of {breach.regulation} resolved")
            return redirect("assurance:list_breaches")
    return render(request, "assurance/framework/resolve_breach.jinja", {"form": form, "breach": breach})
