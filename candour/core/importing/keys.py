"""The natural keys an import has seen, so a repeated key is caught without holding every key in memory."""

from __future__ import annotations

import sqlite3

# A 100 MB feed has millions of keys; as Python objects they would take hundreds of MB, so they go to disk.
# An empty file name gives SQLite's private temporary database: cached up to a couple of MB, then spilled to
# a file that is deleted on close. It is apart from the application's database and its transaction.
PRIVATE_TEMPORARY_DATABASE = ""


class KeyIndex:
    """Each key seen so far and the line it was first seen on."""

    def __init__(self):
        self._db = sqlite3.connect(PRIVATE_TEMPORARY_DATABASE)
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")

    def first_line(self, key: tuple, line: int) -> int:
        """Note that `key` is on `line` unless it was seen before; return the line it was first seen on."""
        text = repr(key)
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (text, line)).rowcount:
            return line
        return self._db.execute("SELECT line FROM seen WHERE key = ?", (text,)).fetchone()[0]

    def __contains__(self, key: object) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE key = ?", (repr(key),)).fetchone() is not None

    def close(self) -> None:
        self._db.close()
