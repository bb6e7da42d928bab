"""The CAD's call log and the voice recorder's index: two feeds that together show every 999 call
accounted for. Each is checked whole and written all or nothing (core.importing), and then the span of time
the file covers is reconciled in the same transaction, so a late recorder export closes the exceptions it
answers as it lands (docs/adr/0035). The same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import BinaryIO

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
    feeds,
    import_audited,
    prepare_upsert,
    quoted,
    text,
)
from candour.operations.access import IMPORT_FEEDS
from candour.operations.arp.incidents import parse_time
from candour.operations.models import CadCall, Channel, Recording
from candour.operations.services import recordings
from candour.people.models import User

CALL_LOG_COLUMNS = (
    "call_id",
    "line",
    "connected",
    "answered",
    "ended",
    "channel",
    "call_handler",
    "position",
)
RECORDER_COLUMNS = ("recording_id", "started", "duration_seconds", "channel", "position", "call_id")


class _Span:
    """The earliest and latest times a file holds: what its import reconciles."""

    def __init__(self):
        self.earliest: dt.datetime | None = None
        self.latest: dt.datetime | None = None

    def widen(self, moment: dt.datetime) -> None:
        self.earliest = moment if self.earliest is None else min(self.earliest, moment)
        self.latest = moment if self.latest is None else max(self.latest, moment)


class CallLogImporter(Importer):
    """Creates and updates calls from the CAD's call log, keyed by its call id."""

    key = ("call_id",)

    def __init__(self):
        self.span = _Span()
        self.columns = (
            Column("call_id", _text(CadCall, "call_id")),
            Column("line", _text(CadCall, "line"), optional=True),
            Column("connected", _time),
            Column("answered", _time, optional=True),
            Column("ended", _time, optional=True),
            Column("channel", _channel),
            Column("call_handler", _text(CadCall, "call_handler"), optional=True),
            Column("position", _text(CadCall, "position"), optional=True),
        )

    def check_row(self, row: Row) -> None:
        values = row.values
        if values["answered"] and values["answered"] < values["connected"]:
            raise Invalid("answered before the call connected", column="answered")
        if values["ended"] and values["ended"] < (values["answered"] or values["connected"]):
            raise Invalid("ended before the call was answered or connected", column="ended")
        self.span.widen(values["connected"])

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        return prepare_upsert(CadCall, key=self.key, records=[_call_fields(row.values) for row in rows])

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()


class RecorderIndexImporter(Importer):
    """Creates and updates the recorder's index entries, keyed by its recording id."""

    key = ("recording_id",)

    def __init__(self):
        self.span = _Span()
        self.columns = (
            Column("recording_id", _text(Recording, "recording_id")),
            Column("started", _time),
            Column("duration_seconds", _seconds),
            Column("channel", _channel),
            Column("position", _text(Recording, "position"), optional=True),
            Column("call_id", _text(Recording, "call_id"), optional=True),
        )

    def check_row(self, row: Row) -> None:
        self.span.widen(row.values["started"])

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        return prepare_upsert(
            Recording, key=self.key, records=[_recording_fields(row.values) for row in rows]
        )

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()


def import_call_log(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
    reconcile: bool = True,
) -> ImportResult:
    """Bring in the CAD's call log, all or nothing, and reconcile the calls it holds with the recordings
    (unless the recorder's file for the same span comes next, as when loading history). Call it outside any
    transaction."""
    importer = CallLogImporter()
    return _import(
        importer, "CAD call log", by, file, progress, then, widen_before=dt.timedelta(), reconcile=reconcile
    )


def import_recorder_index(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the recorder's index, all or nothing, and reconcile the calls its recordings could be of."""
    importer = RecorderIndexImporter()
    return _import(importer, "Recorder index", by, file, progress, then, widen_before=recordings.ANSWER_WAIT)


def _import(
    importer, feed, by, file, progress, then, *, widen_before: dt.timedelta, reconcile=True
) -> ImportResult:
    def reconcile_the_span() -> None:
        span = importer.span
        if reconcile and span.earliest is not None:
            recordings.reconcile(
                since=span.earliest - widen_before,
                until=span.latest + dt.timedelta(seconds=1),
                by=by,
                system=f"{feed} import",
            )

    return import_audited(
        importer, file, feed=feed, by=by, progress=progress, then=then, alongside=reconcile_the_span
    )


def _call_fields(values: dict) -> dict:
    utc = {
        name: values[name].astimezone(dt.UTC) if values[name] else None
        for name in ("connected", "answered", "ended")
    }
    return {
        "call_id": values["call_id"],
        "line": values["line"] or "",
        "channel": values["channel"],
        "call_handler": values["call_handler"] or "",
        "position": values["position"] or "",
        **utc,
        "month": timezone.localdate(values["connected"]).replace(day=1),
    }


def _recording_fields(values: dict) -> dict:
    return {
        "recording_id": values["recording_id"],
        "started": values["started"].astimezone(dt.UTC),
        "duration_seconds": values["duration_seconds"],
        "channel": values["channel"],
        "position": values["position"] or "",
        "call_id": values["call_id"] or "",
    }


def _time(value: str) -> dt.datetime:
    try:
        return parse_time("", value)
    except ValueError:
        raise Invalid(f"{quoted(value)} is not an ISO 8601 time with its offset from UTC") from None


def _seconds(value: str) -> int:
    if not value.isdigit():
        raise Invalid(f"{quoted(value)} is not a whole number of seconds")
    return int(value)


def _channel(value: str) -> str:
    if value not in Channel.values:
        raise Invalid(f"{quoted(value)} is not one of {', '.join(Channel.values)}")
    return value


def _text(model, field_name: str):
    return text(max_length=model._meta.get_field(field_name).max_length)


def _sent_rows(run):
    def import_sent_rows(source: RowSource, *, then, progress=None, by=None) -> ImportResult:
        return run(by=by, file=source, progress=progress, then=then)

    return import_sent_rows


# Other systems send these feeds as rows through the integration API, and the operations and EOC managers
# upload their files on the import pages (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="cad_call_log",
        title="CAD call log",
        columns=CALL_LOG_COLUMNS,
        example={
            "call_id": "C-2026-000123",
            "line": "999-1",
            "connected": "2026-03-02T14:05:09+00:00",
            "answered": "2026-03-02T14:05:14+00:00",
            "ended": "2026-03-02T14:11:40+00:00",
            "channel": "voice",
            "call_handler": "100234",
            "position": "EOC-N-07",
        },
        run=_sent_rows(import_call_log),
        permission=IMPORT_FEEDS,
        results_page=("See call recordings", "operations:list_recording_exceptions"),
    )
)
feeds.register(
    feeds.Feed(
        key="recorder_index",
        title="Recorder index",
        columns=RECORDER_COLUMNS,
        example={
            "recording_id": "R-88120031",
            "started": "2026-03-02T14:05:15+00:00",
            "duration_seconds": "385",
            "channel": "voice",
            "position": "EOC-N-07",
            "call_id": "C-2026-000123",
        },
        run=_sent_rows(import_recorder_index),
        permission=IMPORT_FEEDS,
        results_page=("See call recordings", "operations:list_recording_exceptions"),
    )
)
