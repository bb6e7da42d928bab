"""Call recording pages: the exceptions worklist, one exception worked to a close, and checking now."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from candour.core.decorators import read_only
from candour.core.refusals import submit
from candour.operations.access import WORK_RECORDINGS
from candour.operations.forms import CloseRecordingExceptionForm
from candour.operations.models import RecordingException
from candour.operations.queries import recordings as queries
from candour.operations.services import recordings as services
from candour.people.access import scope_of
from candour.people.decorators import permission_required

PAGE_SIZE = 50


@permission_required(WORK_RECORDINGS)
@read_only
def list_recording_exceptions(request):
    scope = scope_of(request.user, WORK_RECORDINGS)
    show = queries.CLOSED if request.GET.get("show") == queries.CLOSED else queries.OPEN
    kind = request.GET.get("kind", "")
    kind = kind if kind in RecordingException.Kind.values else ""
    exceptions = queries.exceptions_for(scope, show=show, kind=kind)
    page = Paginator(exceptions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/list_recording_exceptions.jinja",
        {
            "page": page,
            "show": show,
            "kind": kind,
            "kinds": RecordingException.Kind.choices,
            "counts": queries.open_counts(scope),
            "query": f"show={show}&kind={kind}",
        },
    )


@permission_required(WORK_RECORDINGS)
def close_recording_exception(request, exception_id):
    scope = scope_of(request.user, WORK_RECORDINGS)
    exception = queries.exception_for(scope, exception_id)
    if exception is None:
        raise Http404
    form = CloseRecordingExceptionForm(request.POST if exception.closed_at is None else None)
    closed = submit(
        request,
        form,
        lambda: services.close_exception(
            by=request.user,
            exception_id=exception.pk,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
    )
    if closed:
        messages.success(request, f"{closed.get_kind_display()} for {closed.subject} closed")
        return redirect("operations:list_recording_exceptions")
    return render(
        request,
        "operations/close_recording_exception.jinja",
        {
            "exception": exception,
            "form": form,
            "recordings_near": queries.recordings_near(exception, scope),
            "calls_near": queries.calls_near(exception, scope),
            "nearby_minutes": int(queries.NEARBY.total_seconds() // 60),
        },
    )


@permission_required(WORK_RECORDINGS)
@require_POST
def check_recordings_now(request):
    # The check runs over every call, as the nightly run does: a position answers calls for every area. Only
    # a trust-wide manager is told the trust's counts; an area's manager is told what is open in theirs.
    scope = scope_of(request.user, WORK_RECORDINGS)
    done = services.reconcile_recent(by=request.user)
    if scope.trust_wide:
        messages.success(request, f"Recordings checked: {done.summary}.")
    else:
        still_open = queries.open_counts(scope)
        messages.success(
            request,
            f"Recordings checked. Open in your scope: {still_open.total} exception"
            f"{'' if still_open.total == 1 else 's'}, {still_open.critical} critical.",
        )
    return redirect("operations:list_recording_exceptions")
