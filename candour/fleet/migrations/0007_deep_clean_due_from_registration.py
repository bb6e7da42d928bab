"""A vehicle never deep cleaned is overdue from the day after it was registered (ADR 0032): its deep clean
falls due when it is put on the register, so every vehicle already there without one gets its row now."""

from django.db import migrations, models


def deep_clean_due_at_registration(apps, schema_editor):
    vehicles = apps.get_model("fleet", "Vehicle")
    clean_due = apps.get_model("fleet", "CleanDue")
    clean_due.objects.bulk_create(
        clean_due(vehicle=vehicle, clean_type="deep", last_done_at=None, next_due_at=vehicle.created_at)
        for vehicle in vehicles.objects.exclude(cleans_due__clean_type="deep").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("fleet", "0006_cleanliness")]

    operations = [
        migrations.AlterField(
            model_name="cleandue",
            name="last_done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(deep_clean_due_at_registration, migrations.RunPython.noop),
    ]
