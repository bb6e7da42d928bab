"""The asset register feed: vehicles, equipment on them or in a store, and their schedules; bad rows named
with nothing written, and re-imports that change only what changed."""

import datetime as dt

import pytest
from django.core.management import call_command

from candour.fleet import services
from candour.fleet.importers import import_asset_register
from candour.fleet.importers.register import COLUMNS, AssetRegisterImporter
from candour.fleet.models import AffectedAsset, Asset, CleanDue, MaintenanceSchedule, SafetyNotice, Vehicle
from tests.fleet.feeds import csv_file, problems


def vehicle(tag="V-NA101", **cells):
    return {
        "asset_tag": tag,
        "kind": "vehicle",
        "make": "Fiat",
        "model": "Ducato",
        "serial_number": f"VIN-{tag}",
        "station_code": cells.pop("station_code", "ASH"),
        "call_sign": tag.removeprefix("V-"),
        "registration": f"YX26 {tag[-3:]}",
        "vehicle_type": "emergency_ambulance",
        "commissioned_on": "2024-04-01",
        "service_months": "12",
        "service_miles": "20000",
        "mot_months": "12",
        **cells,
    }


def stretcher(tag="STR-1", on="V-NA101", **cells):
    return {
        "asset_tag": tag,
        "kind": "lifting_equipment",
        "make": "Ferno",
        "model": "Pegasus",
        "serial_number": f"SN-{tag}",
        "on_vehicle": on,
        "loler_category": "lifts_people",
        "commissioned_on": "2026-06-01",
        "ppm_months": "12",
        **cells,
    }


def register(*rows):
    return csv_file(COLUMNS, *rows, name="register.csv")


@pytest.fixture
def stations(fleet):
    fleet.ashby.code, fleet.belton.code = "ASH", "BEL"
    fleet.ashby.save()
    fleet.belton.save()
    return fleet


def test_the_columns_offered_are_the_importers_own(db):
    assert tuple(column.name for column in AssetRegisterImporter().columns) == COLUMNS


def test_a_good_file_puts_vehicles_equipment_and_schedules_on_the_register(stations):
    fleet = stations
    result = import_asset_register(
        by=None,
        file=register(
            # Equipment may come before the vehicle it is on.
            stretcher(),
            vehicle(),
            {
                **stretcher("DEF-1", on=""),
                "kind": "medical_device",
                "loler_category": "",
                "station_code": "BEL",
            },
        ),
    )

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    ambulance = Vehicle.objects.get(call_sign="NA101")
    assert ambulance.registration == "YX26101" and ambulance.station == fleet.ashby
    assert CleanDue.objects.filter(vehicle=ambulance).exists()
    on_board = Asset.objects.get(asset_tag="STR-1")
    assert on_board.on_vehicle == ambulance and on_board.station == fleet.ashby
    assert Asset.objects.get(asset_tag="DEF-1").store == fleet.belton
    schedules = {
        (schedule.asset.asset_tag, schedule.kind): schedule
        for schedule in MaintenanceSchedule.objects.select_related("asset")
    }
    # Lifting equipment gets its LOLER examination at the reference interval when the file gives none.
    assert schedules["STR-1", "loler"].interval_months == 6
    assert schedules["STR-1", "loler"].next_due_on == dt.date(2026, 12, 1)
    service = schedules["V-NA101", "vehicle_service"]
    assert (service.interval_months, service.usage_interval, service.next_due_usage) == (12, 20000, 20000)
    assert set(schedules) == {
        ("STR-1", "loler"),
        ("STR-1", "ppm"),
        ("DEF-1", "ppm"),
        ("V-NA101", "vehicle_service"),
        ("V-NA101", "mot"),
    }


def test_the_same_file_twice_changes_nothing(stations):
    rows = (vehicle(), stretcher())
    import_asset_register(by=None, file=register(*rows))
    stored = list(Asset.objects.values_list("pk", "updated_at")) + list(
        MaintenanceSchedule.objects.values_list("pk", "updated_at")
    )

    again = import_asset_register(by=None, file=register(*rows))

    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (
        list(Asset.objects.values_list("pk", "updated_at"))
        + list(MaintenanceSchedule.objects.values_list("pk", "updated_at"))
        == stored
    )


def test_an_updated_file_changes_only_what_changed(stations):
    fleet = stations
    import_asset_register(by=None, file=register(vehicle(), stretcher(), vehicle("V-NA102")))

    again = import_asset_register(
        by=None,
        file=register(vehicle(station_code="BEL"), stretcher(ppm_months="6"), vehicle("V-NA102")),
    )

    assert (again.created, again.updated, again.unchanged) == (0, 2, 1)
    assert Vehicle.objects.get(call_sign="NA101").station == fleet.belton
    # Equipment belongs where its vehicle is based.
    assert Asset.objects.get(asset_tag="STR-1").station == fleet.belton
    ppm = MaintenanceSchedule.objects.get(asset__asset_tag="STR-1", kind="ppm")
    assert (ppm.interval_months, ppm.next_due_on) == (6, dt.date(2026, 12, 1))


def test_a_loler_interval_longer_than_the_reference_data_is_refused(stations):
    result = import_asset_register(by=None, file=register(vehicle(), stretcher(loler_months="12")))

    assert problems(result) == [
        (
            3,
            "loler_months",
            "LOLER requires a thorough examination of equipment that lifts people at least every 6 months, "
            "not every 12",
        )
    ]
    assert not Asset.objects.exists()


def test_bad_rows_are_each_named_by_line_and_nothing_is_written(stations):
    result = import_asset_register(
        by=None,
        file=register(
            vehicle(),
            vehicle("V-NA102", call_sign="NA101"),
            stretcher("STR-2", on="V-NOPE"),
            stretcher("STR-3", loler_category=""),
            {**stretcher("DEF-1", on=""), "kind": "medical_device", "loler_category": ""},
            vehicle("V-NA103", station_code="ZZZ"),
            {
                **stretcher("DEF-2", on=""),
                "kind": "medical_device",
                "loler_category": "",
                "station_code": "ASH",
                "mot_months": "12",
            },
        ),
    )

    assert problems(result) == [
        (3, "call_sign", "'NA101' is also on line 2"),
        (4, "on_vehicle", "no vehicle on the register or in this file has the tag 'V-NOPE'"),
        (
            5,
            "loler_category",
            "Choose what the lifting equipment lifts: its LOLER examination interval depends on it",
        ),
        (
            6,
            "station_code",
            "say where it is: the asset tag of the vehicle it is on, or the station whose store keeps it",
        ),
        (7, "station_code", "no station has the code 'ZZZ'"),
        (8, "mot_months", "only a vehicle has a MOT schedule"),
    ]
    assert not Asset.objects.exists() and not Vehicle.objects.exists()


def test_an_assets_kind_cannot_change_and_a_registration_is_one_vehicles(stations):
    import_asset_register(by=None, file=register(vehicle(), stretcher()))

    result = import_asset_register(
        by=None,
        file=register(
            {**stretcher(), "kind": "medical_device", "loler_category": ""},
            vehicle("V-NA102", registration="YX26 101"),
        ),
    )

    assert [(line, column) for line, column, _ in problems(result)] == [(2, "kind"), (3, "registration")]
    assert problems(result)[1][2] == "'YX26101' is the registration of V-NA101"


def test_a_new_asset_comes_under_the_notices_for_its_make_and_model(stations):
    fleet = stations
    services.record_notice(
        by=fleet.lead,
        trust=fleet.trust,
        reference="FSN-1",
        title="Pegasus wheel lock",
        make="Ferno",
        model="Pegasus",
        action_required="Replace the lock",
        issued_on=dt.date(2026, 11, 1),
    )

    import_asset_register(by=None, file=register(vehicle(), stretcher()))

    assert AffectedAsset.objects.filter(notice=SafetyNotice.objects.get(), asset__asset_tag="STR-1").exists()


def test_the_command_imports_the_register(stations, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(register(vehicle()).getvalue())

    call_command("import_asset_register", str(path))

    assert Vehicle.objects.filter(call_sign="NA101").exists()
