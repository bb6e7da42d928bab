"""Onward reports: an unexplained loss or a suspected diversion of controlled drugs is reported outside the
trust by the CD accountable officer (to the police, the CD local intelligence network, NHS England's CD
accountable officer or the Home Office), and the outcome of each report recorded. Until every report has
its outcome, such a discrepancy cannot be resolved (`checks.work_discrepancy` asks `onward_problem`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.medicines.access import REPORT_LOSSES
from candour.medicines.models import REPORTED_ONWARD, Discrepancy, OnwardBody, OnwardReport
from candour.people.access import can
from candour.people.models import User


def onward_problem(discrepancy: Discrepancy, category: str) -> str | None:
    """Why a discrepancy of this category cannot be resolved yet for want of an onward report, if so."""
    if category not in REPORTED_ONWARD:
        return None
    reports = list(discrepancy.onward_reports.all())
    if not reports:
        return (
            "An unexplained loss or suspected diversion must be reported onward before it is resolved: the "
            "CD accountable officer records to whom, when and the reference"
        )
    if any(not report.outcome for report in reports):
        return "Record the outcome of every onward report before resolving the discrepancy"
    return None


def _require_officer(by: User, discrepancy: Discrepancy) -> None:
    if not can(by, REPORT_LOSSES, discrepancy.count.part.premises):
        raise PermissionDenied


@transaction.atomic
def record_onward_report(
    *,
    by: User,
    discrepancy: Discrepancy,
    body: str,
    reported_on: dt.date | None,
    reference: str,
    outcome: str = "",
) -> OnwardReport:
    """Record that an unexplained loss or suspected diversion was reported outside the trust."""
    discrepancy = Discrepancy.objects.select_for_update().get(pk=discrepancy.pk)
    _require_officer(by, discrepancy)
    if discrepancy.status == Discrepancy.Status.RESOLVED:
        raise Refused("This discrepancy is resolved already; nothing has been recorded")
    if discrepancy.category not in REPORTED_ONWARD:
        raise Refused(
            "Only an unexplained loss or a suspected diversion is reported onward: record what kind of "
            "discrepancy this is first",
            field="body",
        )
    problems = {}
    if body not in OnwardBody.values:
        problems["body"] = "Choose who it was reported to"
    found_on = timezone.localtime(discrepancy.created_at).date()
    if reported_on is None:
        problems["reported_on"] = "Enter the date it was reported"
    elif reported_on > timezone.localdate():
        problems["reported_on"] = "The date it was reported cannot be in the future"
    elif reported_on < found_on:
        problems["reported_on"] = (
            f"The date it was reported cannot be before the discrepancy was found, {found_on:%-d %B %Y}"
        )
    if not reference.strip():
        problems["reference"] = "Enter the reference the body gave the report (or a log number)"
    if problems:
        raise Refused.from_problems(problems)
    report = OnwardReport.objects.create(
        discrepancy=discrepancy,
        body=body,
        reported_on=reported_on,
        reference=reference.strip(),
        outcome=outcome.strip(),
        outcome_recorded_at=timezone.now() if outcome.strip() else None,
        recorded_by=by,
    )
    audit.record(
        action="reported_cd_loss_onward",
        actor=by,
        target=report,
        summary=f"{discrepancy.count.part}: reported to {report.get_body_display()}"[:255],
        changes={"discrepancy": str(discrepancy.public_id), "body": body, "reference": report.reference},
    )
    return report


@transaction.atomic
def record_onward_outcome(*, by: User, report: OnwardReport, outcome: str) -> OnwardReport:
    """Record what came of an onward report, once it is known."""
    report = OnwardReport.objects.select_for_update().select_related("discrepancy").get(pk=report.pk)
    _require_officer(by, report.discrepancy)
    if report.discrepancy.status == Discrepancy.Status.RESOLVED:
        raise Refused("This discrepancy is resolved already; nothing has been recorded")
    if report.outcome:
        raise Refused("The outcome of this report is recorded already; nothing has been changed")
    if not outcome.strip():
        raise Refused("Say what came of the report", field="outcome")
    report.outcome = outcome.strip()
    report.outcome_recorded_at = timezone.now()
    report.save(update_fields=["outcome", "outcome_recorded_at", "updated_at"])
    audit.record(
        action="recorded_cd_onward_outcome",
        actor=by,
        target=report,
        summary=f"{report.discrepancy.count.part}: outcome from {report.get_body_display()}"[:255],
    )
    return report
