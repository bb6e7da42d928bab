"""Reaching behind the database's append-only guards (candour.core.append_only), as an attacker who owns the
database would, and as the test harness must when it empties every table between transactional tests."""

from __future__ import annotations

import contextlib

from django.db import connection

from candour.core.append_only import SUFFIX


@contextlib.contextmanager
def append_only_lifted():
    """Inside, the database lets every append-only table be changed and emptied (its owner can always)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
                " WHERE NOT tgisinternal AND tgname LIKE %s",
                [f"%\\_{SUFFIX}"],
            )
            triggers = cursor.fetchall()
            # Deferred foreign-key checks would make PostgreSQL refuse the ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in triggers:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
                [f"%\\_{SUFFIX}\\_%"],
            )
            triggers = cursor.fetchall()
            for trigger, _ in triggers:
                cursor.execute(f"DROP TRIGGER {trigger}")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                for table, trigger in triggers:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            else:
                for _, sql in triggers:
                    cursor.execute(sql)


def tamper(sql: str, params: list | tuple = ()) -> None:
    """Change append-only rows behind the application's back."""
    with append_only_lifted() as cursor:
        cursor.execute(sql, params)
