"""On SQLite too the database itself refuses to change or delete audit events, as PostgreSQL has since 0002.

Whoever holds the file can drop the triggers, as a PostgreSQL owner can disable its trigger: these stop the
application's own SQL and anyone with only a connection; the keyed chain and its recorded heads
(docs/adr/0021) show what a database owner did. SQLite drops a table's triggers when a migration rebuilds
it, so a later migration that alters core_auditevent must create them again (a test checks they hold).
"""

from django.db import migrations

CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS core_auditevent_append_only_{verb.lower()}
    BEFORE {verb} ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END;
    """
    for verb in ("UPDATE", "DELETE")
]
DROP = [f"DROP TRIGGER IF EXISTS core_auditevent_append_only_{verb};" for verb in ("update", "delete")]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_seal_audit_chain_with_key")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
