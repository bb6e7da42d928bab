"""Reaching behind the audit log's append-only guard, as an attacker who owns the database would, and as the
test harness must when it empties every table between transactional tests."""

from __future__ import annotations

import contextlib
import importlib

from django.db import connection

_sqlite = importlib.import_module("candour.core.migrations.0008_audit_events_append_only_on_sqlite")


@contextlib.contextmanager
def append_only_lifted():
    """Inside, the database lets audit events be changed and deleted (its owner can always do this)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks would make PostgreSQL refuse the ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        else:
            for statement in _sqlite.DROP:
                cursor.execute(statement)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
            else:
                for statement in _sqlite.CREATE:
                    cursor.execute(statement)


def tamper(sql: str, params: list | tuple = ()) -> None:
    """Change audit rows behind the application's back."""
    with append_only_lifted() as cursor:
        cursor.execute(sql, params)
