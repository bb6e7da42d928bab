"""Reading the tables of a rendered page as a person reads them: each row's cells as text, headers included,
leaving out what is hidden from assistive technology (the labels a responsive table repeats in each cell)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "col"}


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._open: list[bool] = []  # for each open element, whether it is aria-hidden
        self._count = 0

    @property
    def _hidden(self) -> bool:
        return any(self._open)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag not in VOID:
            self._open.append(attributes.get("aria-hidden") == "true")
        if tag == "table":
            self._count += 1
            self._table = self.tables.setdefault(attributes.get("id") or f"table-{self._count}", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table on the page by its id (or table-1, table-2, ... without one): rows of cell texts."""
    reader = _TableReader()
    reader.feed(html)
    return reader.tables
