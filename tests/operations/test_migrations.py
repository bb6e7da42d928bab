"""The operations migrations that move data keep it: each destination name stored before hospitals were
reference data becomes a hospital its incidents point to, and each stored re-triage moves to the table."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("operations", "0004_hospitals_and_retriages")]
AFTER = [("operations", "0006_incidents_without_their_old_columns")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_stored_destinations_become_hospitals_and_stored_retriages_move_to_their_table():
    apps = _migrate(BEFORE)
    unit = apps.get_model("people", "OrgUnit")
    trust = unit.objects.create(kind="trust", name="Trust", code="MIG-T")
    area = unit.objects.create(kind="area", name="Area", code="MIG-A", parent=trust)
    station = unit.objects.create(kind="station", name="Station", code="MIG-S", parent=area)
    incident = apps.get_model("operations", "CadIncident")
    connected = dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC)
    common = {
        "station": station,
        "call_connected": connected,
        "conveyed": True,
        "channel": "voice",
        "month": dt.date(2024, 3, 1),
        "counted_category": "C2",
        "clock_rules": "ARP 2017",
    }
    destinations = ["Moorside Royal", "Moorside Royal", "Northmoor General", ""]
    for number, destination in enumerate(destinations):
        incident.objects.create(
            incident_id=f"MIG-{number}", category="C3", destination_hospital=destination, **common
        )
    incident.objects.filter(incident_id="MIG-1").update(
        retriaged_at=connected + dt.timedelta(minutes=5), retriaged_to="C2"
    )
    try:
        apps = _migrate(AFTER)
        hospitals = dict(apps.get_model("operations", "Hospital").objects.values_list("name", "code"))
        linked = dict(
            apps.get_model("operations", "CadIncident").objects.values_list("incident_id", "hospital__name")
        )
        retriages = list(
            apps.get_model("operations", "Retriage").objects.values_list(
                "incident__incident_id", "position", "at", "category"
            )
        )
    finally:
        _migrate(_latest())  # whatever happened, later tests need the schema as it is now
    assert hospitals == {"Moorside Royal": "MOORSIDE-ROYAL", "Northmoor General": "NORTHMOOR-GENERAL"}
    assert linked == {
        "MIG-0": "Moorside Royal",
        "MIG-1": "Moorside Royal",
        "MIG-2": "Northmoor General",
        "MIG-3": None,
    }
    assert retriages == [("MIG-1", 1, connected + dt.timedelta(minutes=5), "C2")]
