"""Incidents stored before hospitals were reference data name their destination as text, and keep at most
one re-triage on the row: make a hospital of each name (its code made from the name, its acute trust left
for an administrator to fill in) and link the incidents to it, and move each re-triage into the table."""

from django.db import migrations
from django.utils.text import slugify

CHUNK = 2_000


def code_for(name: str, taken: set[str]) -> str:
    """A code made from a hospital's name, unique among those taken (which it joins)."""
    base = slugify(name).upper()[:36] or "HOSPITAL"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    taken.add(code)
    return code


def forwards(apps, schema_editor):
    hospital_model = apps.get_model("operations", "Hospital")
    incident_model = apps.get_model("operations", "CadIncident")
    retriage_model = apps.get_model("operations", "Retriage")
    names = sorted(
        set(
            incident_model.objects.exclude(destination_hospital="").values_list(
                "destination_hospital", flat=True
            )
        )
    )
    taken = set(hospital_model.objects.values_list("code", flat=True))
    known = dict(hospital_model.objects.values_list("name", "pk"))
    hospital_model.objects.bulk_create(
        hospital_model(code=code_for(name, taken), name=name) for name in names if name not in known
    )
    for name, pk in hospital_model.objects.filter(name__in=names).values_list("name", "pk"):
        incident_model.objects.filter(destination_hospital=name).update(hospital_id=pk)
    retriaged = incident_model.objects.exclude(retriaged_to="").filter(retriaged_at__isnull=False)
    pairs = retriaged.order_by("pk").values_list("pk", "retriaged_at", "retriaged_to")
    batch = []
    for pk, at, category in pairs.iterator(chunk_size=CHUNK):
        batch.append(retriage_model(incident_id=pk, position=1, at=at, category=category))
        if len(batch) == CHUNK:
            retriage_model.objects.bulk_create(batch)
            batch = []
    retriage_model.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    incident_model = apps.get_model("operations", "CadIncident")
    for incident in (
        incident_model.objects.filter(hospital__isnull=False).select_related("hospital").iterator()
    ):
        incident.destination_hospital = incident.hospital.name
        incident.save(update_fields=["destination_hospital"])
    retriage_model = apps.get_model("operations", "Retriage")
    # The old row held one re-triage: it keeps the last, the one the incident counts under.
    for retriage in retriage_model.objects.order_by("incident_id", "position").iterator():
        incident_model.objects.filter(pk=retriage.incident_id).update(
            retriaged_at=retriage.at, retriaged_to=retriage.category
        )


class Migration(migrations.Migration):
    dependencies = [("operations", "0004_hospitals_and_retriages")]

    operations = [migrations.RunPython(forwards, backwards)]
