"""Running an import: rows are checked as they stream by and written in batches, all in one transaction
that is kept only if every row is good."""

from __future__ import annotations

import contextlib
import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction

from candour.core.importing.cells import Invalid, Parser, quoted
from candour.core.importing.keys import KeyIndex
from candour.core.importing.source import CsvSource, Record, UnreadableFile
from candour.core.importing.upsert import WriteCounts

BATCH_SIZE = 2_000
# A page can show a thousand problems usefully; past that the count says enough.
MAX_REPORTED_ERRORS = 1_000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    """A column the file must have, and how to read its cells. A blank optional cell reads as None."""

    name: str
    parse: Parser
    optional: bool = False

    def read(self, cell: str) -> Any:
        value = cell.strip()
        if value:
            return self.parse(value)
        if self.optional:
            return None
        raise Invalid("a value is required")


@dataclass(frozen=True)
class RowError:
    """What is wrong and where: the line (None for the file as a whole), and the column if one is to blame."""

    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        where = f"Line {self.line}, {self.column}" if self.column else f"Line {self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Row:
    """A row whose every cell was read: the line it starts on, and its values by column name."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Progress:
    """How far an import has gone, for a progress bar."""

    rows_read: int
    bytes_read: int
    total_bytes: int


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


class Importer(ABC):
    """One feed: the columns it must have, the columns that identify a row, and how valid rows are written."""

    columns: Sequence[Column]
    # The natural key: a file may hold each key once, and re-importing a row with the same key updates it.
    key: Sequence[str]

    def check_row(self, row: Row) -> None:  # noqa: B027 - most feeds need no check across columns
        """Check across the columns of a row whose cells all read; raise Invalid naming the guilty column."""

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        """Checks that need every row read first, such as references to rows later in the file."""
        return ()

    @abstractmethod
    def write_batch(self, rows: list[Row]) -> WriteCounts:
        """Write a batch of valid rows, usually through `upsert`."""

    def after_write(self) -> WriteCounts:
        """Writes that need every row written first, such as links between rows; returns changes to counts."""
        return WriteCounts()


def run_import(
    importer: Importer, file: BinaryIO, *, progress: Callable[[Progress], None] | None = None
) -> ImportResult:
    """Check every row of a CSV file and write them all in one transaction, or nothing if any row is bad."""
    source = CsvSource(file)
    limit = getattr(settings, "CANDOUR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if source.total_bytes > limit:
        too_big = f"The file is {_size(source.total_bytes)}; files up to {_size(limit)} can be imported."
        return ImportResult(error_count=1, errors=[RowError(None, "", too_big)])
    with transaction.atomic(), contextlib.closing(KeyIndex()) as keys:
        result = _Run(importer, source, keys, progress).result()
        if not result.ok:
            # Batches written before the first bad row are undone with the rest.
            transaction.set_rollback(True)
    return result


class _Run:
    """One pass over the file: rows are checked as they stream by and written in batches until one is bad."""

    def __init__(
        self,
        importer: Importer,
        source: CsvSource,
        keys: KeyIndex,
        progress: Callable[[Progress], None] | None,
    ):
        self.importer = importer
        self.source = source
        self.keys = keys
        self.progress = progress
        self.columns = {column.name: column for column in importer.columns}
        self.batch: list[Row] = []
        self.outcome = ImportResult()

    def result(self) -> ImportResult:
        if self._read_to_the_end():
            for error in self.importer.check_file(self.keys):
                self._report(error)
            self._write_batch()
            if self.outcome.ok:
                self._count(self.importer.after_write())
        self._tell_progress()
        self.outcome.errors.sort(key=lambda error: error.line or 0)
        if self.outcome.ok:
            return self.outcome
        return dataclasses.replace(self.outcome, created=0, updated=0, unchanged=0)

    def _read_to_the_end(self) -> bool:
        try:
            records = self.source.records()
            header = self._header(next(records, None))
            if header is None:
                return False
            for record in records:
                self._take(record, header)
        except UnreadableFile as error:
            self._report(RowError(error.line, "", error.reason))
            return False
        return True

    def _header(self, record: Record | None) -> list[str] | None:
        if record is None:
            self._report(RowError(None, "", "The file is empty."))
            return None
        if record.problem:
            self._report(RowError(record.line, "", record.problem))
            return None
        names = [name.strip() for name in record.fields]
        expected = ", ".join(self.columns)
        problems = [
            RowError(record.line, name, "missing from the header")
            for name in self.columns
            if name not in names
        ]
        problems += [
            RowError(record.line, name, f"not a column of this feed, whose columns are {expected}")
            for name in names
            if name not in self.columns
        ]
        problems += [
            RowError(record.line, name, "appears more than once in the header")
            for name, count in Counter(names).items()
            if count > 1
        ]
        for problem in problems:
            self._report(problem)
        return None if problems else names

    def _take(self, record: Record, header: list[str]) -> None:
        self.outcome.rows_read += 1
        row = self._checked_row(record, header)
        if row is not None:
            self.batch.append(row)
            if len(self.batch) == BATCH_SIZE:
                self._write_batch()
        if self.outcome.rows_read % BATCH_SIZE == 0:
            self._tell_progress()

    def _checked_row(self, record: Record, header: list[str]) -> Row | None:
        if record.problem:
            self._report(RowError(record.line, "", record.problem))
            return None
        if len(record.fields) != len(header):
            reason = f"{len(record.fields)} values, but the header has {len(header)} columns"
            self._report(RowError(record.line, "", reason))
            return None
        values: dict[str, Any] = {}
        problems = []
        for name, cell in zip(header, record.fields, strict=True):
            try:
                values[name] = self.columns[name].read(cell)
            except Invalid as invalid:
                problems.append(RowError(record.line, name, invalid.reason))
        row = Row(record.line, values)
        problems += self._repeated_key(row)
        if not problems:
            try:
                self.importer.check_row(row)
            except Invalid as invalid:
                problems.append(RowError(row.line, invalid.column, invalid.reason))
        for problem in problems:
            self._report(problem)
        return None if problems else row

    def _repeated_key(self, row: Row) -> list[RowError]:
        if any(name not in row.values for name in self.importer.key):
            return []  # a bad key cell is reported already
        key = tuple(row.values[name] for name in self.importer.key)
        first_line = self.keys.first_line(key, row.line)
        if first_line == row.line:
            return []
        shown = ", ".join(quoted(str(value)) for value in key)
        return [RowError(row.line, ", ".join(self.importer.key), f"{shown} is also on line {first_line}")]

    def _write_batch(self) -> None:
        # After the first bad row nothing more is written: the transaction will be rolled back.
        if self.batch and self.outcome.ok:
            self._count(self.importer.write_batch(self.batch))
        self.batch = []

    def _count(self, counts: WriteCounts) -> None:
        self.outcome.created += counts.created
        self.outcome.updated += counts.updated
        self.outcome.unchanged += counts.unchanged

    def _report(self, error: RowError) -> None:
        self.outcome.error_count += 1
        if len(self.outcome.errors) < MAX_REPORTED_ERRORS:
            self.outcome.errors.append(error)

    def _tell_progress(self) -> None:
        if self.progress:
            self.progress(Progress(self.outcome.rows_read, self.source.bytes_read, self.source.total_bytes))


def _size(size: int) -> str:
    return f"{size:,} bytes" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"
