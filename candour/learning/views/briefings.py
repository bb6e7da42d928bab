"""Learning views: briefings. Publishing (leads), reading and acknowledging (everyone), the figures (leads).

A briefing the user is neither sent nor may follow as a lead is a 404: its existence is never revealed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.core.decorators import read_only
from candour.core.refusals import submit
from candour.learning.access import PUBLISH_BRIEFINGS
from candour.learning.forms.briefings import PublishBriefingForm
from candour.learning.queries import briefings as queries
from candour.learning.services import briefings as services
from candour.people.access import can
from candour.people.decorators import permission_required
from candour.people.queries import job_roles

WAITING_PAGE_SIZE = 50


@login_required
@read_only
def list_briefings(request):
    is_lead = can(request.user, PUBLISH_BRIEFINGS)
    unread_only = request.GET.get("show") == queries.UNREAD
    return render(
        request,
        "learning/list_briefings.jinja",
        {
            "is_lead": is_lead,
            "unread_only": unread_only,
            "followed": queries.followed_briefings(request.user) if is_lead and not unread_only else [],
            "addressed": queries.addressed_briefings(request.user, unread_only=unread_only),
        },
    )


@permission_required(PUBLISH_BRIEFINGS)
def publish_briefing(request):
    areas, stations = queries.publishable_units(request.user)
    form = PublishBriefingForm(request.POST or None, roles=job_roles(), areas=areas, stations=stations)
    briefing = submit(request, form, lambda: services.publish_briefing(by=request.user, **form.publication()))
    if briefing:
        audience = briefing.audience.count()
        messages.success(request, f"Published to {audience:,} {'person' if audience == 1 else 'people'}")
        return redirect("learning:show_briefing", briefing_id=briefing.public_id)
    return render(request, "learning/publish_briefing.jinja", {"form": form})


@login_required
@read_only
def show_briefing(request, briefing_id):
    page = queries.briefing_page(request.user, briefing_id)
    if page is None:
        raise Http404
    return render(request, "learning/show_briefing.jinja", {"page": page})


@login_required
@require_POST
def acknowledge_briefing(request, briefing_id):
    briefing = queries.briefing_for_reader(request.user, briefing_id)
    if briefing is None:
        raise Http404
    services.acknowledge_briefing(by=request.user, briefing=briefing)
    messages.success(request, "Thank you. You have confirmed you read and understood this briefing.")
    return redirect("learning:show_briefing", briefing_id=briefing.public_id)


@permission_required(PUBLISH_BRIEFINGS)
@read_only
def show_briefing_report(request, briefing_id):
    briefing = queries.briefing_for_lead(request.user, briefing_id)
    if briefing is None:
        raise Http404
    waiting = Paginator(queries.not_acknowledged(briefing), WAITING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/show_briefing_report.jinja",
        {"report": queries.report(briefing), "waiting": waiting, "today": timezone.localdate()},
    )
