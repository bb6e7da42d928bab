"""Running an import in two steps, so that checking a large file never holds the database's write lock.

1. Check, outside any transaction: records stream by and are read and checked, every problem is kept with
   its line, and batches of good rows are made ready to write (`Importer.prepare_batch`, which may read but
   never writes) and kept on disk in a private stage.
2. Write, in one transaction, only if every row was good: the kept batches are written and the importer's
   `after_write` runs, together with whatever must go with them (the audit event, the job's outcome). On
   SQLite this is the only time an import holds the write lock, and it holds it to write, nothing else.

Nothing is written before the whole file is known to be good, so no other reader ever sees part of an import,
and a process killed at any point leaves nothing: before step 2 nothing was written, and step 2 is one
transaction. See ADR 0023.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction

from candour.core.exports import unescaped
from candour.core.importing.cells import Invalid, Parser, quoted
from candour.core.importing.source import CsvSource, Record, RowSource, UnreadableFile
from candour.core.importing.stage import Stage
from candour.core.importing.upsert import WriteCounts

BATCH_SIZE = 2_000
# A page can show a thousand problems usefully; past that the count says enough.
MAX_REPORTED_ERRORS = 1_000
CHECKING, WRITING = "checking", "writing"
NUL_CHARACTER = (
    "holds a NUL character (byte 0x00), which is never part of text: the file may be damaged, or saved "
    "in a format other than CSV"
)
CHANGED_WHILE_CHECKING = (
    "Records this file changes were changed by someone else while it was being checked, so nothing was "
    "imported. Import the file again."
)

Source = CsvSource | RowSource


@dataclass(frozen=True)
class Column:
    """A column the file must have, and how to read its cells. A blank optional cell reads as None."""

    name: str
    parse: Parser
    optional: bool = False
    # A column added to a feed after files were made to its layout: a file may leave it out altogether, and
    # every row then reads it as blank (so it must be optional too).
    may_be_left_out: bool = False

    def read(self, cell: str) -> Any:
        value = cell.strip()
        if value:
            return self.parse(value)
        if self.optional:
            return None
        raise Invalid("a value is required")


@dataclass(frozen=True)
class RowError:
    """What is wrong and where: the line (None for the file as a whole), and the column if one is to blame.
    `place` says what the number counts: lines of a file, or rows of a batch sent as data."""

    line: int | None
    column: str
    reason: str
    place: str = CsvSource.place

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.column}: {self.reason}" if self.column else self.reason
        where = f"{self.place} {self.line}, {self.column}" if self.column else f"{self.place} {self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Row:
    """A row whose every cell was read: the line it starts on, and its values by column name."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Progress:
    """How far an import has gone, for a progress bar: rows checked, then rows written."""

    rows_read: int
    bytes_read: int
    total_bytes: int
    stage: str = CHECKING
    rows_written: int = 0


@dataclass
class ImportResult:
    """What an import did. With any error, nothing was written and the counts are zero."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_read: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class StoredRowsChanged(Exception):
    """What a batch was prepared against changed before it was written; the import must be run again."""


class Importer(ABC):
    """One feed: the columns it must have, the columns that identify a row, and how valid rows are written."""

    columns: Sequence[Column]
    # The natural key: a file may hold each key once, and re-importing a row with the same key updates it.
    key: Sequence[str]
    # A feed where no rows at all is a true answer (a transfer bundle's placements, say); for most, a file
    # with a header and nothing under it is a mistake.
    allow_empty: bool = False
    # Cells written by Candour's own exports, which escape text that a spreadsheet would take for a formula.
    spreadsheet_escaped: bool = False

    def check_row(self, row: Row) -> None:  # noqa: B027 - most feeds need no check across columns
        """Check across the columns of a row whose cells all read; raise Invalid naming the guilty column."""

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        """Checks that need every row read first, such as references to rows later in the file."""
        return ()

    def prepare_batch(self, rows: list[Row]) -> Any:
        """Work out what a batch of valid rows will write, before any of it is written: read what is stored,
        prepare values. Never write here. What this returns is kept (pickled) and given to `write_batch`."""
        return rows

    @abstractmethod
    def write_batch(self, prepared: Any) -> WriteCounts:
        """Write one prepared batch, inside the import's one transaction."""

    def after_write(self) -> WriteCounts:
        """Writes that need every row written first, such as links between rows; returns changes to counts."""
        return WriteCounts()


class CheckedImport:
    """A source read and checked, its good rows kept ready to write. Close it (or use it in `with`)."""

    def __init__(self, importer: Importer, stage: Stage, result: ImportResult, progress):
        self.importer = importer
        self.result = result
        self._stage = stage
        self._progress = progress

    @property
    def ok(self) -> bool:
        return self.result.ok

    def write(self) -> ImportResult:
        """Write every kept batch, then the importer's `after_write`, inside the caller's transaction."""
        if not self.ok:
            raise ValueError("An import with problems is never written.")
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A checked import is written inside one transaction.atomic() block.")
        counts = WriteCounts()
        written = 0
        for rows, batch in self._stage.batches():
            counts.add(self.importer.write_batch(batch))
            written += rows
            if self._progress:
                total = self.result.rows_read
                self._progress(Progress(total, 0, 0, stage=WRITING, rows_written=written))
        counts.add(self.importer.after_write())
        self.result = dataclasses.replace(
            self.result, created=counts.created, updated=counts.updated, unchanged=counts.unchanged
        )
        return self.result

    def refuse(self, reason: str) -> None:
        """Record that the import was not written after all, and why."""
        self.result = ImportResult(
            rows_read=self.result.rows_read, error_count=1, errors=[RowError(None, "", reason)]
        )

    def close(self) -> None:
        self._stage.close()

    def __enter__(self) -> CheckedImport:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def as_source(file_or_source: BinaryIO | Source) -> Source:
    """An uploaded file is read as CSV; a source is used as it is."""
    if isinstance(file_or_source, CsvSource | RowSource):
        return file_or_source
    return CsvSource(file_or_source)


def check_import(
    importer: Importer,
    source: BinaryIO | Source,
    *,
    columns: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> CheckedImport:
    """Read and check every row, outside any transaction, keeping the good ones ready to write.

    `columns` maps the feed's column names to a file's own (a learning system's export, say): the file's
    other columns are then left unread, and problems name the file's columns."""
    source = as_source(source)
    stage = Stage()
    limit = settings.CANDOUR_IMPORT_MAX_BYTES
    if source.total_bytes > limit:
        size, most = readable_size(source.total_bytes), readable_size(limit)
        too_big = f"The file is {size}; files up to {most} can be imported."
        result = ImportResult(error_count=1, errors=[RowError(None, "", too_big)])
    else:
        result = _Check(importer, source, stage, columns, progress).result()
    return CheckedImport(importer, stage, result, progress)


def write_together(checked: Sequence[CheckedImport], *, then: Callable[[], None] | None = None) -> bool:
    """Write checked imports in one transaction, with `then` (the audit event, a job's outcome) in it too.

    If anything they were prepared against changed before the write, none of it is kept and each result
    says so: False."""
    try:
        with transaction.atomic():
            for each in checked:
                each.write()
            if then:
                then()
    except StoredRowsChanged:
        for each in checked:
            each.refuse(CHANGED_WHILE_CHECKING)
        return False
    return True


def run_import(
    importer: Importer,
    source: BinaryIO | Source,
    *,
    columns: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Check every row, then write them all in one transaction, or nothing if any row is bad."""
    with check_import(importer, source, columns=columns, progress=progress) as checked:
        if checked.ok:
            write_together([checked])
        return checked.result


class _Check:
    """One pass over the source: every row checked, good rows prepared in batches until one is bad."""

    def __init__(self, importer, source: Source, stage: Stage, columns, progress):
        self.importer = importer
        self.source = source
        self.stage = stage
        self.mapping = columns
        self.progress = progress
        self.columns = {column.name: column for column in importer.columns}
        self.positions: dict[str, int | None] = {}
        # The name a problem gives a column: the file's own when its columns were mapped.
        self.labels: dict[str, str] = {}
        self.width = 0
        self.batch: list[Row] = []
        self.outcome = ImportResult()

    def result(self) -> ImportResult:
        if self._read_to_the_end():
            for error in self.importer.check_file(self.stage):
                self._report(error)
            if self.outcome.ok and not self.outcome.rows_read and not self.importer.allow_empty:
                self._report(RowError(None, "", self.source.only_header))
            self._prepare_batch()
        self._tell_progress()
        self.outcome.errors.sort(key=lambda error: error.line or 0)
        return self.outcome

    def _read_to_the_end(self) -> bool:
        try:
            records = self.source.records()
            if not self._header(next(records, None)):
                return False
            for record in records:
                self._take(record)
        except UnreadableFile as error:
            self._report(self._error(error.line, "", error.reason))
            return False
        return True

    def _header(self, record: Record | None) -> bool:
        if record is None:
            self._report(RowError(None, "", self.source.empty))
            return False
        if record.problem:
            self._report(self._error(record.line, "", record.problem))
            return False
        names = [name.strip() for name in record.fields]
        problems = [
            self._error(record.line, name, NUL_CHARACTER) for name in names if "\x00" in name
        ] or self._header_problems(record.line, names)
        for problem in problems:
            self._report(problem)
        self.width = len(names)
        return not problems

    def _header_problems(self, line: int | None, names: list[str]) -> list[RowError]:
        header = self.source.header_name
        problems = [
            self._error(line, name, f"appears more than once in {header}")
            for name, count in Counter(names).items()
            if count > 1
        ]
        if self.mapping is None:
            other_feed = _feed_with_these_columns(names, self.columns)
            if other_feed and not problems:
                return [
                    self._error(
                        line,
                        "",
                        f"this is a {other_feed.title} file ({header} has that feed's columns), not a file "
                        "for this import: import it as that feed",
                    )
                ]
            expected = ", ".join(self.columns)
            problems += [
                self._error(line, name, f"missing from {header}")
                for name, column in self.columns.items()
                if name not in names and not column.may_be_left_out
            ]
            problems += [
                self._error(line, name, f"not a column of this feed, whose columns are {expected}")
                for name in names
                if name not in self.columns
            ]
            mapping = {name: name for name in self.columns if name in names}
        else:
            problems += [
                self._error(line, theirs, f"missing from {header}; it was chosen to give {ours}")
                for ours, theirs in self.mapping.items()
                if theirs not in names
            ]
            problems += [
                self._error(line, name, "no column of the file was chosen to give it")
                for name, column in self.columns.items()
                if not column.optional and name not in self.mapping
            ]
            mapping = dict(self.mapping)
        if not problems:
            self.positions = {
                name: names.index(mapping[name]) if name in mapping else None for name in self.columns
            }
            self.labels = {name: mapping.get(name, name) for name in self.columns}
        return problems

    def _take(self, record: Record) -> None:
        self.outcome.rows_read += 1
        row = self._checked_row(record)
        if row is not None:
            self.batch.append(row)
            if len(self.batch) == BATCH_SIZE:
                self._prepare_batch()
        if self.outcome.rows_read % BATCH_SIZE == 0:
            self._tell_progress()

    def _checked_row(self, record: Record) -> Row | None:
        if record.problem:
            self._report(self._error(record.line, "", record.problem))
            return None
        if len(record.fields) != self.width:
            reason = f"{len(record.fields)} values, but the header has {self.width} columns"
            self._report(self._error(record.line, "", reason))
            return None
        values: dict[str, Any] = {}
        problems = []
        for name, column in self.columns.items():
            position = self.positions[name]
            cell = "" if position is None else record.fields[position]
            if "\x00" in cell:
                problems.append(self._error(record.line, self.labels[name], NUL_CHARACTER))
                continue
            if self.importer.spreadsheet_escaped:
                cell = unescaped(cell)
            try:
                values[name] = column.read(cell)
            except Invalid as invalid:
                problems.append(self._error(record.line, self.labels[name], invalid.reason))
        row = Row(record.line, values)
        if not problems:
            problems = self._repeated_key(row)
        if not problems:
            try:
                self.importer.check_row(row)
            except Invalid as invalid:
                problems.append(
                    self._error(row.line, self.labels.get(invalid.column, invalid.column), invalid.reason)
                )
        for problem in problems:
            self._report(problem)
        return None if problems else row

    def _repeated_key(self, row: Row) -> list[RowError]:
        key = tuple(row.values[name] for name in self.importer.key)
        first_line = self.stage.first_line(key, row.line)
        if first_line == row.line:
            return []
        shown = ", ".join(quoted(str(value)) for value in key)
        columns = ", ".join(self.labels[name] for name in self.importer.key)
        return [
            self._error(row.line, columns, f"{shown} is also on {self.source.place.lower()} {first_line}")
        ]

    def _prepare_batch(self) -> None:
        # After the first bad row nothing more is prepared: nothing will be written.
        if self.batch and self.outcome.ok:
            self.stage.keep(len(self.batch), self.importer.prepare_batch(self.batch))
        self.batch = []

    def _error(self, line: int | None, column: str, reason: str) -> RowError:
        return RowError(line, column, reason, self.source.place)

    def _report(self, error: RowError) -> None:
        self.outcome.error_count += 1
        if len(self.outcome.errors) < MAX_REPORTED_ERRORS:
            self.outcome.errors.append(error)

    def _tell_progress(self) -> None:
        if self.progress:
            self.progress(Progress(self.outcome.rows_read, self.source.bytes_read, self.source.total_bytes))


def _feed_with_these_columns(names: list[str], columns: Container[str]):
    """The registered feed a file's header is, when it is another feed's and not this import's."""
    from candour.core.importing import feeds  # the registry imports this module

    feed = feeds.with_columns(names)
    return feed if feed is not None and set(feed.columns) != set(columns) else None


def readable_size(size: int) -> str:
    """A size in bytes as people read it in a message."""
    return f"{size:,} bytes" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"
