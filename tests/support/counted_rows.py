"""Reading home cards, and the rows they count, off rendered pages.

A list a home card leads to marks each row it lists with `data-counted-row`; a page about one thing marks
itself once. These read the cards of a home page, and count the marked rows of a list across its pages.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urljoin

# Links a walk may follow across a paginated list before it is taken to be going round in circles.
MOST_PAGES = 200
VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "col"}


class _Cards(HTMLParser):
    """The home page's cards, each as (link, count shown or None)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[list] = []
        self._depth = 0  # open elements inside the current card
        self._in_count = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "nhsuk-card-group__item" in classes:
            self.cards.append([None, None])
            self._depth = 1
            return
        if not self._depth:
            return
        self._depth += tag not in VOID
        if tag == "a" and self.cards[-1][0] is None:
            self.cards[-1][0] = attributes["href"]
        self._in_count = "candour-count" in classes

    def handle_endtag(self, tag):
        if self._depth and tag not in VOID:
            self._depth -= 1
        self._in_count = False

    def handle_data(self, data):
        if self._in_count and data.strip():
            self.cards[-1][1] = int(data.strip().replace(",", ""))


class _CountedRows(HTMLParser):
    """How many elements a page marks as counted, and where its "next" link goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counted = 0
        self.next_page: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-counted-row" in attributes:
            self.counted += 1
        if tag == "a" and attributes.get("rel") == "next":
            self.next_page = attributes["href"]


def cards_on(page: str) -> list[tuple[str, int | None]]:
    reader = _Cards()
    reader.feed(page)
    return [(href, count) for href, count in reader.cards]


def counted_rows(client, url: str, *, pages: int = MOST_PAGES) -> tuple[int, list[int]]:
    """The marked elements across the pages of the list at `url` (at most `pages`), and any status other
    than 200."""
    counted, statuses, seen = 0, [], set()
    while url and url not in seen and len(seen) < pages:
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            statuses.append(response.status_code)
            break
        reader = _CountedRows()
        reader.feed(response.content.decode())
        counted += reader.counted
        url = urljoin(url, html.unescape(reader.next_page)) if reader.next_page else None
    return counted, statuses
