"""Where a checked import waits to be written: the keys seen so far, and each batch made ready to write.

A 100 MB feed has millions of keys and rows; as Python objects they would take hundreds of MB, so they go to
SQLite's private temporary database (an empty file name): cached up to a couple of MB, then spilled to a file
that is deleted on close. It is apart from the application's database and its transactions, so checking a
file takes no lock there, and a process killed part-way leaves nothing behind in it.
"""

from __future__ import annotations

import pickle  # only ever reads back what this process wrote itself, never anything received
import sqlite3
from collections.abc import Iterator
from typing import Any

PRIVATE_TEMPORARY_DATABASE = ""


class Stage:
    """Each key seen and the line it was first seen on; and the batches ready to write, in order."""

    def __init__(self):
        self._db = sqlite3.connect(PRIVATE_TEMPORARY_DATABASE)
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")
        self._db.execute(
            "CREATE TABLE batch (number INTEGER PRIMARY KEY, rows INTEGER NOT NULL, content BLOB NOT NULL)"
        )
        self.batch_count = 0

    def first_line(self, key: tuple, line: int) -> int:
        """Note that `key` is on `line` unless it was seen before; return the line it was first seen on."""
        text = repr(key)
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (text, line)).rowcount:
            return line
        return self._db.execute("SELECT line FROM seen WHERE key = ?", (text,)).fetchone()[0]

    def __contains__(self, key: object) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE key = ?", (repr(key),)).fetchone() is not None

    def keep(self, rows: int, batch: Any) -> None:
        """Keep a batch of `rows` rows until it is written."""
        self._db.execute("INSERT INTO batch VALUES (?, ?, ?)", (self.batch_count, rows, pickle.dumps(batch)))
        self.batch_count += 1

    def batches(self) -> Iterator[tuple[int, Any]]:
        """(rows, batch) for every kept batch in the order it was kept, one at a time."""
        for number in range(self.batch_count):
            rows, content = self._db.execute(
                "SELECT rows, content FROM batch WHERE number = ?", (number,)
            ).fetchone()
            yield rows, pickle.loads(content)  # noqa: S301 - written by this process, see the import

    def close(self) -> None:
        self._db.close()
