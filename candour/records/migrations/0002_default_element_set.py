"""The default mandatory elements of a patient care record (issue 13), as version 1 of its set."""

from django.db import migrations

from candour.records.reference import ensure_default_element_set


def add_default(apps, schema_editor):
    ensure_default_element_set(apps.get_model("records", "ElementSet"))


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
