"""The training-records feed: the learning system's export of completions, a row per person, subject and day.

Columns: staff_number, subject_code (a Candour subject's code, or its name as the learning system writes it),
completed_on (YYYY-MM-DD or DD/MM/YYYY), hours (blank unless the subject counts hours), provider. A learning
system's own export, with its own column names and more columns besides, is read through a column mapping
(`core.importing.mappings`). Records are matched on (staff number, subject, completed on), so the same file
twice changes nothing. After the rows are written, the compliance of everyone touched is recomputed in one
pass, in the same transaction: the import and its consequences go in together or not at all.

Importers are a writer layer beside services (ADR 0023): the framework checks the whole file outside any
transaction and then writes it, its audit event and its job's outcome in one short transaction, which a
service's `@transaction.atomic` around the whole use case would defeat. Anything else they change, they
change through services (`refresh_compliance`).

An upload is imported in the background: the file is kept under MEDIA_ROOT/imports/<uuid>, an ImportJob
records it, and a task runs the import in the worker, which reports progress in a small JSON file next to the
upload, so the page can follow it without writing to the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    PreparedUpsert,
    Progress,
    Row,
    RowError,
    RowSource,
    WriteCounts,
    audit_imported,
    check_import,
    day_date,
    feeds,
    prepare_upsert,
    quoted,
    text,
    write_together,
)
from candour.core.importing.mappings import save_columns, saved_columns
from candour.core.importing.source import UnreadableFile
from candour.learning.models import ImportJob, Subject, TrainingRecord
from candour.learning.services.training import check_hours, refresh_compliance
from candour.people.access import Scope
from candour.people.models import Person, User

FEED = "training records"
COLUMNS = ("staff_number", "subject_code", "completed_on", "hours", "provider")
IMPORTS_DIR = "imports"
RECORD_KEY = ("person_id", "subject_id", "completed_on")


class TrainingRecordImporter(Importer):
    """Completions from the learning system, for people in `scope` (everyone when None, as for batch use)."""

    key = ("staff_number", "subject_code", "completed_on")

    def __init__(self, scope: Scope | None = None):
        people = Person.objects.all() if scope is None else Person.objects.for_scope(scope)
        # Reference data is a few thousand rows: looked up in memory, not queried per row.
        self.people = dict(people.values_list("staff_number", "pk"))
        self.subjects = {subject.code: subject for subject in Subject.objects.all()}
        names = Counter(subject.name.casefold() for subject in self.subjects.values())
        self.subject_names = {
            subject.name.casefold(): subject.code
            for subject in self.subjects.values()
            if names[subject.name.casefold()] == 1
        }
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
        if value in self.subjects:
            return value
        if value.casefold() in self.subject_names:
            return self.subject_names[value.casefold()]
        raise Invalid(f"no training subject has the code or the name {quoted(value)}")

    def _completed_on(self, value: str) -> dt.date:
        day = day_date(value)
        if day > self.today:
            raise Invalid(f"{day:%d/%m/%Y} is in the future")
        return day

    def check_row(self, row: Row) -> None:
        problem = check_hours(self.subjects[row.values["subject_code"]], row.values["hours"])
        if problem:
            raise Invalid(problem[0].lower() + problem[1:], column="hours")

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [self._record(row.values) for row in rows]
        prepared = prepare_upsert(TrainingRecord, key=RECORD_KEY, records=records, note=("person_id",))
        self.touched.update(person_id for (person_id,) in prepared.noted)
        return prepared

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()

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


def import_training_records(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    scope: Scope | None = None,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
    job: ImportJob | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the learning system's export (or rows sent as data), all or nothing; `by` is None when a
    system job imports it. Call it outside any transaction: it checks first, then writes in one of its own
    with its audit event and, when given, the job's outcome. `columns` maps the feed's columns to a file's."""
    importer = TrainingRecordImporter(scope)
    file_name = file_name or Path(getattr(file, "name", "") or "").name
    with check_import(importer, file, columns=columns, progress=progress) as checked:
        if checked.ok:
            write_together(
                [checked], then=lambda: _imported(by, file_name, checked.result, importer, job, then)
            )
        # Not written: refused when checked, or when what it was checked against changed meanwhile.
        if not checked.ok:
            if job is not None:
                _finish(job, checked.result)
            if then is not None:
                then(checked.result)
        return checked.result


def _imported(by: User | None, file_name: str, result: ImportResult, importer, job, then) -> None:
    audit_imported(by, FEED, file_name, result, people_recomputed=len(importer.touched))
    if job is not None:
        # Saved with the records, so the page says "Imported" only once they are there to see.
        _finish(job, result)
    if then is not None:
        then(result)


# Background imports of uploaded files


def stored_file(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def progress_file(job: ImportJob) -> Path:
    return _beside(stored_file(job), ".progress.json")


def columns_file(job: ImportJob) -> Path:
    """The column mapping the job's file is read through, when it is a learning system's own layout."""
    return _beside(stored_file(job), ".columns.json")


def read_progress(job: ImportJob) -> Progress | None:
    """What the worker last wrote about the job, or None before it starts (or once it is done)."""
    try:
        return Progress(**json.loads(progress_file(job).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _write_progress(job: ImportJob, progress: Progress) -> None:
    _write_json(progress_file(job), dataclasses.asdict(progress))


def header_of(upload) -> list[str] | None:
    """The column names on a file's first line, or None if that line is not readable CSV (the import then
    says why, with the line)."""
    upload.seek(0)
    try:
        record = next(CsvSource(upload).records(), None)
    except UnreadableFile:
        record = None
    finally:
        upload.seek(0)
    if record is None or record.problem:
        return None
    return [name.strip() for name in record.fields]


def is_the_feeds_own_layout(header: list[str] | None) -> bool:
    """True when the file has exactly this feed's columns, or cannot be read (the import says why)."""
    return header is None or sorted(header) == sorted(COLUMNS)


def receive_upload(
    *, by: User, upload, file_name: str, choose_columns: bool = False
) -> ImportJob | PendingUpload:
    """Queue an uploaded file's import: in this feed's own layout, or a learning system's read through the
    columns chosen before for its header. When its columns are not known (or are to be chosen again), keep
    it until they are chosen: a PendingUpload."""
    header = header_of(upload)
    columns = None
    if not is_the_feeds_own_layout(header):
        columns = None if choose_columns else saved_columns(feed=FEED, header=header)
        if columns is None:
            return keep_for_columns(by=by, upload=upload, file_name=file_name, header=header)
    return start_import_job(by=by, upload=upload, file_name=file_name, columns=columns)


@transaction.atomic
def start_import_job(
    *, by: User, upload, file_name: str, columns: Mapping[str, str] | None = None
) -> ImportJob:
    """Keep an uploaded file and queue its import for the worker, read through `columns` if given."""
    relative = f"{IMPORTS_DIR}/{uuid.uuid4()}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    _keep_upload(upload, target)
    return _queue(by=by, target=target, relative=relative, file_name=file_name, columns=columns)


def _queue(*, by: User, target: Path, relative: str, file_name: str, columns) -> ImportJob:
    from candour.learning.tasks.training import import_training_file  # the task module imports this one

    if columns:
        _write_json(_beside(target, ".columns.json"), dict(columns))
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
        changes={
            "feed": FEED,
            "file_name": job.file_name,
            "size_bytes": job.size_bytes,
            "columns": dict(columns) if columns else None,
        },
    )
    return job


# An upload whose columns are not yet known waits here for the person to say which is which.
PENDING_DIR = f"{IMPORTS_DIR}/pending"
# Uploads nobody finished choosing columns for are not kept longer than this.
PENDING_KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class PendingUpload:
    """An uploaded file kept until its columns are chosen: whose it is, its name and its header."""

    upload_id: str
    uploaded_by_id: int
    file_name: str
    header: list[str]


def keep_for_columns(*, by: User, upload, file_name: str, header: list[str]) -> PendingUpload:
    """Keep an upload in a learning system's own layout until its columns are chosen."""
    directory = Path(settings.MEDIA_ROOT) / PENDING_DIR
    directory.mkdir(parents=True, exist_ok=True)
    _forget_abandoned(directory)
    pending = PendingUpload(str(uuid.uuid4()), by.pk, Path(file_name).name[:200], header)
    _keep_upload(upload, directory / pending.upload_id)
    _write_json(directory / f"{pending.upload_id}.json", dataclasses.asdict(pending))
    return pending


def pending_upload(*, by: User, upload_id: str) -> PendingUpload | None:
    """The person's own upload waiting for its columns, or None (not theirs, gone, or never was)."""
    try:
        path = Path(settings.MEDIA_ROOT) / PENDING_DIR / f"{uuid.UUID(upload_id)}.json"
        pending = PendingUpload(**json.loads(path.read_text()))
    except (ValueError, OSError, TypeError):
        return None
    return pending if pending.uploaded_by_id == by.pk else None


@transaction.atomic
def start_import_with_columns(*, by: User, pending: PendingUpload, columns: Mapping[str, str]) -> ImportJob:
    """Save the columns chosen for this header for next time, and queue the waiting upload's import."""
    save_columns(by=by, feed=FEED, header=pending.header, columns=columns)
    waiting = Path(settings.MEDIA_ROOT) / PENDING_DIR / pending.upload_id
    relative = f"{IMPORTS_DIR}/{uuid.uuid4()}"
    target = Path(settings.MEDIA_ROOT) / relative
    os.replace(waiting, target)
    _beside(waiting, ".json").unlink()
    return _queue(by=by, target=target, relative=relative, file_name=pending.file_name, columns=columns)


def _forget_abandoned(directory: Path) -> None:
    too_old = (timezone.now() - PENDING_KEEP).timestamp()
    for path in directory.iterdir():
        if path.stat().st_mtime < too_old:
            path.unlink(missing_ok=True)


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
        with path.open("rb") as upload:
            import_training_records(
                by=job.uploaded_by,
                file=upload,
                scope=scope_of(job.uploaded_by, MANAGE_TRAINING),
                file_name=job.file_name,
                columns=_read_columns(job),
                progress=lambda progress: _write_progress(job, progress),
                job=job,
            )
    except Exception:
        _finish(job, None)
        raise
    finally:
        progress_file(job).unlink(missing_ok=True)
        columns_file(job).unlink(missing_ok=True)
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


def _read_columns(job: ImportJob) -> dict[str, str] | None:
    try:
        return json.loads(columns_file(job).read_text())
    except FileNotFoundError:
        return None


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
        upload.seek(0)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _write_json(target: Path, content) -> None:
    # Written beside and then renamed over, so a reader sees the old content or the new, never half a file.
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as out:
        json.dump(content, out)
    os.replace(out.name, target)


def _import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
    return import_training_records(by=None, file=source, file_name=source.name, then=then, progress=progress)


# Other systems send this feed as rows through the integration API (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="training_records",
        title="Training records",
        columns=COLUMNS,
        example={
            "staff_number": "100234",
            "subject_code": "sg-children-3",
            "completed_on": "2026-03-27",
            "hours": "12",
            "provider": "Northmoor Academy",
        },
        run=_import_sent_rows,
    )
)
