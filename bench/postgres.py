"""A throwaway PostgreSQL database for a benchmark that needs the production engine (concurrent writers,
row locks): created empty on the local server, dropped at the end however the benchmark ends."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

SERVER = "postgres://postgres@127.0.0.1:5432"
# The database every PostgreSQL server has, to connect to while creating and dropping others.
MAINTENANCE = "postgres"
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Create a fresh database named `<prefix>_<random>` on 127.0.0.1:5432 (user postgres, trust auth) and
    yield its DATABASE_URL; migrating it is the caller's job. Dropped WITH (FORCE) at exit, so connections
    a benchmark left open do not keep it."""
    if not NAME.fullmatch(prefix):
        raise ValueError(f"{prefix!r}: a prefix is lower-case letters, digits and _, starting with a letter")
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{SERVER}/{MAINTENANCE}", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/{MAINTENANCE}", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
