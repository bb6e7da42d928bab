"""Background imports of uploaded files, for any registered feed (docs/adr/0039).

An upload is kept under MEDIA_ROOT/imports/<uuid>, an ImportJob records it, and a task runs the feed's import
in the worker (`feed.run`), which reports progress in a small JSON file beside the upload, so the job's page
can follow it without writing to the database. The outcome is saved in the transaction that writes the rows,
so the page says "Imported" only once they are there to see. The upload and its progress file are removed
when the import ends; a watchdog fails an import whose worker died, and a daily sweep forgets any file no job
still needs (an upload left waiting for its columns, one whose worker died before it could remove it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit, once
from candour.core.importing import feeds
from candour.core.importing.framework import ImportResult, Progress, RowError
from candour.core.importing.source import CsvSource, UnreadableFile
from candour.core.models import ImportJob
from candour.core.refusals import Refused

IMPORTS_DIR = "imports"
PROGRESS_SUFFIX = ".progress.json"
# A file no waiting or running job holds is forgotten once it is this old: an upload left waiting for its
# columns to be chosen, or one whose worker died before it could remove it.
FORGET_AFTER = dt.timedelta(days=1)
# The one problem of an import that stopped part-way (an error in the worker, or the worker gone); its page
# says so and offers to upload the file again, rather than asking for corrections.
STOPPED = {"line": None, "column": "", "reason": "The import stopped before it finished.", "stopped": True}


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORTS_DIR


def stored_file(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def progress_file(job: ImportJob) -> Path:
    return beside(stored_file(job), PROGRESS_SUFFIX)


def read_progress(job: ImportJob) -> Progress | None:
    """What the worker last wrote about the job, or None before it starts (or once it is done)."""
    try:
        return Progress(**json.loads(progress_file(job).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _write_progress(job: ImportJob, progress: Progress) -> None:
    write_json(progress_file(job), dataclasses.asdict(progress))


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


def another_feeds_file(feed: feeds.Feed, header: list[str] | None) -> str:
    """Why a file cannot be this feed's, when its header is exactly another feed's columns; else empty."""
    other = feeds.with_columns(header or [])
    if other is None or other.key == feed.key:
        return ""
    return (
        f"This is a {other.title} file (its header has that feed's columns), not a {feed.title} file. "
        f"Import it as {other.title}."
    )


def start_import_job(
    *,
    by,
    feed: feeds.Feed,
    upload,
    file_name: str,
    columns: Mapping[str, str] | None = None,
    form_token: str = "",
    job_page: Callable[[ImportJob], str] = lambda job: "",
) -> ImportJob:
    """Keep an uploaded file (or a file kept earlier, given as a Path) and queue its import for the worker,
    read through `columns` if given. A file whose header is another feed's is refused, naming that feed.

    The form's one-time token is claimed with the job, so a form sent twice queues one import: the second
    sending raises once.SentBefore, with the first job's page (`job_page`)."""
    if not isinstance(upload, Path) and columns is None:
        refusal = another_feeds_file(feed, header_of(upload))
        if refusal:
            raise Refused(refusal, field="file")
    relative = f"{IMPORTS_DIR}/{uuid.uuid4()}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # Kept before the transaction begins: moving a large file then holds no lock.
    keep(upload, target)
    try:
        return _queue(by, feed, target, relative, file_name, columns, form_token, job_page)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


@transaction.atomic
def _queue(by, feed, target: Path, relative: str, file_name: str, columns, form_token, job_page) -> ImportJob:
    from candour.core.tasks import run_import  # the task module imports this one

    job = ImportJob.objects.create(
        feed=feed.key,
        uploaded_by=by,
        file_name=Path(file_name).name[:200],
        stored_path=relative,
        size_bytes=target.stat().st_size,
        columns=dict(columns) if columns else None,
    )
    once.claim(form_token, location=job_page(job))
    run_import.enqueue(job.pk)
    audit.record(
        action="uploaded_import",
        actor=by,
        target=job,
        summary=f"{feed.title} file {job.file_name} uploaded for import",
        changes={
            "feed": feed.key,
            "file_name": job.file_name,
            "size_bytes": job.size_bytes,
            "columns": job.columns,
        },
    )
    return job


def run_import_job(*, job_id: int) -> ImportJob:
    """Import a queued upload in the worker through its feed, reporting progress as it goes; keep the outcome
    on the job. A job already started is left as it is: a task run twice imports once."""
    started = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.WAITING).update(
        status=ImportJob.Status.RUNNING, updated_at=timezone.now()
    )
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if not started:
        return job
    path = stored_file(job)
    # Only a file in another system's own layout has columns, and only its feed reads them.
    read_through = {"columns": job.columns} if job.columns else {}
    try:
        with path.open("rb") as upload:
            result = feeds.get(job.feed).run(
                CsvSource(upload, name=job.file_name),
                by=job.uploaded_by,
                then=lambda result: _finish(job, result),
                progress=lambda progress: _write_progress(job, progress),
                **read_through,
            )
    except Exception:
        _finish(job, None)
        raise
    finally:
        progress_file(job).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    job.refresh_from_db()
    if job.status == ImportJob.Status.RUNNING:  # a feed that did not call `then`
        _finish(job, result)
    return job


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


def forget_old_files(*, now: dt.datetime | None = None) -> int:
    """Remove files under the imports folder older than FORGET_AFTER that no waiting or running job holds.
    Returns how many it removed."""
    root = imports_dir()
    if not root.exists():
        return 0
    too_old = ((now or timezone.now()) - FORGET_AFTER).timestamp()
    held = {
        Path(settings.MEDIA_ROOT) / path
        for path in ImportJob.objects.filter(
            status__in=[ImportJob.Status.WAITING, ImportJob.Status.RUNNING]
        ).values_list("stored_path", flat=True)
    }
    held |= {beside(path, PROGRESS_SUFFIX) for path in held}
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path not in held and path.stat().st_mtime < too_old:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def job_for(user, job_id) -> ImportJob | None:
    """An import job, only for the person who uploaded it."""
    return ImportJob.objects.filter(public_id=job_id, uploaded_by=user).first()


def recent_jobs(user, *, feed_keys: list[str] | None = None, count: int = 5) -> list[ImportJob]:
    """The person's own latest imports, of these feeds (by key) when given."""
    jobs = ImportJob.objects.filter(uploaded_by=user)
    if feed_keys is not None:
        jobs = jobs.filter(feed__in=feed_keys)
    return list(jobs.order_by("-created_at")[:count])


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


def keep(upload, target: Path) -> None:
    """Put an upload (or a file kept earlier, given as a Path) at `target`."""
    if isinstance(upload, Path):
        os.replace(upload, target)
    elif hasattr(upload, "temporary_file_path"):
        # A large upload is already a temporary file on disk: move it rather than copy hundreds of MB.
        shutil.move(upload.temporary_file_path(), target)
    else:
        upload.seek(0)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)


def beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def write_json(target: Path, content) -> None:
    """Written beside, then renamed over: a reader sees the old content or the new, never half a file."""
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as out:
        json.dump(content, out)
    os.replace(out.name, target)
