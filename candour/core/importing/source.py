"""Where an import's rows come from: an uploaded CSV file, read strictly as UTF-8 one line at a time, or a
batch of rows sent by another system (the integration API). Both give numbered records, header first, so one
importer checks both in the same way and reports problems in the same words."""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

# Reading a line at a time keeps memory bounded; a line this long is no row, so refuse it, not buffer it.
MAX_LINE_BYTES = 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read on from `line`, so no row after it can be checked."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Record:
    """One record, numbered by the line it starts on (the row, for a batch; None for a batch's field names),
    or the reason it cannot be read."""

    line: int | None
    fields: list[str]
    problem: str = ""


class CsvSource:
    """A binary file read as CSV records, counting the bytes read so far for progress."""

    place = "Line"
    header_name = "the header"
    empty = "The file is empty."
    only_header = "The file has a header but no rows under it, so there is nothing to import."

    def __init__(self, file: BinaryIO, name: str = ""):
        self.file = file
        # The file's name as its import's audit event gives it: the one it was uploaded with, say.
        self.name = name or getattr(file, "name", "") or ""
        self.total_bytes = _size_of(file)
        self.bytes_read = 0

    def records(self) -> Iterator[Record]:
        """Every non-blank record in order; raises UnreadableFile where the text stops being readable."""
        reader = csv.reader(self._lines(), strict=True)
        start = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Record(start, [], _explain(error))
            else:
                if fields:
                    yield Record(start, fields)
            start = reader.line_num + 1

    def _lines(self) -> Iterator[str]:
        number = 0
        while chunk := self.file.readline(MAX_LINE_BYTES + 1):
            number += 1
            self.bytes_read += len(chunk)
            if len(chunk) > MAX_LINE_BYTES:
                raise UnreadableFile(f"longer than {MAX_LINE_BYTES:,} bytes, so not a row", number)
            if number == 1:
                chunk = chunk.removeprefix(codecs.BOM_UTF8)
            try:
                yield chunk.decode("utf-8")
            except UnicodeDecodeError as error:
                raise UnreadableFile(
                    f"not UTF-8 text (byte {error.start + 1} of the line is 0x{chunk[error.start]:02X}); "
                    "save the file as 'CSV UTF-8' and import it again",
                    number,
                ) from error


class RowSource:
    """Rows sent as data, each a mapping of column name to its text, in the shape of the feed's CSV file.
    The first row's names stand for the header; rows are numbered from 1."""

    place = "Row"
    header_name = "the rows"
    empty = "There are no rows, so there is nothing to import."
    only_header = empty

    def __init__(self, rows: Iterable[Mapping[str, Any]], name: str = ""):
        self.rows = rows
        # Where the rows came from, as an import's audit event names a file (an API submission, say).
        self.name = name
        self.total_bytes = 0
        self.bytes_read = 0

    def records(self) -> Iterator[Record]:
        names: list[str] | None = None
        for number, row in enumerate(self.rows, start=1):
            if not isinstance(row, Mapping):
                yield Record(number, [], "is not a set of named values")
                continue
            if names is None:
                names = [str(name) for name in row]
                yield Record(None, names)
            if list(row) != names:
                yield Record(
                    number, [], f"has the fields {', '.join(map(str, row))}; row 1 has {', '.join(names)}"
                )
                continue
            cells = [_cell_text(value) for value in row.values()]
            if None in cells:
                yield Record(number, [], "has a value that is not text or a number")
                continue
            yield Record(number, cells)


def _cell_text(value: Any) -> str | None:
    """A value as the text a CSV cell would hold; None when it is no cell's kind of value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _size_of(file: BinaryIO) -> int:
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _explain(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return "the file ends inside a quoted value, so it looks cut short"
    return f"not valid CSV ({error})"
