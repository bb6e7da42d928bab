"""Append-only tables: the database itself refuses UPDATE and DELETE on them, on PostgreSQL and SQLite alike
(the audit log, docs/adr/0021; controlled drugs register entries, docs/adr/0031).

The triggers stop the application's own SQL and anyone with only a connection; a database owner can still
lift them, which the audit chain shows. SQLite drops a table's triggers when a migration rebuilds the table,
so a later migration that alters an append-only table wraps its operations in `kept_append_only_around`
(a test per table checks the triggers hold). Every trigger is named `<table>_append_only` (with `_update`
and `_delete` on SQLite), which is how the test harness finds them to empty tables between tests.
"""

from __future__ import annotations

from django.db import migrations

SUFFIX = "append_only"
_SQLITE_VERBS = ("UPDATE", "DELETE")


def create_sql(table: str, message: str, vendor: str) -> list[str]:
    """The statements that make `table` refuse changes, with `message`, on this database."""
    if vendor == "postgresql":
        return [
            f"""
            CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{message}';
            END;
            $$ LANGUAGE plpgsql;
            """,
            f"""
            CREATE TRIGGER {table}_{SUFFIX}
                BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
            """,
        ]
    if vendor == "sqlite":
        return [
            f"""
            CREATE TRIGGER IF NOT EXISTS {table}_{SUFFIX}_{verb.lower()}
            BEFORE {verb} ON {table}
            BEGIN
                SELECT RAISE(ABORT, '{message}');
            END;
            """
            for verb in _SQLITE_VERBS
        ]
    return []


def drop_sql(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{SUFFIX} ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_refuse_change();",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_{SUFFIX}_{verb.lower()};" for verb in _SQLITE_VERBS]
    return []


def keep_append_only(table: str, message: str) -> migrations.RunPython:
    """A migration operation installing the triggers (and removing them when the migration is reversed)."""

    def create(apps, schema_editor):
        for statement in create_sql(table, message, schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def drop(apps, schema_editor):
        for statement in drop_sql(table, schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(create, drop)


def kept_append_only_around(table: str, message: str, *operations) -> list:
    """`operations` on an append-only table, with its triggers installed afresh after them both ways (applied,
    and reversed): SQLite drops them when it rebuilds the table, PostgreSQL keeps them, so each engine ends
    with exactly one set."""

    def reinstall(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in [*drop_sql(table, vendor), *create_sql(table, message, vendor)]:
            schema_editor.execute(statement)

    noop = migrations.RunPython.noop
    return [migrations.RunPython(noop, reinstall), *operations, migrations.RunPython(reinstall, noop)]
