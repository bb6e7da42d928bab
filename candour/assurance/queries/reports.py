"""Read models for reports: the runs a person may see, the unit a report they ask for covers, how a run
stands (a run whose worker stopped reads as failed), and the targets the board report charts against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from candour.assurance.access import GENERATE_REPORTS, VIEW
from candour.assurance.models import Action, ActionPlan, ReportKind, ReportRun, ReportStatus
from candour.people.access import scope_of
from candour.people.models import OrgUnit

RECENT_RUNS = 20


@dataclass(frozen=True)
class RunState:
    """How a run stands for the people waiting on it."""

    status: str
    label: str
    tag_colour: str
    waiting: bool
    ready: bool
    failed: bool
    stalled: bool

    @property
    def retryable(self) -> bool:
        return self.failed


_TAGS = {
    ReportStatus.QUEUED: "grey",
    ReportStatus.RUNNING: "blue",
    ReportStatus.READY: "green",
    ReportStatus.FAILED: "red",
}


def run_state(run: ReportRun, *, now: dt.datetime | None = None) -> RunState:
    """A run still generating with no progress for longer than the timeout has lost its worker: it is shown
    as failed, and may be tried again."""
    now = now or timezone.now()
    timeout = dt.timedelta(seconds=settings.CANDOUR_REPORT_TIMEOUT_SECONDS)
    stalled = run.status == ReportStatus.RUNNING and run.updated_at < now - timeout
    status = ReportStatus.FAILED if stalled else ReportStatus(run.status)
    return RunState(
        status=status,
        label=status.label,
        tag_colour=_TAGS[status],
        waiting=status in (ReportStatus.QUEUED, ReportStatus.RUNNING),
        ready=status == ReportStatus.READY,
        failed=status == ReportStatus.FAILED,
        stalled=stalled,
    )


@dataclass(frozen=True)
class RunRow:
    run: ReportRun
    state: RunState

    @property
    def title(self) -> str:
        return report_title(self.run)


def report_title(run: ReportRun) -> str:
    """The report's name as lists and file names give it, such as "CQC inspection evidence pack: Safe"."""
    if run.kind == ReportKind.CQC_EVIDENCE:
        from candour.assurance.models import KeyQuestion

        return f"{ReportKind(run.kind).label}: {KeyQuestion(run.key_question).label}"
    if run.kind == ReportKind.OFSTED_READINESS and run.monitoring_theme_id:
        return f"{ReportKind(run.kind).label}: {run.monitoring_theme.code.replace('-', ' ').capitalize()}"
    return ReportKind(run.kind).label


def visible_runs(user, *, limit: int = RECENT_RUNS) -> list[RunRow]:
    """The latest runs over units the person may see assurance for, newest first."""
    scope = scope_of(user, VIEW)
    runs = (
        ReportRun.objects.filter(unit_id__in=scope.unit_ids)
        .select_related("unit", "requested_by", "monitoring_theme")
        .order_by("-created_at")[:limit]
    )
    now = timezone.now()
    return [RunRow(run, run_state(run, now=now)) for run in runs]


def newest_ready_run(user) -> ReportRun | None:
    """The newest report made whole over units the person may see assurance for."""
    scope = scope_of(user, VIEW)
    return (
        ReportRun.objects.filter(unit_id__in=scope.unit_ids, status=ReportStatus.READY)
        .select_related("unit", "monitoring_theme")
        .order_by("-finished_at", "-created_at")
        .first()
    )


def run_for(user, run_id) -> ReportRun | None:
    """A run, only if it covers a unit the person may see assurance for."""
    scope = scope_of(user, VIEW)
    return (
        ReportRun.objects.filter(public_id=run_id, unit_id__in=scope.unit_ids)
        .select_related("unit", "requested_by", "monitoring_theme")
        .first()
    )


def report_unit(user) -> OrgUnit | None:
    """The trust a person's reports cover: reports are for the whole trust, so only someone who may generate
    them trust-wide can ask for one."""
    scope = scope_of(user, GENERATE_REPORTS)
    if not scope.trust_wide:
        return None
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.TRUST, pk__in=scope.unit_ids).order_by("name").first()


def measure_targets(unit: OrgUnit, *, on: dt.date) -> dict[str, float]:
    """Each measure's target from the open actions of the unit's open plans: the soonest due one wins."""
    targets: dict[str, float] = {}
    actions = (
        Action.objects.filter(
            plan__unit=unit, plan__closed_on__isnull=True, completed_on__isnull=True, starts_on__lte=on
        )
        .order_by("due_on", "created_at")
        .values_list("measure_key", "target")
    )
    for key, target in actions:
        targets.setdefault(key, target)
    return targets


def download_name(run: ReportRun, file_format: str) -> str:
    """A file name a person can read in their downloads, such as
    "Board assurance report - Northmoor Ambulance Service NHS Trust - 2026-03-14.pdf"."""
    made = timezone.localdate(run.finished_at or run.created_at)
    title = report_title(run).replace(": ", " - ")
    name = f"{title} - {run.unit.name} - {made:%Y-%m-%d}.{file_format}"
    return "".join(character for character in name if character.isalnum() or character in " -.,()'&")


def plans_for_key_question(key_question: str) -> set:
    """Public ids of the plans answering a finding on one of the key question's quality statements."""
    return set(
        ActionPlan.objects.filter(quality_statement__key_question=key_question).values_list(
            "public_id", flat=True
        )
    )


def plans_for_theme(theme) -> set:
    """Public ids of the plans answering a monitoring-visit theme."""
    return set(ActionPlan.objects.filter(monitoring_theme=theme).values_list("public_id", flat=True))
