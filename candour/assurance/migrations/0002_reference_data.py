from django.db import migrations

from candour.assurance.reference import ensure_monitoring_themes, ensure_quality_statements


def load(apps, schema_editor):
    ensure_quality_statements(apps.get_model("assurance", "QualityStatement"))
    ensure_monitoring_themes(apps.get_model("assurance", "MonitoringTheme"))


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
