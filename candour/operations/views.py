"""Operations pages: response times against the national standards, and the incidents behind each figure,
for the stations the user holds an operations role over."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from candour.core import exports
from candour.core.decorators import read_only
from candour.core.months import last_complete_month, month_of
from candour.operations.access import VIEW_RESPONSE_TIMES
from candour.operations.arp.categories import PUBLISHED, Category
from candour.operations.queries import ambsys, handovers, response_times
from candour.people.access import scope_of
from candour.people.decorators import permission_required

INCIDENTS_PAGE_SIZE = 100


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def show_overview(request):
    scope = scope_of(request.user, VIEW_RESPONSE_TIMES)
    return render(
        request,
        "operations/show_overview.jinja",
        {"overview": response_times.overview_for(scope), "may_export": ambsys.trusts_in(scope).exists()},
    )


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def export_ambsys(request):
    """The trust's complete months in AmbSYS's shape, the centile method in the file's name."""
    scope = scope_of(request.user, VIEW_RESPONSE_TIMES)
    if not ambsys.trusts_in(scope).exists():
        raise PermissionDenied
    method = response_times.centile_method()
    return exports.csv_response(f"ambsys-{method.value}-centiles.csv", ambsys.ambsys_rows(scope))


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def list_incidents(request):
    month = _month(request.GET.get("month"))
    category = _category(request.GET.get("category"))
    incidents = response_times.counted_incidents(
        scope_of(request.user, VIEW_RESPONSE_TIMES), month=month.start, category=category
    )
    return render(
        request,
        "operations/list_incidents.jinja",
        {
            "month": month,
            "category": category,
            "is_c1t": category == Category.C1T,
            "incidents": Paginator(incidents, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": urlencode({"month": f"{month.start:%Y-%m}", "category": category.value}),
        },
    )


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def list_handovers(request):
    month = _month(request.GET.get("month"), default=last_complete_month(timezone.localdate()))
    scope = scope_of(request.user, VIEW_RESPONSE_TIMES)
    return render(
        request,
        "operations/list_handovers.jinja",
        {
            "month": month,
            "hospitals": handovers.hospitals_for(scope, month.start),
            "bands": handovers.BANDS_MINUTES,
            "release_minutes": handovers.RELEASE_TO_RESCUE_MINUTES,
            "previous": month_of(month.start - dt.timedelta(days=1)),
        },
    )


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def list_arrivals(request):
    month = _month(request.GET.get("month"), default=last_complete_month(timezone.localdate()))
    hospital = request.GET.get("hospital")
    if hospital is None:
        raise Http404("Choose a hospital from the handovers page")
    arrivals = handovers.arrivals(scope_of(request.user, VIEW_RESPONSE_TIMES), month.start, hospital)
    return render(
        request,
        "operations/list_arrivals.jinja",
        {
            "month": month,
            "hospital": hospital,
            "arrivals": Paginator(arrivals, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": urlencode({"month": f"{month.start:%Y-%m}", "hospital": hospital}),
        },
    )


def _month(text: str | None, default=None):
    if not text:
        return default or month_of(timezone.localdate())
    try:
        day = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise Http404("No such month") from None
    return month_of(day)


def _category(text: str | None) -> Category:
    if not text:
        return Category.C1
    if text not in PUBLISHED:
        raise Http404("No such category")
    return Category(text)
