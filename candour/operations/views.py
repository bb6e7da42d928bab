"""Operations pages: response times against the national standards, and the incidents behind each figure,
for the stations the user holds an operations role over; and the harm reviews of long waits."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from candour.core import exports
from candour.core.decorators import read_only
from candour.core.months import last_complete_month, month_of
from candour.core.refusals import submit
from candour.operations import services
from candour.operations.access import (
    COMPLETE_HARM_REVIEWS,
    VIEW_HARM_REVIEWS,
    VIEW_RESPONSE_TIMES,
    WORK_RECORDINGS,
)
from candour.operations.arp.categories import PUBLISHED, Category
from candour.operations.forms import HarmReviewForm
from candour.operations.models import Channel, ReviewStatus
from candour.operations.queries import ambsys, channels, handovers, harm_reviews, recordings, response_times
from candour.people.access import can, scope_of
from candour.people.decorators import permission_required

INCIDENTS_PAGE_SIZE = 100
# The overview names the hospitals that held crews longest last month; the handovers page has them all.
WORST_HOSPITALS = 3


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def show_overview(request):
    scope = scope_of(request.user, VIEW_RESPONSE_TIMES)
    month = last_complete_month(timezone.localdate())
    return render(
        request,
        "operations/show_overview.jinja",
        {
            "overview": response_times.overview_for(scope),
            "may_export": ambsys.trusts_in(scope).exists(),
            "awaiting_review": harm_reviews.awaiting_review(scope_of(request.user, VIEW_HARM_REVIEWS)),
            "handover_month": month,
            "worst_hospitals": handovers.hospitals_for(scope, month.start)[:WORST_HOSPITALS],
            # Only those who work the exceptions see their counts, so every count leads to its rows.
            "recording_exceptions": recordings.open_counts(scope_of(request.user, WORK_RECORDINGS))
            if can(request.user, WORK_RECORDINGS)
            else None,
        },
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
    code = request.GET.get("hospital")
    if code is None:
        raise Http404("Choose a hospital from the handovers page")
    hospital = handovers.hospital_coded(code)
    if code and hospital is None:
        raise Http404("No hospital has that code")
    arrivals = handovers.arrivals_at(scope_of(request.user, VIEW_RESPONSE_TIMES), month.start, hospital)
    return render(
        request,
        "operations/list_arrivals.jinja",
        {
            "month": month,
            "hospital": hospital,
            "arrivals": Paginator(arrivals, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": urlencode({"month": f"{month.start:%Y-%m}", "hospital": code}),
        },
    )


@permission_required(VIEW_HARM_REVIEWS)
@read_only
def list_harm_reviews(request):
    show = request.GET.get("show")
    show = show if show in harm_reviews.SHOWS else harm_reviews.TO_REVIEW
    return render(
        request,
        "operations/list_harm_reviews.jinja",
        {
            "worklist": harm_reviews.worklist(
                request.user, show=show, today=timezone.localdate(), page=request.GET.get("page")
            ),
            "query": f"show={show}",
        },
    )


@permission_required(VIEW_HARM_REVIEWS)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def show_harm_review(request, harm_review_id):
    """A review: the incident's timeline and the outcome, and for one who works reviews, while it is
    open, the form that completes it. Every view is audited."""
    review = harm_reviews.review_for(request.user, harm_review_id)
    if review is None:
        raise Http404
    may_work = can(request.user, COMPLETE_HARM_REVIEWS, review)
    if request.method == "POST" and not may_work:
        raise PermissionDenied
    if request.method == "POST" and review.status != ReviewStatus.OPEN:
        # Sent again after it was completed: the work was done once; say so rather than refuse.
        messages.info(
            request, f"The harm review of incident {review.incident.incident_id} is already completed"
        )
        return redirect("operations:show_harm_review", harm_review_id=review.public_id)
    may_complete = may_work and review.status == ReviewStatus.OPEN
    form = HarmReviewForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda: services.complete_review(
            by=request.user,
            review=review,
            patient_outcome=form.cleaned_data["patient_outcome"],
            harm_grade=form.cleaned_data["harm_grade"],
            panel_decision=form.cleaned_data["panel_decision"],
            learning=form.cleaned_data["learning"],
        ),
    )
    if done:
        message = (
            f"Harm review of incident {done.incident.incident_id} completed: {done.get_harm_grade_display()}"
        )
        if done.concern_reference:
            message += f"; patient safety concern {done.concern_reference} raised"
        messages.success(request, message)
        return redirect("operations:show_harm_review", harm_review_id=done.public_id)
    services.viewed(by=request.user, review=review)
    timeline = harm_reviews.timeline(review.incident)
    return render(
        request,
        "operations/show_harm_review.jinja",
        {
            "review": review,
            "incident": review.incident,
            "state": harm_reviews.review_state(review, timezone.localdate()),
            "timeline": timeline,
            "retriaged_to": [event.category for event in timeline if event.category],
            "may_complete": may_complete,
            "form": form,
        },
    )


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def show_channels(request):
    month = _month(request.GET.get("month"), default=last_complete_month(timezone.localdate()))
    return render(
        request,
        "operations/show_channels.jinja",
        {
            "figures": channels.channels_for(scope_of(request.user, VIEW_RESPONSE_TIMES), month),
            "compared": channels.COMPARED,
            "previous": month_of(month.start - dt.timedelta(days=1)),
        },
    )


@permission_required(VIEW_RESPONSE_TIMES)
@read_only
def list_channel_incidents(request):
    month = _month(request.GET.get("month"), default=last_complete_month(timezone.localdate()))
    channel, language = request.GET.get("channel", ""), request.GET.get("language", "")
    one_channel = channel in Channel.values and not language
    if not (one_channel or (language and not channel)):
        raise Http404("Choose a channel or a language from the channels page")
    incidents = channels.incidents_for(
        scope_of(request.user, VIEW_RESPONSE_TIMES), month, channel=channel, language=language
    )
    return render(
        request,
        "operations/list_channel_incidents.jinja",
        {
            "month": month,
            "group": Channel(channel).label if channel else f"Interpreter: {language}",
            "incidents": Paginator(incidents, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": urlencode({"month": f"{month.start:%Y-%m}", "channel": channel, "language": language}),
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
