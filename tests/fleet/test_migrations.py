"""Fleet migrations that change data keep it right."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("fleet", "0006_cleanliness")]
AFTER = [("fleet", "0007_deep_clean_due_from_registration")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_vehicles_on_the_register_without_a_deep_clean_fall_due_from_when_they_were_registered():
    apps = _migrate(BEFORE)
    unit = apps.get_model("people", "OrgUnit")
    trust = unit.objects.create(kind="trust", name="Trust", code="MIG-T")
    area = unit.objects.create(kind="area", name="Area", code="MIG-A", parent=trust)
    station = unit.objects.create(kind="station", name="Station", code="MIG-S", parent=area)
    asset, vehicle = apps.get_model("fleet", "Asset"), apps.get_model("fleet", "Vehicle")
    vehicles = []
    for number in (1, 2):
        thing = asset.objects.create(
            kind="vehicle",
            make="Fiat",
            model="Ducato",
            serial_number=f"S{number}",
            asset_tag=f"V{number}",
            station=station,
        )
        vehicles.append(
            vehicle.objects.create(
                asset=thing,
                call_sign=f"M{number}",
                registration=f"MIG{number}",
                vehicle_type="bariatric",
                station=station,
            )
        )
    cleaned_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    apps.get_model("fleet", "CleanDue").objects.create(
        vehicle=vehicles[1],
        clean_type="deep",
        last_done_at=cleaned_at,
        next_due_at=cleaned_at + dt.timedelta(days=42),
    )
    try:
        apps = _migrate(AFTER)
        dues = {
            due.vehicle.call_sign: due
            for due in apps.get_model("fleet", "CleanDue")
            .objects.filter(clean_type="deep")
            .select_related("vehicle")
        }
    finally:
        _migrate(_latest())  # whatever happened, later tests need the schema as it is now
    assert dues["M1"].last_done_at is None and dues["M1"].next_due_at == vehicles[0].created_at
    assert dues["M2"].last_done_at == cleaned_at
