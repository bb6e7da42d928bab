"""The CQC core services of an ambulance trust (STANDARDS.md §2): reference data every trust starts with."""

from django.db import migrations

CORE_SERVICES = [
    ("emergency-urgent-care", "Emergency and urgent care", "Emergency and urgent care on scene and on the road"),
    (
        "emergency-operations-centre",
        "Emergency operations centre",
        "999 call handling and dispatch, including resilience, HART and major incidents",
    ),
    ("nhs-111", "NHS 111", "NHS 111 call handling and clinical assessment, rated as its own location"),
    ("patient-transport", "Patient transport", "Non-emergency patient transport"),
]


def add_core_services(apps, schema_editor):
    CoreService = apps.get_model("people", "CoreService")
    for slug, name, description in CORE_SERVICES:
        CoreService.objects.update_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_core_services, migrations.RunPython.noop)]
