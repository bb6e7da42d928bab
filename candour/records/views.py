"""Patient records pages: paper records' custody exceptions, a record's chain and its reviews, records matched
to incidents (records leads), the access alert worklist (the information governance lead), and each person's
own records and the reviews sent to them. Out of scope is a 404."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.core.decorators import read_only
from candour.core.refusals import Refused, submit
from candour.people.access import can, can_reach, scope_of
from candour.people.decorators import permission_required
from candour.records import queries, services
from candour.records.access import (
    EDIT_ELEMENT_SETS,
    MANAGE_CUSTODY,
    REVEAL_NHS_NUMBER,
    REVIEW_ACCESS,
    SEND_REVIEWS,
    VIEW_CREW_COMPLETENESS,
    VIEW_OWN_RECORDS,
    VIEW_RECORDS,
)
from candour.records.forms import (
    MarkLostForm,
    PublishElementSetForm,
    ReviewAlertForm,
    SendReviewForm,
    element_lines,
)
from candour.records.models import Medium

PAGE_SIZE = 50


@permission_required(VIEW_RECORDS)
@read_only
def show_overview(request):
    today = timezone.localdate()
    month = queries.month_starting(request.GET.get("month", ""), today)
    exceptions = queries.custody_exceptions(request.user)
    return render(
        request,
        "records/show_overview.jinja",
        {
            "completeness": queries.completeness(request.user, month, today),
            "month_value": f"{month.start:%Y-%m}",
            "month_so_far": f"{today:%Y-%m}",
            "not_received": sum(1 for each in exceptions if each.kind == queries.NOT_RECEIVED),
            "not_scanned": sum(1 for each in exceptions if each.kind == queries.NOT_SCANNED),
            "open_alerts": queries.alerts_for(request.user).count()
            if can(request.user, REVIEW_ACCESS)
            else None,
            "matching": queries.match_counts(request.user),
            "final_within_hours": settings.CANDOUR_RECORDS_FINAL_WITHIN_HOURS,
            "may_see_crew": can(request.user, VIEW_CREW_COMPLETENESS),
        },
    )


@permission_required(VIEW_RECORDS)
@read_only
def list_records(request):
    month = queries.month_starting(request.GET.get("month", ""), timezone.localdate())
    filters = {
        "area": request.GET.get("area", ""),
        "station": request.GET.get("station", ""),
        "missing": request.GET.get("missing", ""),
        "incomplete": request.GET.get("incomplete") == "1",
    }
    try:
        records = queries.records_behind(request.user, month=month, **filters)
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    except ValidationError:
        raise Http404 from None
    shown = {
        "month": f"{month.start:%Y-%m}",
        "area": filters["area"],
        "station": filters["station"],
        "missing": filters["missing"],
    }
    shown["incomplete"] = "1" if filters["incomplete"] else ""
    query = urlencode({name: value for name, value in shown.items() if value})
    return render(
        request,
        "records/list_records.jinja",
        {"page": page, "month": month, "query": query, "filters": filters},
    )


@permission_required(VIEW_RECORDS)
@read_only
def show_completeness(request):
    today = timezone.localdate()
    month = queries.month_starting(request.GET.get("month", ""), today)
    area = None
    if request.GET.get("area"):
        area = queries.area_in_scope(request.user, request.GET["area"])
        if area is None:
            raise Http404
    return render(
        request,
        "records/show_completeness.jinja",
        {
            "c": queries.area_completeness(request.user, month, area, today),
            "month_value": f"{month.start:%Y-%m}",
            "month_so_far": f"{today:%Y-%m}",
            "area_query": f"&area={area.public_id}" if area else "",
            "may_see_crew": can(request.user, VIEW_CREW_COMPLETENESS),
            "minimum_cases": settings.CANDOUR_EVIDENCE_MINIMUM_CASES,
        },
    )


def _record(request, record_id):
    record = queries.record_for(request.user, record_id)
    if record is None:
        raise Http404
    return record


@permission_required(VIEW_RECORDS)
@read_only
def list_custody_exceptions(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in (queries.NOT_RECEIVED, queries.NOT_SCANNED) else ""
    exceptions = queries.custody_exceptions(request.user, kind=kind)
    page = Paginator(exceptions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/list_custody_exceptions.jinja",
        {"page": page, "kind": kind, "query": f"kind={kind}" if kind else "", "total": len(exceptions)},
    )


@permission_required(VIEW_RECORDS)
@read_only
def show_record(request, record_id):
    record = _record(request, record_id)
    return render(request, "records/show_record.jinja", _record_context(request, record))


def _record_context(request, record, **extra):
    return {
        "record": record,
        "chain": queries.custody_chain(record),
        "may_mark_lost": can_reach(request.user, MANAGE_CUSTODY, record)
        and record.medium == Medium.PAPER
        and record.lost_at is None,
        "may_reveal": can_reach(request.user, REVEAL_NHS_NUMBER, record) and bool(record.nhs_number),
        "may_review": can_reach(request.user, SEND_REVIEWS, record) and not record.complete,
        "reviews": queries.reviews_of(record),
        **extra,
    }


@permission_required(MANAGE_CUSTODY)
def mark_record_lost(request, record_id):
    record = _record(request, record_id)
    if not can_reach(request.user, MANAGE_CUSTODY, record):
        raise Http404
    form = MarkLostForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.mark_lost(
            by=request.user, record=record, circumstances=form.cleaned_data["circumstances"]
        ),
    )
    if done:
        messages.success(
            request, f"Record {done.record_id} marked lost; concern {done.lost_concern_reference}"
        )
        return redirect("records:show_record", record_id=record.public_id)
    return render(request, "records/mark_record_lost.jinja", {"record": record, "form": form})


@permission_required(REVEAL_NHS_NUMBER)
@require_POST
def show_nhs_number(request, record_id):
    record = _record(request, record_id)
    if not can_reach(request.user, REVEAL_NHS_NUMBER, record) or not record.nhs_number:
        raise Http404
    number = services.reveal_nhs_number(by=request.user, record=record)
    return render(request, "records/show_record.jinja", _record_context(request, record, nhs_number=number))


@permission_required(REVIEW_ACCESS)
@read_only
def list_access_alerts(request):
    show = queries.REVIEWED if request.GET.get("show") == queries.REVIEWED else queries.OPEN
    page = Paginator(queries.alerts_for(request.user, show=show), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/list_access_alerts.jinja",
        {"page": page, "show": show, "query": f"show={show}"},
    )


@permission_required(REVIEW_ACCESS)
def review_access_alert(request, alert_id):
    alert = queries.alert_for(request.user, alert_id)
    if alert is None:
        raise Http404
    form = ReviewAlertForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.review_alert(
            by=request.user, alert=alert, justified=form.justified, note=form.cleaned_data["note"]
        ),
    )
    if done:
        messages.success(request, f"Alert reviewed: {done.get_status_display().lower()}")
        return redirect("records:list_access_alerts")
    return render(request, "records/review_access_alert.jinja", {"alert": alert, "form": form})


@permission_required(REVIEW_ACCESS)
@require_POST
def refer_access_alert(request, alert_id):
    alert = queries.alert_for(request.user, alert_id)
    if alert is None:
        raise Http404
    try:
        services.refer_alert_to_hr(by=request.user, alert=alert)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Alert on staff number {alert.staff_number} referred to HR")
    return redirect("records:review_access_alert", alert_id=alert.public_id)


@permission_required(SEND_REVIEWS)
def send_record_review(request, record_id):
    record = _record(request, record_id)
    if not can_reach(request.user, SEND_REVIEWS, record):
        raise Http404
    choices = queries.review_choices(record)
    form = SendReviewForm(request.POST or None, authors=choices.authors, missing=choices.missing)
    done = submit(
        request,
        form,
        lambda: services.send_review(
            by=request.user,
            record=record,
            clinician=form.cleaned_data["clinician"],
            missing=form.cleaned_data["missing"],
            why=form.cleaned_data["why"],
        ),
    )
    if done:
        messages.success(request, f"Review sent to {done.clinician.full_name}")
        return redirect("records:show_record", record_id=record.public_id)
    return render(
        request,
        "records/send_record_review.jinja",
        {"record": record, "form": form, "authors": choices.authors, "missing": choices.missing},
    )


@permission_required(VIEW_RECORDS)
@read_only
def list_unmatched(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in queries.KINDS else queries.NO_RECORD
    rows = queries.unmatched(request.user, kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    finals = {}
    if kind == queries.SEVERAL_FINAL:
        finals = queries.records_of_incidents(request.user, [row.incident_id for row in page.object_list])
    return render(
        request,
        "records/list_unmatched.jinja",
        {
            "page": page,
            "kind": kind,
            "kinds": queries.KINDS,
            "query": f"kind={kind}",
            "finals": finals,
            "incident_rows": kind in queries.INCIDENT_KINDS,
            "final_within_hours": settings.CANDOUR_RECORDS_FINAL_WITHIN_HOURS,
        },
    )


# A person's own records and reviews


@permission_required(VIEW_OWN_RECORDS)
@read_only
def show_my_records(request):
    today = timezone.localdate()
    month = queries.month_starting(request.GET.get("month", ""), today)
    person = request.user.person
    return render(
        request,
        "records/show_my_records.jinja",
        {
            "person": person,
            "mine": queries.my_records(person, month, today),
            "month_value": f"{month.start:%Y-%m}",
            "month_so_far": f"{today:%Y-%m}",
        },
    )


@permission_required(VIEW_OWN_RECORDS)
@read_only
def list_my_records(request):
    month = queries.month_starting(request.GET.get("month", ""), timezone.localdate())
    show = request.GET.get("show", "")
    show = show if show in (queries.DRAFTS, queries.INCOMPLETE) else ""
    missing = request.GET.get("missing", "")
    records = queries.my_records_behind(request.user.person, month=month, show=show, missing=missing)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {"month": f"{month.start:%Y-%m}", "show": show, "missing": missing}
    query = urlencode({name: value for name, value in shown.items() if value})
    return render(
        request,
        "records/list_my_records.jinja",
        {"page": page, "month": month, "show": show, "missing": missing, "query": query},
    )


@permission_required(VIEW_OWN_RECORDS)
@read_only
def list_my_reviews(request):
    person = request.user.person
    return render(
        request,
        "records/list_my_reviews.jinja",
        {
            "to_acknowledge": list(queries.reviews_to_acknowledge(person)),
            "acknowledged": list(queries.acknowledged_reviews(person)[:PAGE_SIZE]),
        },
    )


@permission_required(VIEW_OWN_RECORDS)
@require_POST
def acknowledge_record_review(request, record_review_id):
    review = queries.my_review(request.user.person, record_review_id)
    if review is None:
        raise Http404
    services.acknowledge_review(by=request.user, review=review)
    messages.success(request, f"Review of record {review.record.record_id} acknowledged")
    return redirect("records:list_my_reviews")


@permission_required(VIEW_CREW_COMPLETENESS)
@read_only
def show_crew_completeness(request):
    today = timezone.localdate()
    month = queries.month_starting(request.GET.get("month", ""), today)
    return render(
        request,
        "records/show_crew_completeness.jinja",
        {
            "rows": queries.crew_completeness(request.user, month),
            "month": month,
            "so_far": month.end > today,
            "month_value": f"{month.start:%Y-%m}",
            "month_so_far": f"{today:%Y-%m}",
        },
    )


@permission_required(VIEW_CREW_COMPLETENESS)
@read_only
def list_crew_records(request):
    month = queries.month_starting(request.GET.get("month", ""), timezone.localdate())
    staff_number = request.GET.get("staff", "").strip()
    incomplete = request.GET.get("incomplete") == "1"
    if not staff_number:
        return redirect("records:show_crew_completeness")
    records = queries.crew_records(request.user, month, staff_number, incomplete=incomplete)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {"month": f"{month.start:%Y-%m}", "staff": staff_number, "incomplete": "1" if incomplete else ""}
    return render(
        request,
        "records/list_crew_records.jinja",
        {
            "page": page,
            "month": month,
            "staff_number": staff_number,
            "incomplete": incomplete,
            "query": urlencode({name: value for name, value in shown.items() if value}),
            "may_open": can(request.user, VIEW_RECORDS),
        },
    )


# Mandatory element sets


def _may_edit_element_sets(user) -> bool:
    return scope_of(user, EDIT_ELEMENT_SETS).trust_wide


@permission_required(VIEW_RECORDS)
@read_only
def list_element_sets(request):
    return render(
        request,
        "records/list_element_sets.jinja",
        {"record_types": queries.record_types(), "may_edit": _may_edit_element_sets(request.user)},
    )


@permission_required(EDIT_ELEMENT_SETS)
def publish_element_set(request, element_set_id):
    if not _may_edit_element_sets(request.user):
        raise PermissionDenied
    base = queries.element_set(element_set_id)
    if base is None:
        raise Http404
    form = PublishElementSetForm(request.POST or None, initial={"elements": element_lines(base.elements)})
    done = submit(
        request,
        form,
        lambda: services.publish_element_set(
            by=request.user,
            record_type=base.record_type,
            elements=form.cleaned_data["elements"],
            effective_from=form.cleaned_data["effective_from"],
        ),
    )
    if done:
        messages.success(
            request,
            f"Version {done.version} of the mandatory elements published, in force from "
            f"{done.effective_from:%d/%m/%Y}",
        )
        return redirect("records:list_element_sets")
    return render(request, "records/publish_element_set.jinja", {"base": base, "form": form})
