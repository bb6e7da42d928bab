"""Assurance views: reports. The list of recent runs with the forms to ask for a report, each run's progress
page (it refreshes itself until the report is ready or has failed), trying again, and the downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from candour.assurance.access import GENERATE_REPORTS, VIEW
from candour.assurance.forms.reports import CqcPackForm, OfstedPackForm
from candour.assurance.models import ReportKind
from candour.assurance.queries import reports as queries
from candour.assurance.services import reports as services
from candour.core.decorators import read_only
from candour.people.access import can
from candour.people.decorators import permission_required

REFRESH_SECONDS = 3
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@permission_required(VIEW)
@read_only
def list_reports(request):
    return _list_page(request)


def _list_page(request, *, cqc_form=None, ofsted_form=None):
    unit = queries.report_unit(request.user)
    return render(
        request,
        "assurance/reports/list_reports.jinja",
        {
            "runs": queries.visible_runs(request.user),
            "unit": unit,
            "cqc_form": cqc_form or CqcPackForm(),
            "ofsted_form": ofsted_form or OfstedPackForm(),
            "errors": (cqc_form and cqc_form.errors) or (ofsted_form and ofsted_form.errors),
        },
    )


def _report_unit(request):
    unit = queries.report_unit(request.user)
    if unit is None:
        raise PermissionDenied  # reports cover the whole trust
    return unit


@permission_required(GENERATE_REPORTS)
@require_POST
def request_board_report(request):
    run = services.request_report(by=request.user, kind=ReportKind.BOARD, unit=_report_unit(request))
    return redirect("assurance:show_report_run", run_id=run.public_id)


@permission_required(GENERATE_REPORTS)
@require_POST
def request_cqc_pack(request):
    unit = _report_unit(request)
    form = CqcPackForm(request.POST)
    if not form.is_valid():
        return _list_page(request, cqc_form=form)
    run = services.request_report(
        by=request.user,
        kind=ReportKind.CQC_EVIDENCE,
        unit=unit,
        key_question=form.cleaned_data["key_question"],
    )
    return redirect("assurance:show_report_run", run_id=run.public_id)


@permission_required(GENERATE_REPORTS)
@require_POST
def request_ofsted_pack(request):
    unit = _report_unit(request)
    form = OfstedPackForm(request.POST)
    if not form.is_valid():
        return _list_page(request, ofsted_form=form)
    run = services.request_report(
        by=request.user,
        kind=ReportKind.OFSTED_READINESS,
        unit=unit,
        monitoring_theme=form.cleaned_data["theme"],
    )
    return redirect("assurance:show_report_run", run_id=run.public_id)


@permission_required(VIEW)
@read_only
def show_report_run(request, run_id):
    run = queries.run_for(request.user, run_id)
    if run is None:
        raise Http404
    state = queries.run_state(run)
    refreshing = state.waiting and request.GET.get("refresh") != "off"
    response = render(
        request,
        "assurance/reports/show_report_run.jinja",
        {
            "run": run,
            "state": state,
            "title": queries.report_title(run),
            "refreshing": refreshing,
            "refresh_seconds": REFRESH_SECONDS,
            "may_retry": state.retryable and can(request.user, GENERATE_REPORTS, run),
            "files": {name: services.stored_file(run, name) is not None for name in services.FORMATS},
        },
    )
    if refreshing:
        # The same as <meta http-equiv="refresh">, without JavaScript, but as a header: a timed refresh in the
        # page itself fails WCAG 2.2.1 (axe's meta-refresh rule), and the page offers a way to stop it.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@permission_required(GENERATE_REPORTS)
@require_POST
def retry_report_run(request, run_id):
    run = queries.run_for(request.user, run_id)
    if run is None:
        raise Http404
    if not can(request.user, GENERATE_REPORTS, run):
        raise PermissionDenied
    try:
        fresh = services.retry_report(by=request.user, run=run)
    except services.ReportRefused as refused:
        messages.info(request, str(refused))
        return redirect("assurance:show_report_run", run_id=run.public_id)
    messages.success(request, "A fresh attempt is queued.")
    return redirect("assurance:show_report_run", run_id=fresh.public_id)


@permission_required(VIEW)
@read_only
def download_report_html(request, run_id):
    return _download(request, run_id, "html")


@permission_required(VIEW)
@read_only
def download_report_pdf(request, run_id):
    return _download(request, run_id, "pdf")


def _download(request, run_id, file_format: str):
    run = queries.run_for(request.user, run_id)
    path = services.stored_file(run, file_format) if run else None
    if path is None:
        raise Http404
    services.record_download(by=request.user, run=run, file_format=file_format)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=queries.download_name(run, file_format),
        content_type=CONTENT_TYPES[file_format],
    )
