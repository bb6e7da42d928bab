"""Assurance views: the measures catalogue and one measure's page, each for the trust or an area.

The unit is chosen by its public id in the query string, from the units the viewer's scope reaches; any
other id is a 404, so a unit outside scope is never shown and its existence never confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from candour.assurance.queries import catalogue as queries
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
    measure = queries.find_measure(measure_key)
    if measure is None:
        raise Http404("No measure has that key")
    units, unit = _unit_choice(request)
    return render(
        request,
        "assurance/measures/show_measure.jinja",
        {
            "units": units,
            "unit": unit,
            "measure": measure,
            "chart": queries.measure_chart(measure, unit) if unit else None,
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
