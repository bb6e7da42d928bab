"""Controlled drugs pages: the premises a person's registers are kept at, each register part as the paper
register reads, its download, and the forms that record entries. Thin: queries read, services write.

Premises or a part outside the reader's scope is a 404, so its existence is never revealed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from candour.core.client_address import client_address
from candour.core.decorators import read_only
from candour.core.exports import csv_response
from candour.core.pdf import pdf_from_html
from candour.core.refusals import submit
from candour.medicines import queries, services
from candour.medicines.access import (
    KEEP_REGISTERS,
    RECONCILE,
    RECORD_ENTRIES,
    REPORT_LOSSES,
    VIEW_PATTERNS,
    VIEW_REGISTERS,
)
from candour.medicines.forms import (
    CorrectionForm,
    DateRangeForm,
    DiscrepancyForm,
    EntryForm,
    OnwardOutcomeForm,
    OnwardReportForm,
    PartForm,
    PremisesForm,
    StockCountForm,
    TransferForm,
)
from candour.medicines.models import REPORTED_ONWARD
from candour.medicines.services import schedule as check_times
from candour.people.access import can
from candour.people.decorators import permission_required


@permission_required(VIEW_REGISTERS)
@read_only
def list_premises(request):
    premises = list(queries.premises_with_last_check(request.user).order_by("unit__name", "name"))
    now = timezone.now()
    next_checks = {place.pk: _next_check(place, now, place.last_counted_at) for place in premises}
    return render(
        request,
        "medicines/list_premises.jinja",
        {
            "premises": premises,
            "next_checks": next_checks,
            "may_add": can(request.user, KEEP_REGISTERS),
            "may_reconcile": can(request.user, RECONCILE),
            "may_see_patterns": can(request.user, VIEW_PATTERNS),
        },
    )


def _next_check(premises, now, last_counted_at=check_times.NOT_LOOKED_UP) -> dict:
    due = check_times.next_check_due(premises, last_counted_at)
    return {"due": due, "missed": check_times.is_missed(due, now)}


@permission_required(KEEP_REGISTERS)
def add_premises(request):
    form = PremisesForm(request.POST or None, units=queries.units_for_premises(request.user))
    premises = submit(request, form, lambda: services.create_premises(by=request.user, **form.cleaned_data))
    if premises:
        messages.success(request, f"{premises} is set up. Open a register part for each drug it holds.")
        return redirect("medicines:show_premises", premises_id=premises.public_id)
    return render(request, "medicines/add_premises.jinja", {"form": form})


def _premises(request, premises_id):
    premises = queries.premises_of(request.user, premises_id)
    if premises is None:
        raise Http404
    return premises


@permission_required(VIEW_REGISTERS)
@read_only
def show_premises(request, premises_id):
    premises = _premises(request, premises_id)
    statuses = [each.status for each in queries.stock_by_expiry(premises)]
    return render(
        request,
        "medicines/show_premises.jinja",
        {
            "premises": premises,
            "expired": statuses.count(queries.ExpiryStatus.EXPIRED),
            "expiring": statuses.count(queries.ExpiryStatus.EXPIRING),
            "next_check": _next_check(premises, timezone.now()),
            "parts": queries.parts_of(premises),
            "checks": list(queries.recent_checks_of(premises)),
            "discrepancies": list(queries.open_discrepancies_of(premises)),
            "may_record": can(request.user, RECORD_ENTRIES, premises),
            "part_form": PartForm(drugs=queries.drugs_in_registers())
            if can(request.user, KEEP_REGISTERS, premises)
            else None,
        },
    )


@permission_required(VIEW_REGISTERS)
@read_only
def show_expiry(request, premises_id):
    premises = _premises(request, premises_id)
    return render(
        request,
        "medicines/show_expiry.jinja",
        {
            "premises": premises,
            "held": queries.stock_by_expiry(premises),
            "within_days": queries.warning_days(),
        },
    )


@permission_required(VIEW_REGISTERS)
@read_only
def list_expiring(request):
    return render(request, "medicines/list_expiring.jinja", {"expiry": queries.expiring_for(request.user)})


@permission_required(KEEP_REGISTERS)
def open_part(request, premises_id):
    premises = _premises(request, premises_id)
    if not can(request.user, KEEP_REGISTERS, premises):
        raise Http404
    form = PartForm(request.POST or None, drugs=queries.drugs_in_registers())
    part = submit(
        request,
        form,
        lambda: services.open_part(by=request.user, premises=premises, drug=form.cleaned_data["drug"]),
    )
    if part:
        messages.success(request, f"The register part for {part.drug} is open.")
        return redirect("medicines:show_register", register_part_id=part.public_id)
    return render(request, "medicines/open_part.jinja", {"form": form, "premises": premises})


def _part(request, part_id):
    part = queries.register_part_for(request.user, part_id)
    if part is None:
        raise Http404
    return part


@permission_required(VIEW_REGISTERS)
@read_only
def show_register(request, register_part_id):
    part = _part(request, register_part_id)
    dates = DateRangeForm(request.GET or None)
    page = queries.register_page(part, *dates.dates())
    return render(
        request,
        "medicines/show_register.jinja",
        {
            "page": page,
            "dates": dates,
            "query": request.GET.urlencode(),
            "may_record": can(request.user, RECORD_ENTRIES, part),
        },
    )


@permission_required(VIEW_REGISTERS)
@read_only
def export_register(request, register_part_id):
    part = _part(request, register_part_id)
    dates = DateRangeForm(request.GET or None)
    page = queries.register_page(part, *dates.dates())
    return csv_response(
        f"{_register_file_name(part)}.csv", [queries.EXPORT_HEADINGS, *queries.export_rows(page)]
    )


@permission_required(VIEW_REGISTERS)
@read_only
def print_register(request, register_part_id):
    """The register part as a PDF to print, for the dates asked for."""
    part = _part(request, register_part_id)
    dates = DateRangeForm(request.GET or None)
    html = render_to_string(
        "medicines/print_register.jinja",
        {
            "page": queries.register_page(part, *dates.dates()),
            "printed_at": timezone.now(),
            "printed_by": request.user.display_name,
        },
        request=request,
    )
    return HttpResponse(
        pdf_from_html(html),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_register_file_name(part)}.pdf"'},
    )


def _register_file_name(part) -> str:
    name = f"register-{part.premises.name}-{part.drug.name}-{part.drug.strength}".lower()
    return "".join(ch if ch.isalnum() else "-" for ch in name)


def _keeper_premises(request, premises_id):
    premises = _premises(request, premises_id)
    if not can(request.user, RECORD_ENTRIES, premises):
        raise Http404
    return premises


@permission_required(RECORD_ENTRIES)
def record_entry(request, premises_id):
    premises = _keeper_premises(request, premises_id)
    form = EntryForm(request.POST or None, drugs=queries.drugs_in_registers())

    def write():
        witness = services.confirm_witness(**form.witness_sign_in(), client=client_address(request))
        return services.record_entry(
            by=request.user,
            premises=premises,
            drug=form.cleaned_data["drug"],
            movement=form.movement(),
            witness=witness,
        )

    entry = submit(request, form, write)
    if entry:
        messages.success(
            request, f"Recorded as line {entry.sequence}. The balance is now {entry.balance_after}."
        )
        return redirect("medicines:show_register", register_part_id=entry.part.public_id)
    return render(request, "medicines/record_entry.jinja", {"form": form, "premises": premises})


@permission_required(RECORD_ENTRIES)
def record_transfer(request, premises_id):
    premises = _keeper_premises(request, premises_id)
    form = TransferForm(
        request.POST or None,
        drugs=queries.drugs_in_registers(),
        destinations=queries.transfer_destinations(request.user, premises),
    )

    def write():
        witness = services.confirm_witness(**form.witness_sign_in(), client=client_address(request))
        return services.record_transfer(
            by=request.user, from_premises=premises, witness=witness, **form.transfer()
        )

    done = submit(request, form, write)
    if done:
        sent, received = done
        messages.success(
            request,
            f"Recorded on both sides: line {sent.sequence} here and line {received.sequence} at "
            f"{received.part.premises}.",
        )
        return redirect("medicines:show_register", register_part_id=sent.part.public_id)
    return render(request, "medicines/record_transfer.jinja", {"form": form, "premises": premises})


@permission_required(RECORD_ENTRIES)
def correct_entry(request, register_entry_id):
    entry = queries.entry_for_keeper(request.user, register_entry_id)
    if entry is None:
        raise Http404
    form = CorrectionForm(request.POST or None)
    correction = submit(
        request,
        form,
        lambda: services.record_correction(
            by=request.user,
            entry=entry,
            adjustment=form.cleaned_data["adjustment"],
            reason=form.cleaned_data["reason"],
            incident_reference=form.cleaned_data["incident_reference"],
        ),
    )
    if correction:
        messages.success(
            request, f"Correction recorded as line {correction.sequence}; line {entry.sequence} stands."
        )
        return redirect("medicines:show_register", register_part_id=entry.part.public_id)
    return render(
        request,
        "medicines/correct_entry.jinja",
        {"form": form, "entry": entry, "names_incident": entry.kind in services.NAMES_INCIDENT},
    )


# Stock checks


@permission_required(RECORD_ENTRIES)
def count_stock(request, premises_id):
    """The blind count: the parts to count (all of the premises', or the one asked for), never their
    balances."""
    premises = _keeper_premises(request, premises_id)
    parts = [summary.part for summary in queries.parts_of(premises)]
    only = request.GET.get("part", "")
    if only:
        parts = [part for part in parts if str(part.public_id) == only]
        if not parts:
            raise Http404
    form = StockCountForm(request.POST or None, parts=parts)
    check = submit(
        request,
        form,
        lambda: services.record_stock_check(by=request.user, premises=premises, counted=form.counted()),
    )
    if check:
        messages.success(request, "Your count is recorded. Here is how it compares with the register.")
        return redirect("medicines:show_stock_check", stock_check_id=check.public_id)
    return render(request, "medicines/count_stock.jinja", {"form": form, "premises": premises})


@permission_required(VIEW_REGISTERS)
@read_only
def show_stock_check(request, stock_check_id):
    check = queries.stock_check_for(request.user, stock_check_id)
    if check is None:
        raise Http404
    return render(
        request, "medicines/show_stock_check.jinja", {"check": check, "counts": queries.counts_of(check)}
    )


@permission_required(VIEW_REGISTERS)
def show_discrepancy(request, discrepancy_id):
    discrepancy = queries.discrepancy_for(request.user, discrepancy_id)
    if discrepancy is None:
        raise Http404
    may_work = (
        can(request.user, KEEP_REGISTERS, discrepancy.count.part.premises)
        and discrepancy.status == discrepancy.Status.OPEN
    )
    if request.method == "POST" and not may_work:
        raise Http404
    form = DiscrepancyForm(
        request.POST or None, initial={"category": discrepancy.category, "notes": discrepancy.notes}
    )
    worked = submit(
        request,
        form,
        lambda: services.work_discrepancy(by=request.user, discrepancy=discrepancy, **form.cleaned_data),
    )
    if worked:
        messages.success(
            request,
            "The discrepancy is resolved." if worked.status == "resolved" else "Your notes are saved.",
        )
        return redirect("medicines:show_discrepancy", discrepancy_id=worked.public_id)
    premises = discrepancy.count.part.premises
    return render(
        request,
        "medicines/show_discrepancy.jinja",
        {
            "discrepancy": discrepancy,
            "count": discrepancy.count,
            "form": form if may_work else None,
            "reports": queries.onward_reports_of(discrepancy),
            "needs_report": discrepancy.category in REPORTED_ONWARD,
            "may_report": can(request.user, REPORT_LOSSES, premises)
            and discrepancy.status == discrepancy.Status.OPEN,
        },
    )


def _reportable(request, discrepancy):
    if discrepancy is None or not can(request.user, REPORT_LOSSES, discrepancy.count.part.premises):
        raise Http404
    return discrepancy


@permission_required(REPORT_LOSSES)
def record_onward_report(request, discrepancy_id):
    discrepancy = _reportable(request, queries.discrepancy_for(request.user, discrepancy_id))
    form = OnwardReportForm(request.POST or None)
    report = submit(
        request,
        form,
        lambda: services.record_onward_report(by=request.user, discrepancy=discrepancy, **form.cleaned_data),
    )
    if report:
        messages.success(request, f"The report to {report.get_body_display()} is recorded.")
        return redirect("medicines:show_discrepancy", discrepancy_id=discrepancy.public_id)
    return render(
        request,
        "medicines/record_onward_report.jinja",
        {"form": form, "discrepancy": discrepancy, "count": discrepancy.count},
    )


@permission_required(REPORT_LOSSES)
def record_onward_outcome(request, onward_report_id):
    report = queries.onward_report_for(request.user, onward_report_id)
    discrepancy = _reportable(request, report.discrepancy if report else None)
    form = OnwardOutcomeForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.record_onward_outcome(by=request.user, report=report, **form.cleaned_data),
    )
    if done:
        messages.success(request, f"The outcome of the report to {done.get_body_display()} is recorded.")
        return redirect("medicines:show_discrepancy", discrepancy_id=discrepancy.public_id)
    return render(
        request,
        "medicines/record_onward_outcome.jinja",
        {"form": form, "report": report, "count": discrepancy.count},
    )


@permission_required(RECONCILE)
@read_only
def list_reconciliation(request):
    reconciliation = queries.reconciliation_for(request.user)
    return render(
        request,
        "medicines/list_reconciliation.jinja",
        {"reconciliation": reconciliation, "may_see_patterns": can(request.user, VIEW_PATTERNS)},
    )


@permission_required(RECONCILE)
@read_only
def show_clinician_exceptions(request, clinician_id):
    page = queries.exceptions_of(request.user, clinician_id)
    if page is None:
        raise Http404
    return render(request, "medicines/show_clinician_exceptions.jinja", {"page": page})


@permission_required(VIEW_PATTERNS)
@read_only
def show_patterns(request):
    return render(
        request,
        "medicines/show_patterns.jinja",
        {
            "patterns": queries.patterns_for(request.user),
            "minimum_events": settings.CANDOUR_CD_PATTERN_MINIMUM_EVENTS,
        },
    )
