"""Assurance views: the measures catalogue and one measure's page, each for the trust or an area, and the
quality lead's recalculation of a measure's process limits (and its undoing) from that page.

The unit is chosen by its public id in the query string, from the units the viewer's scope reaches; any
other id is a 404, so a unit outside scope is never shown and its existence never confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from candour.assurance.access import MANAGE_FRAMEWORK
from candour.assurance.forms.limits import RecalculateLimitsForm, UndoRecalculationForm
from candour.assurance.queries import catalogue as queries
from candour.assurance.services import limits as services
from candour.core import refusals
from candour.core.charts import unit_label
from candour.core.decorators import read_only
from candour.people.access import scope_of
from candour.people.decorators import permission_required
from candour.people.roles import Permission


def _unit_choice(request):
    """(units the viewer may choose, the one chosen); 404 for a unit asked for that is not one of them."""
    units = queries.units_in_scope(scope_of(request.user, Permission.VIEW_MEASURES))
    unit = queries.chosen_unit(units, request.GET.get("unit"))
    if request.GET.get("unit") and unit is None:
        raise Http404("No such area in your view")
    return units, unit


@permission_required(Permission.VIEW_MEASURES)
@read_only
def list_measures(request):
    units, unit = _unit_choice(request)
    return render(
        request,
        "assurance/measures/list_measures.jinja",
        {
            "units": units,
            "unit": unit,
            "catalogue": queries.catalogue(unit) if unit else None,
            "refresh_minutes": _refresh_minutes(),
        },
    )


@permission_required(Permission.VIEW_MEASURES)
@read_only
def show_measure(request, measure_key: str):
    return _measure_page(request, _measure(measure_key))


@permission_required(Permission.VIEW_MEASURES)
@require_POST
def recalculate_limits(request, measure_key: str):
    measure = _measure(measure_key)
    _, unit = _unit_choice(request)
    if unit is None:
        raise Http404("Measures are kept for the trust and its areas")
    form = RecalculateLimitsForm(request.POST)
    done = refusals.submit(
        request,
        form,
        lambda: services.recalculate_limits(
            by=request.user, measure_key=measure.key, unit=unit, **form.cleaned_data
        ),
    )
    if not done:
        return _measure_page(request, measure, recalculate_form=form)
    messages.success(request, f"Limits recalculated from {done.from_month:%B %Y}")
    return _back_to_measure(measure, unit)


@permission_required(Permission.VIEW_MEASURES)
@require_POST
def undo_recalculation(request, measure_key: str):
    measure = _measure(measure_key)
    _, unit = _unit_choice(request)
    if unit is None:
        raise Http404("Measures are kept for the trust and its areas")
    form = UndoRecalculationForm(request.POST, recalculations=queries.recalculations(measure, unit))
    recalculation = form.cleaned_data["recalculation"] if form.is_valid() else None
    if recalculation is None:
        return _back_to_measure(measure, unit)
    services.undo_recalculation(by=request.user, recalculation=recalculation)
    messages.success(request, f"Limits are no longer recalculated from {recalculation.from_month:%B %Y}")
    return _back_to_measure(measure, unit)


def _measure(measure_key: str):
    measure = queries.find_measure(measure_key)
    if measure is None:
        raise Http404("No measure has that key")
    return measure


def _back_to_measure(measure, unit):
    return redirect(f"{reverse('assurance:show_measure', args=[measure.key])}?unit={unit.public_id}")


def _measure_page(request, measure, *, recalculate_form=None):
    units, unit = _unit_choice(request)
    chart = queries.measure_chart(measure, unit) if unit else None
    may_recalculate = unit is not None and scope_of(request.user, MANAGE_FRAMEWORK).covers(unit)
    offer = may_recalculate and chart is not None and chart.shift_start is not None
    if offer and recalculate_form is None:
        recalculate_form = RecalculateLimitsForm(initial={"from_month": f"{chart.shift_start.start:%Y-%m}"})
    return render(
        request,
        "assurance/measures/show_measure.jinja",
        {
            "units": units,
            "unit": unit,
            "measure": measure,
            "chart": chart,
            "recalculations": queries.recalculations(measure, unit) if unit else [],
            "may_recalculate": may_recalculate,
            # A form sent back with a refusal is shown even if the offer has gone since, to say why.
            "recalculate_form": recalculate_form if offer or recalculate_form is not None else None,
            "group_name": queries.group_name(queries.group_key(measure)),
            "unit_label": unit_label(measure.unit),
            "refresh_minutes": _refresh_minutes(),
            "recent_months": settings.CANDOUR_SNAPSHOT_RECENT_MONTHS,
            "chart_months": settings.CANDOUR_CHART_MONTHS,
            "minimum_points": settings.CANDOUR_SPC_MINIMUM_POINTS,
            "shift_length": settings.CANDOUR_SPC_SHIFT_LENGTH,
            "trend_length": settings.CANDOUR_SPC_TREND_LENGTH,
        },
    )


def _refresh_minutes() -> int:
    return int(settings.CANDOUR_SNAPSHOT_REFRESH_INTERVAL.total_seconds() // 60)
