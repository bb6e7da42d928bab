from django.db import migrations

from candour.fleet.reference import ensure_loler_intervals


def load(apps, schema_editor):
    ensure_loler_intervals(apps.get_model("fleet", "LolerInterval"))


class Migration(migrations.Migration):
    dependencies = [("fleet", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
