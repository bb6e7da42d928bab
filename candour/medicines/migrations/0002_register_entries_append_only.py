"""The database itself refuses to change or delete a register entry, on PostgreSQL and on SQLite alike
(regulation 20: no cancellation, obliteration or alteration; a correction is a new entry). See
candour.core.append_only: a later migration that alters medicines_registerentry must keep them again."""

from django.db import migrations

from candour.core.append_only import keep_append_only


class Migration(migrations.Migration):
    dependencies = [("medicines", "0001_initial")]
    operations = [
        keep_append_only(
            "medicines_registerentry", "register entries are append-only: record a correction instead"
        )
    ]
