"""The fleet's feeds through the API: the asset register, maintenance history and odometer readings, each
sent as rows, checked by the file import's own rules, and refused to a key without its scope."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from candour.api.scopes import KeyScope
from candour.fleet.models import Asset, AssetStatus, MaintenanceResult, Vehicle
from tests.api.support import issued_key
from tests.support.factories import StationFactory

REGISTER = "/api/v1/feeds/asset-register"
HISTORY = "/api/v1/feeds/maintenance-history"
ODOMETER = "/api/v1/feeds/odometer-readings"


@pytest.fixture(autouse=True)
def _media_and_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


def _send(text, path, rows, idempotency_key="batch-1"):
    return Client().post(
        path,
        json.dumps({"rows": rows}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}", "Idempotency-Key": idempotency_key},
    )


def _key(*scopes):
    return issued_key(scopes=list(scopes), units=[])[0]


def _register_rows():
    blank = dict.fromkeys(
        ("calibration_months", "electrical_safety_months", "loler_months", "service_miles"), ""
    )
    return [
        {
            **blank,
            "asset_tag": "V-NA101",
            "kind": "vehicle",
            "make": "Fiat",
            "model": "Ducato",
            "serial_number": "VIN101",
            "station_code": "ASH",
            "on_vehicle": "",
            "call_sign": "NA101",
            "registration": "YX26 ABC",
            "vehicle_type": "emergency_ambulance",
            "loler_category": "",
            "commissioned_on": "2025-01-10",
            "ppm_months": "",
            "service_months": "12",
            "mot_months": "12",
        },
        {
            **blank,
            "asset_tag": "STR-1",
            "kind": "lifting_equipment",
            "make": "Ferno",
            "model": "Pegasus",
            "serial_number": "SN1",
            "station_code": "",
            "on_vehicle": "V-NA101",
            "call_sign": "",
            "registration": "",
            "vehicle_type": "",
            "loler_category": "lifts_people",
            "commissioned_on": "2026-06-01",
            "ppm_months": "12",
            "service_months": "",
            "mot_months": "",
        },
    ]


def _history_row():
    return {
        "asset_tag": "STR-1",
        "kind": "loler",
        "done_on": "2026-11-02",
        "outcome": "fail",
        "usage_reading": "",
        "advisories": "",
        "defects": "Cracked weld",
        "danger_to_people": "Y",
        "next_due_on": "",
        "examiner": "Safe Lift Ltd",
    }


@pytest.fixture
def ashby(db):
    return StationFactory(code="ASH")


def test_the_asset_register_is_sent_as_rows(ashby):
    response = _send(_key(KeyScope.SEND_ASSET_REGISTER), REGISTER, _register_rows())

    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    assert Asset.objects.get(asset_tag="STR-1").on_vehicle == Vehicle.objects.get(call_sign="NA101")


def test_a_key_without_the_feeds_scope_is_refused(ashby):
    response = _send(_key(KeyScope.SEND_MAINTENANCE_HISTORY), REGISTER, _register_rows())

    assert response.status_code == 403
    assert not Asset.objects.exists()


def test_maintenance_history_is_sent_as_rows_and_a_danger_defect_quarantines(ashby):
    _send(_key(KeyScope.SEND_ASSET_REGISTER), REGISTER, _register_rows())

    response = _send(_key(KeyScope.SEND_MAINTENANCE_HISTORY), HISTORY, [_history_row()])

    assert response.status_code == 201, response.content
    assert MaintenanceResult.objects.count() == 1
    assert Asset.objects.get(asset_tag="STR-1").status == AssetStatus.QUARANTINED


def test_a_history_row_for_an_unknown_asset_is_named_by_its_row(ashby):
    row = {**_history_row(), "asset_tag": "NOPE", "outcome": "pass", "defects": "", "danger_to_people": ""}

    response = _send(_key(KeyScope.SEND_MAINTENANCE_HISTORY), HISTORY, [row])

    assert response.status_code == 422, response.content
    assert "no asset on the register has the tag 'NOPE'" in json.dumps(response.json()["errors"])
    assert not MaintenanceResult.objects.exists()


def test_odometer_readings_are_sent_as_rows(ashby):
    _send(_key(KeyScope.SEND_ASSET_REGISTER), REGISTER, _register_rows())
    row = {"registration": "YX26ABC", "read_on": "2026-11-17", "odometer_miles": "48210"}

    response = _send(_key(KeyScope.SEND_ODOMETER_READINGS), ODOMETER, [row])

    assert response.status_code == 201, response.content
    assert Asset.objects.get(asset_tag="V-NA101").usage_reading == 48_210
