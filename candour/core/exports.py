"""Every CSV and XLSX file Candour gives out is written here, so that none can carry a spreadsheet formula.

Text from people (a station's name, a provider, a review's summary) reaches these files. A cell that begins
with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip before looking) is read
by Excel and LibreOffice as a formula, which can fetch from the network or run commands (OWASP: CSV
injection). Such text is written with a leading apostrophe in CSV, and as text marked with Excel's own quote
prefix in XLSX, so it shows as it was typed and is never evaluated. Numbers are left as numbers: `-3.5` is a
value, not a formula.

CSV downloads begin with a UTF-8 byte-order mark: without it Excel reads the file as Windows-1252 and shows
"SiÃ¢n" for "Siân".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BYTE_ORDER_MARK = codecs.BOM_UTF8.decode("utf-8")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes already in front of a formula character are escaped again, so that `unescaped` can give back
# exactly what was written, however many there were.
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

Row = Sequence[Any]


def needs_escaping(text: str) -> bool:
    """True for text a spreadsheet would read as a formula (and for text already escaped once)."""
    if _PLAIN_NUMBER.fullmatch(text):
        return False
    return text.startswith(FORMULA_STARTS) or _ESCAPED.match(text) is not None


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell that no spreadsheet evaluates; anything but text is left as it is."""
    if isinstance(value, str) and needs_escaping(value):
        return "'" + value
    return value


def unescaped(text: str) -> str:
    """The text `safe_cell` was given, for reading back a CSV that Candour wrote (a transfer bundle)."""
    if _ESCAPED.match(text):
        return text[1:]
    return text


class _SafeWriter:
    """A csv writer whose every cell goes through `safe_cell`."""

    def __init__(self, stream: TextIO, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO, **options) -> _SafeWriter:
    """A writer for a text stream (a command's output, say). Downloads use `csv_response` or `csv_bytes`,
    which also write the byte-order mark."""
    return _SafeWriter(stream, **options)


def csv_text(rows: Iterable[Row]) -> str:
    """The rows as one CSV document, byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    csv_writer(buffer).writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Row]) -> bytes:
    """The rows as a CSV file's bytes, for a file inside a zip."""
    return csv_text(rows).encode("utf-8")


def csv_response(filename: str, rows: Iterable[Row]) -> HttpResponse:
    """A CSV download."""
    return HttpResponse(
        csv_bytes(rows),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_bytes(sheet_name: str, rows: Iterable[Row]) -> bytes:
    """The rows as a one-sheet workbook."""
    # Write-only mode streams rows to the file rather than building every cell in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def xlsx_response(filename: str, sheet_name: str, rows: Iterable[Row]) -> HttpResponse:
    """An XLSX download."""
    return HttpResponse(
        xlsx_bytes(sheet_name, rows),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _xlsx_cell(sheet, value: Any) -> Any:
    if not (isinstance(value, str) and needs_escaping(value)):
        return value
    # openpyxl stores text beginning with "=" as a formula; a text cell with the quote prefix is what Excel
    # itself makes of text typed after an apostrophe: shown as typed, never evaluated.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
