"""The CQC core services of an ambulance trust (STANDARDS.md §2): reference data every trust starts with."""

from django.db import migrations

from candour.people.reference import ensure_core_services

def add_core_services(apps, schema_editor):
    ensure_core_services(apps.get_model("people", "CoreService"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_core_services, migrations.RunPython.noop)]
