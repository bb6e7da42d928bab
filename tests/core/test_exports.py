"""The one way Candour writes CSV and XLSX: no cell a spreadsheet would evaluate, and accents Excel reads."""

import csv
import io

import pytest
from openpyxl import load_workbook

from candour.core import exports

HOSTILE = ['=HYPERLINK("http://example.com")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=already"]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_that_a_spreadsheet_would_evaluate_is_escaped_and_reads_back(text):
    cell = exports.safe_cell(text)

    assert cell == "'" + text
    assert exports.unescaped(cell) == text


@pytest.mark.parametrize("value", ["Siân", "", "'quoted", "3 - 2", "-3.5", "+44", 7, -3, None])
def test_csv_cell_that_is_harmless_or_a_number_is_left_alone(value):
    assert exports.safe_cell(value) == value
    if isinstance(value, str):
        assert exports.unescaped(value) == value


def test_csv_download_starts_with_a_byte_order_mark_and_escapes_every_cell():
    response = exports.csv_response("a.csv", [["Name", "Note"], ["Siân", "=1+1"]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="a.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Name", "Note"], ["Siân", "'=1+1"]]


def test_xlsx_text_that_looks_like_a_formula_is_stored_as_text_with_excels_quote_prefix():
    content = exports.xlsx_bytes("Sheet", [["=1+1", "@x", "-3.5", -3, "Siân"]])

    cells = list(load_workbook(io.BytesIO(content)).active[1])
    assert [cell.value for cell in cells] == ["=1+1", "@x", "-3.5", -3, "Siân"]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "n", "s"]
    assert [bool(cell.quotePrefix) for cell in cells] == [True, True, False, False, False]
