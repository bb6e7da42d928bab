from django.db import migrations

from candour.fleet.reference import ensure_checklists


def load(apps, schema_editor):
    ensure_checklists(apps.get_model("fleet", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("fleet", "0003_vehicle_checks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
