"""The training subjects every trust starts with (STANDARDS.md §4)."""

from django.db import migrations

from candour.learning.reference import ensure_subjects


def add_subjects(apps, schema_editor):
    ensure_subjects(apps.get_model("learning", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(add_subjects, migrations.RunPython.noop)]
