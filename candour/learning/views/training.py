"""Learning views: training. My training, the compliance matrix with its drill-down and exports, entering a
record by hand, and uploading the learning system's export to import in the background."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from candour.core import exports, once
from candour.core.decorators import read_only
from candour.core.importing import jobs
from candour.core.refusals import Refused, show_refusal, submit
from candour.core.uploads import accepts_upload
from candour.learning import importers
from candour.learning.access import CHASE_TRAINING, MANAGE_TRAINING, VIEW_COMPLIANCE, VIEW_OWN_TRAINING
from candour.learning.forms.training import (
    COLUMN_LABELS,
    ComplianceFilterForm,
    CompliancePeopleFilterForm,
    TrainingColumnsForm,
    TrainingRecordForm,
    TrainingRecordsUploadForm,
)
from candour.learning.queries import training as queries
from candour.learning.services import training as services
from candour.people.access import can, scope_of
from candour.people.decorators import permission_required
from candour.people.models import Person
from candour.people.views.imports import job_page


@permission_required(VIEW_OWN_TRAINING)
@read_only
def show_my_training(request):
    person = request.user.person
    training = queries.my_training(person, show=request.GET.get("show", "")) if person else None
    return render(
        request,
        "learning/show_my_training.jinja",
        {"person": person, "training": training, "due_soon_days": queries.due_soon_days()},
    )


@permission_required(VIEW_COMPLIANCE)
@read_only
def show_compliance(request):
    scope = scope_of(request.user, VIEW_COMPLIANCE)
    form = ComplianceFilterForm(
        request.GET or None, job_roles=queries.required_job_roles(), subjects=queries.required_subjects()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    matrix = queries.compliance_matrix(
        scope,
        grouping=filters.get("grouping") or queries.Grouping.AREA,
        subject_group=filters.get("group", ""),
        subject_codes=filters.get("subjects"),
        job_role_code=filters.get("role", ""),
    )
    export = request.GET.get("format")
    if export == "csv":
        return _matrix_csv(matrix)
    if export == "xlsx":
        return _matrix_xlsx(matrix)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "learning/show_compliance.jinja",
        {
            "form": form,
            "matrix": matrix,
            "query": query.urlencode(),
            "role": filters.get("role", ""),
            "manages_training": can(request.user, MANAGE_TRAINING),
            "target_percent": queries.target_percent(),
            "due_soon_days": queries.due_soon_days(),
        },
    )


def _matrix_csv(matrix: queries.Matrix) -> HttpResponse:
    return exports.csv_response(f"{matrix.export_name}.csv", matrix.csv_rows())


def _matrix_xlsx(matrix: queries.Matrix) -> HttpResponse:
    return exports.xlsx_response(f"{matrix.export_name}.xlsx", "Compliance", matrix.csv_rows())


def _people_in_view(request, data, permission: str):
    """The drill-down's filter form on `data` and the compliance items it picks out, in scope."""
    scope = scope_of(request.user, permission)
    units = queries.units_in_scope(scope)
    form = CompliancePeopleFilterForm(
        data, units=units, job_roles=queries.required_job_roles(), subjects=queries.subjects()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    unit = next((u for u in units if str(u.public_id) == filters.get("unit")), None)
    items = queries.people_items(
        scope,
        unit=unit,
        job_role_code=filters.get("role", ""),
        subject_code=filters.get("subject", ""),
        subject_group=filters.get("group", ""),
        chosen_status=filters.get("status", ""),
    )
    return form, items


@permission_required(VIEW_COMPLIANCE)
@read_only
def list_compliance_people(request):
    form, items = _people_in_view(request, request.GET or None, VIEW_COMPLIANCE)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/list_compliance_people.jinja",
        {
            "form": form,
            "page": page,
            "rows": queries.as_person_statuses(page.object_list),
            "total": page.paginator.count,
            "counts": queries.people_counts(items),
            "query": query.urlencode(),
            "filters": {name: request.GET.get(name, "") for name in form.fields},
            "may_chase": can(request.user, CHASE_TRAINING),
            "due_soon_days": queries.due_soon_days(),
            "chase_days": settings.CANDOUR_TRAINING_CHASE_DAYS,
        },
    )


@permission_required(CHASE_TRAINING)
@require_POST
def chase_training(request):
    """Email everyone in the drill-down's view whose training is not up to date, then back to it."""
    form, items = _people_in_view(request, request.POST, CHASE_TRAINING)
    kept = {name: value for name, value in form.data.items() if name in form.fields and value}
    back = f"{reverse('learning:list_compliance_people')}?{urlencode(kept)}"
    chase = services.chase_training(by=request.user, items=items, today=timezone.localdate())
    messages.success(request, chase_summary(chase))
    return redirect(back)


def chase_summary(chase: services.Chase) -> str:
    sent, recent, unreachable = len(chase.chasers), chase.reminded_recently, chase.without_email
    parts = [f"Reminder emailed to {sent} {'person' if sent == 1 else 'people'}."]
    if recent:
        days = settings.CANDOUR_TRAINING_CHASE_DAYS
        parts.append(
            f"{recent} {'was' if recent == 1 else 'were'} reminded in the last {days} days, so not again."
        )
    if unreachable:
        verb = "has" if unreachable == 1 else "have"
        parts.append(f"{unreachable} {verb} no email address in Candour: tell them another way.")
    return " ".join(parts)


@permission_required(MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def add_training_record(request):
    people = Person.objects.for_scope(scope_of(request.user, MANAGE_TRAINING))
    form = TrainingRecordForm(request.POST or None, subjects=queries.subjects(), people=people)
    record = submit(
        request,
        form,
        lambda: services.record_training(
            by=request.user,
            person=form.cleaned_data["staff_number"],
            subject_code=form.cleaned_data["subject"],
            completed_on=form.cleaned_data["completed_on"],
            hours=form.cleaned_data["hours"],
            provider=form.cleaned_data["provider"],
        ),
    )
    if record:
        messages.success(request, f"{record.subject.name} recorded for {record.person.full_name}")
        return redirect("learning:add_training_record")
    return render(request, "learning/add_training_record.jinja", {"form": form})


# The body's size is judged by core.uploads before anything reads it; the view runs outside the request's
# transaction so that keeping the file holds no lock (the job is queued in a brief transaction of its own,
# which claims the form's token: a form sent twice queues one import).
@permission_required(MANAGE_TRAINING)
@accepts_upload("CANDOUR_UPLOAD_MAX_BYTES")
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def upload_training_records(request):
    if request.method != "POST":
        return _upload_page(request, TrainingRecordsUploadForm())
    form = TrainingRecordsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload, choose_columns = form.cleaned_data["file"], form.cleaned_data["choose_columns"]
    try:
        received = importers.receive_upload(
            by=request.user,
            upload=upload,
            file_name=upload.name,
            choose_columns=choose_columns,
            form_token=request.POST.get(once.FIELD, ""),
            job_page=job_page,
        )
    except once.SentBefore as earlier:
        return once.already_done(request, earlier.location)
    except Refused as refusal:
        show_refusal(form, refusal)
        return _upload_page(request, form)
    if isinstance(received, importers.PendingUpload):
        form = TrainingColumnsForm(initial={"upload": received.upload_id}, header=received.header)
        return _columns_page(request, form, received)
    return redirect(job_page(received))


@permission_required(MANAGE_TRAINING)
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def choose_training_columns(request):
    pending = None
    if request.method == "POST":
        pending = importers.pending_upload(by=request.user, upload_id=request.POST.get("upload", ""))
    if pending is None:
        messages.info(request, "Choose the file to import.")
        return redirect("learning:upload_training_records")
    form = TrainingColumnsForm(request.POST, header=pending.header)
    if not form.is_valid():
        return _columns_page(request, form, pending)
    try:
        job = importers.start_import_with_columns(
            by=request.user,
            pending=pending,
            columns=form.columns(),
            form_token=request.POST.get(once.FIELD, ""),
            job_page=job_page,
        )
    except once.SentBefore as earlier:
        return once.already_done(request, earlier.location)
    return redirect(job_page(job))


def _columns_page(request, form, pending):
    return render(
        request,
        "learning/choose_training_columns.jinja",
        {"form": form, "pending": pending, "fields": list(COLUMN_LABELS)},
    )


def _upload_page(request, form):
    return render(
        request,
        "learning/upload_training_records.jinja",
        {
            "form": form,
            "jobs": jobs.recent_jobs(request.user, feed_keys=[importers.FEED_KEY]),
            "limit_mb": settings.CANDOUR_UPLOAD_MAX_BYTES / (1024 * 1024),
            "subjects": queries.subjects(),
        },
    )


@permission_required(MANAGE_TRAINING)
@read_only
def download_training_template(request):
    """An empty file with the feed's columns and two example rows, one date written each way it reads."""
    subjects = queries.subjects()[:2]
    examples = [
        ["1001", subjects[0].code, "2026-03-31", "", "e-Learning for Healthcare"],
        ["1001", subjects[-1].code, "31/03/2026", "", ""],
    ]
    return exports.csv_response("training-records-template.csv", [list(importers.COLUMNS), *examples])
