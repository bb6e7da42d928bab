"""The feeds other systems may send as rows through the integration API: each app registers its own, so the
API reaches no app's importer directly and a new feed (incidents, calls, vehicle checks) appears by
registering (docs/adr/0029).

`run(source, *, then, progress)` imports a RowSource through the feed's own importer, all or nothing, and
calls `then(result)` inside the transaction that writes the rows (and with the result, if none is written).
"""

from __future__ import annotations

from collections.abc import Callable
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


__all__ = ["Feed", "ImportResult", "Progress", "RowSource", "all_feeds", "get", "register"]
