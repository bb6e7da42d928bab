"""The controlled drugs every trust starts with (candour.medicines.reference)."""

from django.db import migrations

from candour.medicines.reference import ensure_controlled_drugs


def add_drugs(apps, schema_editor):
    ensure_controlled_drugs(apps.get_model("medicines", "ControlledDrug"))


class Migration(migrations.Migration):
    dependencies = [("medicines", "0002_register_entries_append_only")]
    operations = [migrations.RunPython(add_drugs, migrations.RunPython.noop)]
