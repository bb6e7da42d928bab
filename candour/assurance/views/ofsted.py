"""Assurance views: Ofsted monitoring. The themes with their last visit judgement and our own since, a page
per theme with its measures over time, and recording visits, self-judgements and theme measures."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.assurance.access import MANAGE_FRAMEWORK, VIEW
from candour.assurance.forms.ofsted import MonitoringVisitForm, SelfJudgementForm, ThemeMeasureForm
from candour.assurance.models import MonitoringTheme, ThemeMeasure
from candour.assurance.queries import ofsted as queries
from candour.assurance.services import ofsted as services
from candour.assurance.services.framework import FrameworkRefused
from candour.assurance.views.framework import may, trust_wide_required
from candour.core import charts
from candour.core.decorators import read_only
from candour.core.refusals import show_refusal
from candour.people.decorators import permission_required


@permission_required(VIEW)
@read_only
def show_monitoring(request):
    return render(
        request,
        "assurance/framework/show_monitoring.jinja",
        {
            "overview": queries.monitoring_overview(on=timezone.localdate()),
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@permission_required(VIEW)
@read_only
def show_theme(request, theme_code):
    theme = get_object_or_404(MonitoringTheme, code=theme_code)
    readiness = queries.theme_readiness(theme, on=timezone.localdate())
    return render(
        request,
        "assurance/framework/show_theme.jinja",
        {
            "readiness": readiness,
            "charts": [charts.spc_chart(series) for series in readiness.series],
            "may_manage": may(request.user, MANAGE_FRAMEWORK),
        },
    )


@trust_wide_required(MANAGE_FRAMEWORK)
def record_visit(request):
    themes = list(MonitoringTheme.objects.all())
    form = MonitoringVisitForm(request.POST if request.method == "POST" else None, themes=themes)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.record_visit(by=request.user, **form.visit())
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{visit} recorded")
            return redirect("assurance:show_monitoring")
    return render(request, "assurance/framework/record_visit.jinja", {"form": form})


@trust_wide_required(MANAGE_FRAMEWORK)
def record_self_judgement(request, theme_code):
    theme = get_object_or_404(MonitoringTheme, code=theme_code)
    form = SelfJudgementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_self_judgement(by=request.user, theme=theme, **form.cleaned_data)
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Your judgement of progress is recorded")
            return redirect("assurance:show_theme", theme_code=theme.code)
    return render(request, "assurance/framework/record_self_judgement.jinja", {"form": form, "theme": theme})


@trust_wide_required(MANAGE_FRAMEWORK)
def add_theme_measure(request, theme_code):
    theme = get_object_or_404(MonitoringTheme, code=theme_code)
    form = ThemeMeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bound = services.bind_theme_measure(by=request.user, theme=theme, **form.cleaned_data)
        except FrameworkRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{bound.measure_key} now evidences this theme")
            return redirect("assurance:show_theme", theme_code=theme.code)
    return render(request, "assurance/framework/add_theme_measure.jinja", {"form": form, "theme": theme})


@trust_wide_required(MANAGE_FRAMEWORK)
@require_POST
def remove_theme_measure(request, theme_measure_id):
    bound = get_object_or_404(ThemeMeasure.objects.select_related("theme"), public_id=theme_measure_id)
    services.remove_theme_measure(by=request.user, bound=bound)
    messages.success(request, f"{bound.measure_key} no longer evidences this theme")
    return redirect("assurance:show_theme", theme_code=bound.theme.code)
