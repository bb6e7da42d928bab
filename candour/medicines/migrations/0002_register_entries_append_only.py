"""The database itself refuses to change or delete a register entry, on PostgreSQL and on SQLite alike
(regulation 20: no cancellation, obliteration or alteration; a correction is a new entry).

The triggers stop the application's own SQL and anyone with only a connection; a database owner can still
disable them, as with the audit log. SQLite drops a table's triggers when a migration rebuilds it, so a later
migration that alters medicines_registerentry must create them again (a test checks they hold).
"""

from django.db import migrations

TABLE = "medicines_registerentry"
MESSAGE = "register entries are append-only: record a correction instead"

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only
        BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change();
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change();",
]
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_append_only_{verb.lower()}
    BEFORE {verb} ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """
    for verb in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only_{verb};" for verb in ("update", "delete")]

CREATE = {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}
DROP = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}


def create_triggers(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("medicines", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
