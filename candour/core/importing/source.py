"""Reading an uploaded CSV file as numbered records: strictly UTF-8, one line at a time."""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

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
    """One CSV record, numbered by the line it starts on, or the reason it is not valid CSV."""

    line: int
    fields: list[str]
    problem: str = ""


class CsvSource:
    """A binary file read as CSV records, counting the bytes read so far for progress."""

    def __init__(self, file: BinaryIO):
        self.file = file
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


def _size_of(file: BinaryIO) -> int:
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _explain(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return "the file ends inside a quoted value, so it looks cut short"
    return f"not valid CSV ({error})"
