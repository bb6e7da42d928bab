"""The incident's destination as text and its one re-triage, both now kept elsewhere (0005 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    # Apart from 0005: PostgreSQL will not alter a table in the transaction that just updated its rows'
    # deferred foreign keys.
    dependencies = [("operations", "0005_hospitals_and_retriages_from_stored_incidents")]

    operations = [
        migrations.RemoveField(
            model_name="cadincident",
            name="destination_hospital",
        ),
        migrations.RemoveField(
            model_name="cadincident",
            name="retriaged_at",
        ),
        migrations.RemoveField(
            model_name="cadincident",
            name="retriaged_to",
        ),
    ]
