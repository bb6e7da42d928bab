"""The feeds other systems send to Candour: each app registers its own, so the integration API and the import
pages reach no app's importer directly, and a new feed (incidents, calls, vehicle checks) appears in both by
registering (docs/adr/0029, 0039).

`run(source, *, then, progress, by=None)` imports a source (a CsvSource or a RowSource) through the feed's
own importer, all or nothing, and calls `then(result)` inside the transaction that writes the rows (and with
the result, if none is written). `by` is the person who uploaded the file on its page; the integration API
gives none. A feed whose files may come in another system's own layout also takes `columns` (the feed's
column → the file's).

A feed with a `permission` is uploaded on the import pages by the people who hold it; one without comes in
only by its management command or through the integration API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from candour.core.importing.framework import ImportResult, Progress
from candour.core.importing.source import RowSource


@dataclass(frozen=True)
class Feed:
    key: str
    title: str
    columns: tuple[str, ...]
    example: dict[str, str]
    run: Callable[..., ImportResult]
    # Who may upload its files on the import pages; empty: nobody, it comes by command or the API only.
    permission: str = ""
    # The URL name of the feed's own upload page, when it has one (training records: it asks which column is
    # which of a learning system's own export); otherwise the import pages' own.
    upload_page: str = ""
    # Where the imported rows are seen: (the words of a link, its URL name).
    results_page: tuple[str, str] = ()

    @property
    def path(self) -> str:
        """Its name in a URL: training_records -> training-records."""
        return self.key.replace("_", "-")


_feeds: dict[str, Feed] = {}


def register(feed: Feed) -> Feed:
    _feeds.setdefault(feed.key, feed)
    return feed


def all_feeds() -> list[Feed]:
    return sorted(_feeds.values(), key=lambda feed: feed.key)


def get(key: str) -> Feed:
    return _feeds[key]


def by_path(path: str) -> Feed | None:
    """The feed named so in a URL, or None."""
    return next((feed for feed in _feeds.values() if feed.path == path), None)


def with_columns(names: Iterable[str]) -> Feed | None:
    """The feed whose columns are exactly these (in any order): what a file's header says it is."""
    found = {name.strip() for name in names}
    return next((feed for feed in all_feeds() if set(feed.columns) == found), None)


__all__ = [
    "Feed",
    "ImportResult",
    "Progress",
    "RowSource",
    "all_feeds",
    "by_path",
    "get",
    "register",
    "with_columns",
]
