"""Reports: asking for one (queued for the worker), making it with visible progress, trying a failed one
again, recording each download, and clearing old files away. Each writes its audit event.

A run offers files only once both are whole: the HTML and the PDF are written to temporary files beside
their final names and renamed into place together; anything that fails removes what was written.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.assurance.models import KeyQuestion, MonitoringTheme, ReportKind, ReportRun, ReportStatus
from candour.assurance.queries.reports import report_title, run_state
from candour.assurance.reports import context_for, outline_for
from candour.assurance.reports.render import render_html, render_pdf
from candour.core import audit
from candour.core.measures import UnknownMeasure
from candour.core.refusals import Refused
from candour.people.models import OrgUnit, User

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"
SYSTEM = "report generation"
FORMATS = {"html": ".html", "pdf": ".pdf"}
# Where the progress bar stands as each part of the work starts, in percent.
STEPS_SHARE, PDF_FROM, SAVING_FROM = 40, 50, 95
# A temporary file older than this belongs to a worker that stopped; the clean-up removes it.
ORPHAN_AGE = dt.timedelta(days=1)


class ReportRefused(Refused):
    """A report that cannot be asked for as given; the message says why, in words for the person asking."""


class WorkerStopped(RuntimeError):
    """The watchdog's finding: the run's worker stopped (killed, or its machine restarted) part-way."""


def reports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / REPORTS_DIR


@transaction.atomic
def request_report(
    *,
    by: User,
    kind: str,
    unit: OrgUnit,
    key_question: str = "",
    monitoring_theme: MonitoringTheme | None = None,
    retry_of: ReportRun | None = None,
) -> ReportRun:
    """Queue a report for the worker: the board report, a key question's CQC evidence pack, or a theme's
    Ofsted readiness pack."""
    from candour.assurance.tasks.reports import generate_report  # the task module imports this one

    kind = ReportKind(kind)
    if kind == ReportKind.CQC_EVIDENCE and key_question not in KeyQuestion.values:
        raise ReportRefused("Choose a key question from the list")
    if kind == ReportKind.OFSTED_READINESS and monitoring_theme is None:
        raise ReportRefused("Choose a monitoring theme from the list")
    run = ReportRun.objects.create(
        kind=kind,
        key_question=key_question if kind == ReportKind.CQC_EVIDENCE else "",
        monitoring_theme=monitoring_theme if kind == ReportKind.OFSTED_READINESS else None,
        unit=unit,
        requested_by=by,
        stage="Waiting for the report worker",
    )
    generate_report.enqueue(run.pk)
    changes = {"kind": kind.value, "unit": unit.code}
    if run.key_question:
        changes["key_question"] = run.key_question
    if run.monitoring_theme:
        changes["monitoring_theme"] = run.monitoring_theme.code
    if retry_of:
        changes["retry_of"] = str(retry_of.public_id)
    audit.record(
        action="requested_report",
        actor=by,
        target=run,
        summary=f"{report_title(run)} requested for {unit.name}",
        changes=changes,
    )
    return run


def retry_report(*, by: User, run: ReportRun) -> ReportRun:
    """A fresh attempt at a failed run (or one whose worker stopped), asked for as before. The failed run
    stays as it was, so its failure is still on record."""
    if not run_state(run).retryable:
        raise ReportRefused("Only a report that failed can be tried again")
    return request_report(
        by=by,
        kind=run.kind,
        unit=run.unit,
        key_question=run.key_question,
        monitoring_theme=run.monitoring_theme,
        retry_of=run,
    )


def generate_run(*, run_id: int) -> ReportRun:
    """The worker's job: generate one queued run."""
    return generate(ReportRun.objects.select_related("unit", "monitoring_theme").get(pk=run_id))


def generate(run: ReportRun) -> ReportRun:
    """Make a queued run's report: each step's progress is saved as it starts (so its page can show it),
    then the HTML, the PDF, and both files at once. On any failure the run says why and offers no file.

    A run already taken by a worker is left alone, so a task delivered twice does its work once."""
    now = timezone.now()
    claimed = ReportRun.objects.filter(pk=run.pk, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=0, stage="Starting", started_at=now, updated_at=now
    )
    run.refresh_from_db()
    if not claimed:
        return run
    stage = "Starting"
    written: list[Path] = []
    try:
        context = context_for(run)
        outline = outline_for(context)
        parts: dict = {}
        # Reading the records is quick; laying out and drawing the PDF takes most of the time.
        for index, step in enumerate(outline.steps):
            stage = step.stage
            _progress(run, STEPS_SHARE * index // len(outline.steps), stage)
            parts[step.key] = step.build(context, parts)
        stage = "Writing the report"
        _progress(run, STEPS_SHARE, stage)
        html = render_html(outline, context, parts)
        stage = "Making the PDF"
        _progress(run, PDF_FROM, stage)
        pdf = render_pdf(html)
        stage = "Saving the files"
        _progress(run, SAVING_FROM, stage)
        html_file, pdf_file = _write_together(run, html.encode(), pdf, written)
        _mark_ready(run, html_file, pdf_file)
    except Exception as error:
        _remove(written)
        logger.exception("Report run %s failed at %s", run.public_id, stage)
        _mark_failed(run, stage, error)
    return run


def _remove(paths: list[Path]) -> None:
    """Remove what a failed run wrote; a file that cannot be removed is logged, never hides the failure."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("Could not remove %s", path)


def _progress(run: ReportRun, percent: int, stage: str) -> None:
    # Saved at once, outside any transaction, so that the run's page sees it while the work goes on.
    ReportRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage, updated_at=timezone.now())
    run.progress, run.stage = percent, stage


def _write_together(run: ReportRun, html: bytes, pdf: bytes, written: list[Path]) -> tuple[str, str]:
    """Write both files beside their final names, then rename both into place; returns their paths under
    MEDIA_ROOT. `written` collects every path made, for the caller to remove if anything fails."""
    directory = reports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    temporary = []
    for suffix, content in ((".html", html), (".pdf", pdf)):
        descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{run.public_id}-", suffix=".tmp")
        written.append(Path(name))
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
        temporary.append((Path(name), directory / f"{run.public_id}{suffix}"))
    for source, target in temporary:
        os.replace(source, target)
        written.append(target)
    return tuple(f"{REPORTS_DIR}/{target.name}" for _, target in temporary)


@transaction.atomic
def _mark_ready(run: ReportRun, html_file: str, pdf_file: str) -> None:
    run.status, run.progress, run.stage, run.error = ReportStatus.READY, 100, "Ready", ""
    run.html_file, run.pdf_file, run.finished_at = html_file, pdf_file, timezone.now()
    run.save(
        update_fields=[
            "status",
            "progress",
            "stage",
            "error",
            "html_file",
            "pdf_file",
            "finished_at",
            "updated_at",
        ]
    )
    audit.record(
        action="generated_report",
        system=SYSTEM,
        target=run,
        summary=f"{report_title(run)} generated for {run.unit.name}",
        changes={"html_file": html_file, "pdf_file": pdf_file},
    )


@transaction.atomic
def _mark_failed(run: ReportRun, stage: str, error: Exception) -> None:
    run.status, run.stage, run.error = ReportStatus.FAILED, stage, plain_reason(error)
    run.html_file, run.pdf_file, run.finished_at = "", "", timezone.now()
    run.save(update_fields=["status", "stage", "error", "html_file", "pdf_file", "finished_at", "updated_at"])
    audit.record(
        action="report_failed",
        system=SYSTEM,
        target=run,
        summary=f"{report_title(run)} failed at {stage}",
        changes={"stage": stage, "error": run.error},
    )


def plain_reason(error: Exception) -> str:
    """What stopped a report, in words a person can act on where we know them."""
    if isinstance(error, WorkerStopped):
        return (
            "Its worker stopped before the report was finished (the server may have restarted), so no file "
            "was made. Try again."
        )
    if isinstance(error, UnknownMeasure):
        return (
            f"{error}. Evidence still names a measure that is no longer published: bind the statement or "
            "theme to a measure that exists, or remove the binding, then try again."
        )
    if isinstance(error, OSError):
        return (
            f"The report's files could not be saved ({error.strerror or error}). Try again; if it fails "
            "again, tell your system administrator."
        )
    detail = str(error).strip() or type(error).__name__
    return f"Something unexpected stopped it: {detail[:400]}"


def fail_stalled_runs(*, now: dt.datetime | None = None) -> int:
    """The watchdog: a run still generating with no progress for CANDOUR_REPORT_TIMEOUT_SECONDS has lost its
    worker. It is marked failed (and so may be tried again), and whatever the worker wrote is removed, whole
    files included: a run that failed keeps no file. Returns how many runs it failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CANDOUR_REPORT_TIMEOUT_SECONDS)
    stalled = ReportRun.objects.filter(status=ReportStatus.RUNNING, updated_at__lt=cutoff)
    failed = 0
    for run_id in list(stalled.values_list("pk", flat=True)):
        with transaction.atomic():
            # Looked at again under a lock: another watchdog, or the worker itself, may have got there first.
            run = stalled.select_for_update().select_related("unit").filter(pk=run_id).first()
            if run is None:
                continue
            _mark_failed(run, run.stage, WorkerStopped())
        _remove(_files_of(run))
        failed += 1
    return failed


def _files_of(run: ReportRun) -> list[Path]:
    """Everything a run's worker may have written: temporary files, and both files once renamed."""
    directory = reports_dir()
    if not directory.is_dir():
        return []
    named = [directory / f"{run.public_id}{suffix}" for suffix in FORMATS.values()]
    return [*directory.glob(f".{run.public_id}-*.tmp"), *named]


def record_download(*, by: User, run: ReportRun, file_format: str) -> None:
    audit.record(
        action="downloaded",
        actor=by,
        target=run,
        summary=f"{report_title(run)} downloaded as {file_format.upper()}",
        changes={"format": file_format},
    )


def stored_file(run: ReportRun, file_format: str) -> Path | None:
    """The run's file in this format, if the run is ready and the file is still there."""
    if run.status != ReportStatus.READY or file_format not in FORMATS:
        return None
    relative = run.html_file if file_format == "html" else run.pdf_file
    if not relative:
        return None
    root = reports_dir().resolve()
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path


@transaction.atomic
def clean_up_reports(*, now: dt.datetime | None = None) -> int:
    """Delete the files of reports made more than CANDOUR_REPORT_KEEP_DAYS ago, and temporary files left by
    a worker that stopped; returns how many runs lost their files. Runs stay on record."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CANDOUR_REPORT_KEEP_DAYS)
    expired = list(
        ReportRun.objects.select_for_update()
        .filter(status=ReportStatus.READY, finished_at__lt=cutoff)
        .exclude(html_file="", pdf_file="")
    )
    for run in expired:
        for relative in (run.html_file, run.pdf_file):
            if relative:
                (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
        run.html_file = run.pdf_file = ""
        run.stage = "Files removed"
        run.save(update_fields=["html_file", "pdf_file", "stage", "updated_at"])
        audit.record(
            action="removed_report_files",
            system="report clean-up",
            target=run,
            summary=f"Files of {report_title(run)} removed after {settings.CANDOUR_REPORT_KEEP_DAYS} days",
        )
    directory = reports_dir()
    if directory.is_dir():
        for leftover in directory.glob(".*.tmp"):
            modified = dt.datetime.fromtimestamp(leftover.stat().st_mtime, tz=dt.UTC)
            if modified < now - ORPHAN_AGE:
                leftover.unlink(missing_ok=True)
    return len(expired)
