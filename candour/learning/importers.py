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

An upload is imported in the background by core's import job (core.importing.jobs, docs/adr/0039), which
runs this feed as registered; one in a learning system's own layout waits first for its columns to be chosen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
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

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    PreparedUpsert,
    Progress,
    Row,
    RowSource,
    WriteCounts,
    day_date,
    feeds,
    import_audited,
    jobs,
    prepare_upsert,
    quoted,
    text,
)
from candour.core.importing.mappings import save_columns, saved_columns
from candour.core.models import ImportJob
from candour.core.refusals import Refused
from candour.learning.access import MANAGE_TRAINING
from candour.learning.models import Subject, TrainingRecord
from candour.learning.services.training import check_hours, refresh_compliance
from candour.people.access import Scope, scope_of
from candour.people.models import Person, User

FEED = "training records"
FEED_KEY = "training_records"
COLUMNS = ("staff_number", "subject_code", "completed_on", "hours", "provider")
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
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the learning system's export (or rows sent as data), all or nothing; `by` is None when a
    system job imports it. Call it outside any transaction: it checks first, then writes in one of its own
    with its audit event and `then(result)` (a job's outcome, say). `columns` maps the feed's columns to a
    file's."""
    importer = TrainingRecordImporter(scope)
    return import_audited(
        importer,
        file,
        feed=FEED,
        by=by,
        columns=columns,
        progress=progress,
        # A job's outcome is saved with the records, so its page says "Imported" once they are there to see.
        then=then,
        file_name=file_name,
        details=lambda: {"people_recomputed": len(importer.touched)},
    )


# Uploads: imported in the background by core's import job (core.importing.jobs), or kept until their
# columns are chosen when they come in a learning system's own layout.


def is_the_feeds_own_layout(header: list[str] | None) -> bool:
    """True when the file has exactly this feed's columns, or cannot be read (the import says why)."""
    return header is None or sorted(header) == sorted(COLUMNS)


def receive_upload(
    *, by: User, upload, file_name: str, choose_columns: bool = False, form_token: str = "", job_page=None
) -> ImportJob | PendingUpload:
    """Queue an uploaded file's import: in this feed's own layout, or a learning system's read through the
    columns chosen before for its header. When its columns are not known (or are to be chosen again), keep
    it until they are chosen: a PendingUpload. Another feed's file is refused, naming the feed."""
    header = jobs.header_of(upload)
    refusal = jobs.another_feeds_file(feeds.get(FEED_KEY), header)
    if refusal:
        raise Refused(refusal, field="file")
    columns = None
    if not is_the_feeds_own_layout(header):
        columns = None if choose_columns else saved_columns(feed=FEED, header=header)
        if columns is None:
            return keep_for_columns(by=by, upload=upload, file_name=file_name, header=header)
    return jobs.start_import_job(
        by=by,
        feed=feeds.get(FEED_KEY),
        upload=upload,
        file_name=file_name,
        columns=columns,
        form_token=form_token,
        job_page=job_page or (lambda job: ""),
    )


# An upload whose columns are not yet known waits here for the person to say which is which; core's sweep
# forgets one nobody finished choosing columns for (jobs.FORGET_AFTER).
PENDING_DIR = f"{jobs.IMPORTS_DIR}/pending"


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
    pending = PendingUpload(str(uuid.uuid4()), by.pk, Path(file_name).name[:200], header)
    jobs.keep(upload, directory / pending.upload_id)
    jobs.write_json(directory / f"{pending.upload_id}.json", dataclasses.asdict(pending))
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
def start_import_with_columns(
    *, by: User, pending: PendingUpload, columns: Mapping[str, str], form_token: str = "", job_page=None
) -> ImportJob:
    """Save the columns chosen for this header for next time, and queue the waiting upload's import."""
    save_columns(by=by, feed=FEED, header=pending.header, columns=columns)
    waiting = Path(settings.MEDIA_ROOT) / PENDING_DIR / pending.upload_id
    job = jobs.start_import_job(
        by=by,
        feed=feeds.get(FEED_KEY),
        upload=waiting,
        file_name=pending.file_name,
        columns=columns,
        form_token=form_token,
        job_page=job_page or (lambda job: ""),
    )
    jobs.beside(waiting, ".json").unlink()
    return job


def _run_feed(source, *, then, progress=None, by: User | None = None, columns=None) -> ImportResult:
    """The feed as core runs it: rows sent by another system (for everyone), or a file someone uploaded
    (for the people they manage training for)."""
    return import_training_records(
        by=by,
        file=source,
        scope=scope_of(by, MANAGE_TRAINING) if by is not None else None,
        file_name=source.name,
        columns=columns,
        then=then,
        progress=progress,
    )


# Other systems send this feed as rows through the integration API, and the education lead uploads its files
# (core.importing.feeds).
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
        run=_run_feed,
        permission=MANAGE_TRAINING,
        upload_page="learning:upload_training_records",
        results_page=("See training compliance", "learning:show_compliance"),
    )
)
