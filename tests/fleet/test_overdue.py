"""What is overdue: an asset past any due date is overdue and possibly unsafe, its vehicle is flagged, and
the station summary counts exactly the rows it leads to, in the same few queries however big the fleet."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candour.fleet import queries, services
from candour.fleet.models import MaintenanceKind
from tests.fleet.conftest import TODAY


def _past_due(fleet, asset, kind=MaintenanceKind.PLANNED_PREVENTIVE, **fields):
    """A schedule started in October 2025 whose interval (12 months unless given) has run out."""
    fields.setdefault("interval_months", 12)
    return fleet.schedule(asset, kind, starts_on=dt.date(2025, 10, 1), **fields)


def test_an_asset_past_any_one_of_its_due_dates_is_overdue(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, MaintenanceKind.CALIBRATION, interval_months=12)
    late = _past_due(fleet, defib, MaintenanceKind.ELECTRICAL_SAFETY)
    [overdue] = queries.overdue_assets(fleet.lead, TODAY)
    assert overdue == defib and overdue.overdue_items == [late]
    assert queries.assets(fleet.lead, TODAY).get().is_overdue


def test_an_asset_due_today_is_not_yet_overdue(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, starts_on=dt.date(2025, 11, 18), interval_months=12)
    assert not queries.overdue_assets(fleet.lead, TODAY).exists()
    with time_machine.travel(dt.datetime(2026, 11, 19, 9, tzinfo=dt.UTC)):
        assert queries.overdue_assets(fleet.lead, dt.date(2026, 11, 19)).exists()


def test_a_vehicle_is_flagged_when_equipment_on_it_is_overdue(fleet):
    vehicle = fleet.vehicle()
    fleet.schedule(vehicle.asset, MaintenanceKind.MOT, interval_months=12)
    stretcher = fleet.stretcher(vehicle=vehicle)
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 4, 1))
    flagged = queries.vehicles(fleet.lead, TODAY, flagged_only=True)
    assert list(flagged) == [vehicle]
    page = queries.vehicle_page(vehicle, TODAY)
    assert page.is_flagged and [item.asset for item in page.overdue_items] == [stretcher]


def test_a_vehicle_is_flagged_when_its_own_mot_is_overdue(fleet):
    vehicle = fleet.vehicle()
    _past_due(fleet, vehicle.asset, MaintenanceKind.MOT)
    other = fleet.vehicle("NA102")
    assert {v.call_sign: v.is_flagged for v in queries.vehicles(fleet.lead, TODAY)} == {
        "NA101": True,
        other.call_sign: False,
    }


def test_a_passing_result_takes_an_asset_off_the_overdue_list(fleet):
    stretcher = fleet.stretcher()
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 1, 5))
    assert queries.overdue_assets(fleet.lead, TODAY).exists()
    fleet.result(stretcher, MaintenanceKind.LOLER)
    assert not queries.overdue_assets(fleet.lead, TODAY).exists()


def test_the_station_summary_counts_the_rows_each_number_leads_to(fleet):
    ashby_van = fleet.vehicle("NA101")
    _past_due(fleet, fleet.stretcher("STR-1", vehicle=ashby_van))
    _past_due(fleet, fleet.stretcher("STR-2", vehicle=ashby_van), MaintenanceKind.LOLER, interval_months=None)
    _past_due(fleet, fleet.defibrillator("DEF-1"))
    quarantined = fleet.defibrillator("DEF-2", store=fleet.belton)
    fleet.schedule(quarantined, interval_months=12)
    services.quarantine_asset(by=fleet.lead, asset=quarantined, reason="Dropped")
    fleet.vehicle("NB201", station=fleet.belton)

    summary = queries.overdue_by_station(fleet.lead, TODAY)
    by_station = {row.station.name: row for row in summary.rows}
    assert (by_station["Ashby"].overdue_assets, by_station["Ashby"].flagged_vehicles) == (3, 1)
    assert by_station["Belton"].quarantined_assets == 1 and by_station["Belton"].overdue_assets == 0
    assert (summary.overdue_assets, summary.flagged_vehicles, summary.quarantined_assets) == (3, 1, 1)

    ashby_rows = queries.overdue_assets(fleet.lead, TODAY, station=fleet.ashby)
    assert len(ashby_rows) == by_station["Ashby"].overdue_assets
    assert queries.vehicles(fleet.lead, TODAY, station=fleet.ashby, flagged_only=True).count() == 1
    assert list(queries.assets(fleet.lead, TODAY, station=fleet.belton, quarantined_only=True)) == [
        quarantined
    ]


def test_a_station_manager_sees_only_their_own_stations_overdue_items(fleet):
    _past_due(fleet, fleet.defibrillator("DEF-1"))
    _past_due(fleet, fleet.defibrillator("DEF-2", store=fleet.belton))
    summary = queries.overdue_by_station(fleet.ashby_manager, TODAY)
    assert [row.station.name for row in summary.rows] == ["Ashby"]
    assert [a.asset_tag for a in queries.overdue_assets(fleet.ashby_manager, TODAY)] == ["DEF-1"]
    assert queries.station_in_scope(fleet.ashby_manager, fleet.belton.public_id) is None


def _summary_queries(user) -> int:
    """Queries for the summary, from a fresh copy of the user (so nothing is cached on it)."""
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        queries.overdue_by_station(user, TODAY)
    return len(captured)


def test_the_station_summary_asks_the_same_few_queries_however_many_stations_and_assets(fleet):
    _past_due(fleet, fleet.defibrillator("DEF-1"))
    small = _summary_queries(fleet.lead)
    for number in range(6):
        station = fleet.belton if number % 2 else fleet.ashby
        vehicle = fleet.vehicle(f"NX{number:03}", station=station)
        _past_due(fleet, fleet.stretcher(f"STR-{number}", vehicle=vehicle))
        _past_due(fleet, vehicle.asset, MaintenanceKind.MOT)
    assert _summary_queries(fleet.lead) == small
