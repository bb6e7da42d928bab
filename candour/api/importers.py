"""Submissions: rows sent for a feed, imported through that feed's own importer (core.importing.feeds).

A writer layer beside services, like every importer (ADR 0023): the rows are checked outside any transaction
and written in one short one, and the submission's outcome is saved in that same transaction, so nobody sees
"done" before the rows are there, nor rows whose submission still says "running". A small batch is imported
while the caller waits; a large one is kept on disk for the task worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from candour.api.models import ApiKey, Submission
from candour.core import audit
from candour.core.importing import ImportResult, Progress, RowError, RowSource, feeds
from candour.core.refusals import Refused

SUBMISSIONS_DIR = "api-submissions"
ANOTHER_BODY = (
    "This idempotency key was used before with a different body. Send the same body to get the first "
    "answer again, or a new idempotency key for new rows."
)


def body_hash(feed: feeds.Feed, body: bytes) -> str:
    return hashlib.sha256(feed.key.encode() + b"\x1f" + body).hexdigest()


def receive(
    *, key: ApiKey, feed: feeds.Feed, idempotency_key: str, body: bytes, rows: list[Any]
) -> tuple[Submission, bool]:
    """The submission for this idempotency key: made now (True), or the one made before with the same body
    (False). The same key with another body is refused. A new large batch is queued for the worker."""
    digest = body_hash(feed, body)
    earlier = Submission.objects.filter(integration=key.integration, idempotency_key=idempotency_key).first()
    if earlier is None:
        try:
            return _accept(key, feed, idempotency_key, digest, rows), True
        except IntegrityError:  # the same key sent twice at once: the other one is the first
            earlier = Submission.objects.get(integration=key.integration, idempotency_key=idempotency_key)
    if earlier.body_hash != digest:
        raise Refused(ANOTHER_BODY)
    return earlier, False


@transaction.atomic
def _accept(key: ApiKey, feed: feeds.Feed, idempotency_key: str, digest: str, rows: list[Any]) -> Submission:
    submission = Submission.objects.create(
        integration=key.integration,
        key=key,
        feed=feed.key,
        idempotency_key=idempotency_key,
        body_hash=digest,
        rows=len(rows),
    )
    if len(rows) > settings.CANDOUR_API_IMMEDIATE_ROWS:
        from candour.api.tasks import import_submission  # the task module imports this one

        submission.stored_path = f"{SUBMISSIONS_DIR}/{submission.public_id}.json"
        submission.save(update_fields=["stored_path"])
        _keep(_stored(submission), rows)
        transaction.on_commit(lambda: import_submission.enqueue(submission.pk))
    return submission


def run(submission: Submission, rows: list[Any] | None = None) -> Submission:
    """Import the submission's rows (given, or kept for the worker), all or nothing; call it outside any
    transaction. A submission already started is left as it is: a task run twice imports once."""
    started = Submission.objects.filter(pk=submission.pk, state=Submission.State.WAITING).update(
        state=Submission.State.RUNNING, updated_at=timezone.now()
    )
    submission.refresh_from_db()
    if not started:
        return submission
    path = _stored(submission) if submission.stored_path else None
    try:
        if rows is None:
            rows = json.loads(path.read_text()) if path else []
        feed = feeds.get(submission.feed)
        source = RowSource(rows, name=f"API submission {submission.public_id}")
        feed.run(
            source,
            then=lambda result: _finish(submission, result),
            progress=lambda progress: _progress(submission, progress),
        )
    except Exception:
        _finish(submission, None)
        raise
    finally:
        if path:
            path.unlink(missing_ok=True)
    submission.refresh_from_db()
    return submission


STOPPED = RowError(None, "", "The import stopped before it finished. Send the rows again with a new key.")


def _finish(submission: Submission, result: ImportResult | None) -> None:
    result = result or ImportResult(error_count=1, errors=[STOPPED])
    Submission.objects.filter(pk=submission.pk).update(
        state=Submission.State.DONE if result.ok else Submission.State.FAILED,
        rows_checked=result.rows_read,
        rows_written=result.created + result.updated + result.unchanged,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        error_count=result.error_count,
        errors=[row_error(error) for error in result.errors],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def fail_stalled(*, now=None) -> int:
    """The watchdog: a submission still running with no progress for CANDOUR_IMPORT_TIMEOUT_SECONDS lost its
    worker, and its rows died with the worker's open transaction. It is marked failed (send the rows again,
    with a new idempotency key) and its kept rows removed. Returns how many it failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CANDOUR_IMPORT_TIMEOUT_SECONDS)
    stalled = list(Submission.objects.filter(state=Submission.State.RUNNING, updated_at__lt=cutoff))
    failed = 0
    for submission in stalled:
        with transaction.atomic():
            # Only if still running and still silent: the worker may have finished meanwhile.
            claimed = Submission.objects.filter(
                pk=submission.pk, state=Submission.State.RUNNING, updated_at__lt=cutoff
            ).update(
                state=Submission.State.FAILED,
                error_count=1,
                errors=[row_error(STOPPED)],
                finished_at=now,
                updated_at=now,
            )
            if not claimed:
                continue
            audit.record(
                action="import_stopped",
                system="API submission watchdog",
                target=submission.integration,
                summary=f"API submission {submission.public_id} stopped part-way: failed, nothing imported",
                changes={"feed": submission.feed, "submission": str(submission.public_id)},
            )
        if submission.stored_path:
            _stored(submission).unlink(missing_ok=True)
        failed += 1
    return failed


def row_error(error: RowError) -> dict[str, Any]:
    """A row error as the API shows it: its parts, and the sentence the file import would say."""
    return {"row": error.line, "column": error.column, "reason": error.reason, "message": str(error)}


def _progress(submission: Submission, progress: Progress) -> None:
    # Outside the writing transaction only: inside it, the row would be written with the rows anyway.
    if not transaction.get_connection().in_atomic_block:
        Submission.objects.filter(pk=submission.pk).update(
            rows_checked=progress.rows_read, updated_at=timezone.now()
        )


def _stored(submission: Submission) -> Path:
    return Path(settings.MEDIA_ROOT) / submission.stored_path


def _keep(target: Path, rows: list[Any]) -> None:
    # Written beside and renamed over, so the worker reads all of the rows or none.
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as out:
        json.dump(rows, out)
    os.replace(out.name, target)
