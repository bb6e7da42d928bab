"""The database as a process sees it when its server has gone: every new connection is refused.

`database_unreachable()` puts a connection that cannot connect in place of the default one (to a directory
that does not exist for SQLite, to a closed port for PostgreSQL), so whatever asks the database for anything
gets the real driver's OperationalError; the test's own connection is put back afterwards, untouched.
"""

from __future__ import annotations

import copy
import socket
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable(alias: str = DEFAULT_DB_ALIAS):
    original = connections[alias]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-candour-directory/candour.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()), OPTIONS={"connect_timeout": 2})
    unreachable = original.__class__(settings_dict, alias)
    connections[alias] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections[alias] = original
