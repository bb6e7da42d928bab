"""The odometer feed: each vehicle's latest reading, never backwards, for the schedules due by use."""

import datetime as dt

import pytest

from candour.fleet.importers import import_odometer_readings
from candour.fleet.importers.odometer import COLUMNS, OdometerImporter
from candour.fleet.models import Asset, MaintenanceKind, MaintenanceSchedule
from tests.fleet.conftest import TODAY
from tests.fleet.feeds import csv_file, problems


def reading(plate="YX26 A101", on="2026-11-01", miles="21000"):
    return {"registration": plate, "read_on": on, "odometer_miles": miles}


def readings(*rows):
    return csv_file(COLUMNS, *rows, name="odometer.csv")


@pytest.fixture
def ambulance(fleet):
    ambulance = fleet.vehicle("NA101", odometer_miles=10_000)
    fleet.schedule(
        ambulance.asset, MaintenanceKind.VEHICLE_SERVICE, interval_months=12, usage_interval=10_000
    )
    return ambulance


def _miles(vehicle) -> int:
    return Asset.objects.get(pk=vehicle.asset_id).usage_reading


def test_the_columns_offered_are_the_importers_own(db):
    assert tuple(column.name for column in OdometerImporter().columns) == COLUMNS


def test_each_vehicle_takes_its_latest_reading_and_falls_due_by_use(fleet, ambulance):
    result = import_odometer_readings(
        by=None,
        file=readings(reading(on="2026-10-01", miles="15000"), reading(plate="yx26a101", miles="21000")),
    )

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert _miles(ambulance) == 21_000
    assert MaintenanceSchedule.objects.overdue(TODAY).filter(asset=ambulance.asset).exists()


def test_the_same_file_twice_changes_nothing(fleet, ambulance):
    import_odometer_readings(by=None, file=readings(reading()))
    stamp = Asset.objects.get(pk=ambulance.asset_id).updated_at

    again = import_odometer_readings(by=None, file=readings(reading()))

    assert again.ok and (again.updated, again.unchanged) == (0, 1)
    assert Asset.objects.get(pk=ambulance.asset_id).updated_at == stamp


def test_an_updated_file_changes_only_the_vehicles_whose_reading_rose(fleet, ambulance):
    other = fleet.vehicle("NA102", odometer_miles=5_000)
    import_odometer_readings(by=None, file=readings(reading(), reading(plate="YX26 A102", miles="6000")))

    again = import_odometer_readings(
        by=None, file=readings(reading(), reading(plate="YX26 A102", on="2026-11-10", miles="6500"))
    )

    assert (again.updated, again.unchanged) == (1, 1)
    assert (_miles(ambulance), _miles(other)) == (21_000, 6_500)


def test_a_reading_lower_than_the_last_one_is_refused_and_nothing_is_written(fleet, ambulance):
    result = import_odometer_readings(
        by=None,
        file=readings(
            reading(miles="9000"),
            reading(plate="YX26 A101", on="2026-11-05", miles="20000"),
            reading(plate="YX26 A101", on="2026-11-08", miles="19000"),
        ),
    )

    assert problems(result) == [
        (2, "odometer_miles", "The reading 9,000 is lower than the last one, 10,000 miles"),
        (
            4,
            "odometer_miles",
            "19,000 miles on 08/11/2026 is lower than 20,000 on 05/11/2026 (line 3): "
            "a reading never goes backwards",
        ),
    ]
    assert _miles(ambulance) == 10_000


def test_an_unknown_vehicle_and_a_day_in_the_future_are_named(fleet, ambulance):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()

    result = import_odometer_readings(by=None, file=readings(reading(plate="ZZ99 ZZZ"), reading(on=tomorrow)))

    assert problems(result) == [
        (2, "registration", "no vehicle on the register is registered 'ZZ99 ZZZ'"),
        (3, "read_on", "19/11/2026 is in the future: enter today or an earlier date"),
    ]
