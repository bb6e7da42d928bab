"""The training-records feed: the learning system's export of completions, a row per person, subject and day.

Columns: staff_number, subject_code, completed_on (YYYY-MM-DD), hours (blank unless the subject counts
hours), provider. Records are matched on (staff number, subject, completed on), so the same file twice
changes nothing.
After the rows are written, the compliance of everyone touched is recomputed in one pass, in the same
transaction: the import and its consequences go in together or not at all.

An upload is imported in the background: the file is kept under MEDIA_ROOT/imports/<uuid>, an ImportJob
records it, and a task runs the import in the worker. The worker reports progress in a small JSON file next to
the upload, because the database cannot: its rows are hidden inside the import's open transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.importing import (
    Column,
    Importer,
    ImportResult,
    Invalid,
    Progress,
    Row,
    RowError,
    WriteCounts,
    iso_date,
    quoted,
    run_import,
    text,
    upsert,
)
from candour.learning.models import ImportJob, Subject, TrainingRecord
from candour.learning.services.training import check_hours, refresh_compliance
from candour.people.access import Scope
from candour.people.models import Person, User

FEED = "training records"
COLUMNS = ("staff_number", "subject_code", "completed_on", "hours", "provider")
IMPORTS_DIR = "imports"


class TrainingRecordImporter(Importer):
    """Completions from the learning system, for people in `scope` (everyone when None, as for batch use)."""

    key = ("staff_number", "subject_code", "completed_on")

    def __init__(self, scope: Scope | None = None):
        people = Person.objects.all() if scope is None else Person.objects.for_scope(scope)
        # Reference data is a few thousand rows: looked up in memory, not queried per row.
        self.people = dict(people.values_list("staff_number", "pk"))
        self.subjects = {subject.code: subject for subject in Subject.objects.all()}
        self.whose = "no one you manage training for" if scope is not None else "no person"
        self.today = timezone.localdate()
        self.columns = (
            Column("staff_number", self._person),
            Column("subject_code", self._subject),
            Column("completed_on", self._completed_on),
            Column("hours", _hours, optional=True),
            Column("provider", text(TrainingRecord._meta.get_field("provider").max_length), optional=True),
        )
        self.touched: set[int] = set()

    def _person(self, value: str) -> str:
        if value not in self.people:
            raise Invalid(f"{self.whose} has the staff number {quoted(value)}")
        return value

    def _subject(self, value: str) -> str:
        if value not in self.subjects:
            raise Invalid(f"no training subject has the code {quoted(value)}")
        return value

    def _completed_on(self, value: str) -> dt.date:
        day = iso_date(value)
        if day > self.today:
            raise Invalid(f"{day} is in the future")
        return day

    def check_row(self, row: Row) -> None:
        problem = check_hours(self.subjects[row.values["subject_code"]], row.values["hours"])
        if problem:
            raise Invalid(problem[0].lower() + problem[1:], column="hours")

    def write_batch(self, rows: list[Row]) -> WriteCounts:
        records = [self._record(row.values) for row in rows]
        upserted = upsert(TrainingRecord, key=("person_id", "subject_id", "completed_on"), records=records)
        self.touched.update(record.person_id for record in upserted.created + upserted.updated)
        return upserted.counts

    def _record(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "person_id": self.people[values["staff_number"]],
            "subject_id": self.subjects[values["subject_code"]].pk,
            "completed_on": values["completed_on"],
            "hours": values["hours"],
            "provider": values["provider"] or "",
            "source": TrainingRecord.Source.IMPORT,
        }

    def after_write(self) -> WriteCounts:
        refresh_compliance(self.touched)
        return WriteCounts()


def _hours(value: str) -> Decimal:
    try:
        hours = Decimal(value)
    except InvalidOperation:
        raise Invalid(f"{quoted(value)} is not a number of hours") from None
    if not hours.is_finite():
        raise Invalid(f"{quoted(value)} is not a number of hours")
    return hours


@transaction.atomic
def import_training_records(
    *,
    by: User | None,
    file: BinaryIO,
    scope: Scope | None = None,
    file_name: str = "",
    progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Bring in the learning system's export, all or nothing; `by` is None when a system job imports it."""
    importer = TrainingRecordImporter(scope)
    result = run_import(importer, file, progress=progress)
    if result.ok:
        file_name = file_name or Path(getattr(file, "name", "") or "").name
        counts = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        audit.record(
            action="imported",
            actor=by,
            system="" if by else "training records import",
            summary=f"Training records imported from {file_name or 'an unnamed file'}: {counts}",
            changes={
                "feed": FEED,
                "file_name": file_name,
                "rows_read": result.rows_read,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "people_recomputed": len(importer.touched),
            },
        )
    return result


# Background imports of uploaded files


def stored_file(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def progress_file(job: ImportJob) -> Path:
    return stored_file(job).with_name(stored_file(job).name + ".progress.json")


def read_progress(job: ImportJob) -> Progress | None:
    """What the worker last wrote about the job, or None before it starts (or once it is done)."""
    try:
        return Progress(**json.loads(progress_file(job).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _write_progress(job: ImportJob, progress: Progress) -> None:
    # Written beside and then renamed over, so a reader sees the old figures or the new, never half a file.
    target = progress_file(job)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as out:
        json.dump(
            {
                "rows_read": progress.rows_read,
                "bytes_read": progress.bytes_read,
                "total_bytes": progress.total_bytes,
            },
            out,
        )
    os.replace(out.name, target)


@transaction.atomic
def start_import_job(*, by: User, upload, file_name: str) -> ImportJob:
    """Keep an uploaded file and queue its import for the worker."""
    from candour.learning.tasks.training import import_training_file  # the task module imports this one

    relative = f"{IMPORTS_DIR}/{uuid.uuid4()}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    _keep_upload(upload, target)
    job = ImportJob.objects.create(
        feed=FEED,
        uploaded_by=by,
        file_name=Path(file_name).name[:200],
        stored_path=relative,
        size_bytes=target.stat().st_size,
    )
    import_training_file.enqueue(job.pk)
    audit.record(
        action="uploaded_import",
        actor=by,
        target=job,
        summary=f"Training records file {job.file_name} uploaded for import",
        changes={"feed": FEED, "file_name": job.file_name, "size_bytes": job.size_bytes},
    )
    return job


def run_import_job(*, job_id: int) -> ImportJob:
    """Import a queued upload in the worker, reporting progress as it goes; keep the outcome on the job."""
    from candour.learning.access import MANAGE_TRAINING
    from candour.people.access import scope_of

    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.status != ImportJob.Status.WAITING:
        return job  # a task run twice does its work once
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, updated_at=timezone.now())
    path = stored_file(job)
    try:
        with transaction.atomic():
            with path.open("rb") as upload:
                result = import_training_records(
                    by=job.uploaded_by,
                    file=upload,
                    scope=scope_of(job.uploaded_by, MANAGE_TRAINING),
                    file_name=job.file_name,
                    progress=lambda progress: _write_progress(job, progress),
                )
            # Saved with the records, so the page says "Imported" only once they are there to see.
            _finish(job, result)
    except Exception:
        _finish(job, None)
        raise
    finally:
        progress_file(job).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    return job


# The one problem of an import that stopped part-way (an error in the worker, or the worker gone); its page
# says so and offers to upload the file again, rather than asking for corrections.
STOPPED = {"line": None, "column": "", "reason": "The import stopped before it finished.", "stopped": True}


def fail_stalled_imports(*, now: dt.datetime | None = None) -> int:
    """The watchdog: an import still "Importing" with no progress for CANDOUR_IMPORT_TIMEOUT_SECONDS has lost
    its worker. Its records died with the worker's open transaction; the job is marked failed, and the kept
    upload and progress file are removed, so nothing of it is kept. Returns how many it failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CANDOUR_IMPORT_TIMEOUT_SECONDS)
    failed = 0
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING, updated_at__lt=cutoff):
        if _last_progress_at(job) >= cutoff:
            continue
        with transaction.atomic():
            # Only if still running: the worker may have finished, or another watchdog got there first.
            claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
                status=ImportJob.Status.FAILED,
                error_count=1,
                errors=[STOPPED],
                finished_at=now,
                updated_at=now,
            )
            if not claimed:
                continue
            audit.record(
                action="import_stopped",
                system="import watchdog",
                target=job,
                summary=f"Import of {job.file_name} stopped part-way: marked failed, nothing imported",
                changes={"feed": job.feed, "file_name": job.file_name},
            )
        progress_file(job).unlink(missing_ok=True)
        stored_file(job).unlink(missing_ok=True)
        failed += 1
    return failed


def _last_progress_at(job: ImportJob) -> dt.datetime:
    try:
        written = dt.datetime.fromtimestamp(progress_file(job).stat().st_mtime, tz=dt.UTC)
    except OSError:
        return job.updated_at
    return max(written, job.updated_at)


def _finish(job: ImportJob, result: ImportResult | None) -> None:
    if result is None:
        job.status, job.error_count = ImportJob.Status.FAILED, 1
        job.errors = [STOPPED]
    else:
        job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
        job.rows_read, job.created, job.updated, job.unchanged = (
            result.rows_read,
            result.created,
            result.updated,
            result.unchanged,
        )
        job.error_count = result.error_count
        job.errors = [_error_fields(error) for error in result.errors]
    job.finished_at = timezone.now()
    job.save()


def _error_fields(error: RowError) -> dict[str, Any]:
    return {"line": error.line, "column": error.column, "reason": error.reason}


def _keep_upload(upload, target: Path) -> None:
    # A large upload is already a temporary file on disk: move it rather than copy 200 MB.
    if hasattr(upload, "temporary_file_path"):
        shutil.move(upload.temporary_file_path(), target)
    else:
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
