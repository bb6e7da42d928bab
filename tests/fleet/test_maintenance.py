"""Recording maintenance results: due dates by time or use, refusals that write nothing, LOLER danger
defects and quarantine."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.fleet import services
from candour.fleet.models import AssetStatus, MaintenanceKind, MaintenanceResult, MaintenanceSchedule
from tests.fleet.conftest import TODAY

LOLER = MaintenanceKind.LOLER


def _nothing_written(before_events: int) -> bool:
    return not MaintenanceResult.objects.exists() and AuditEvent.objects.count() == before_events


def test_a_schedule_is_first_due_one_interval_after_it_starts(fleet):
    defib = fleet.defibrillator()
    schedule = fleet.schedule(defib, starts_on=dt.date(2026, 8, 31), interval_months=6)
    assert schedule.next_due_on == dt.date(2027, 2, 28)


def test_a_loler_schedule_takes_its_interval_from_the_reference_data(fleet):
    people = fleet.schedule(fleet.stretcher("STR-1"), LOLER, starts_on=dt.date(2026, 1, 10))
    goods = fleet.schedule(
        fleet.stretcher("RAMP-1", loler_category="other"), LOLER, starts_on=dt.date(2026, 1, 10)
    )
    assert (people.interval_months, people.next_due_on) == (6, dt.date(2026, 7, 10))
    assert (goods.interval_months, goods.next_due_on) == (12, dt.date(2027, 1, 10))


def test_a_loler_schedule_longer_than_the_reference_data_allows_is_refused(fleet):
    stretcher = fleet.stretcher()
    with pytest.raises(Refused) as refused:
        fleet.schedule(stretcher, LOLER, interval_months=12)
    assert refused.value.messages == [
        "LOLER requires a thorough examination of equipment that lifts people at least every 6 months, "
        "not every 12"
    ]
    assert not MaintenanceSchedule.objects.exists()


def test_vehicle_only_and_lifting_only_schedules_are_refused_on_other_assets(fleet):
    defib = fleet.defibrillator()
    with pytest.raises(Refused, match="Only a vehicle has a MOT schedule"):
        fleet.schedule(defib, MaintenanceKind.MOT, interval_months=12)
    with pytest.raises(Refused, match="Only lifting equipment has a LOLER thorough examination"):
        fleet.schedule(defib, LOLER, interval_months=6)


def test_a_pass_moves_the_due_date_on_from_the_day_it_was_done(fleet):
    defib = fleet.defibrillator()
    schedule = fleet.schedule(defib, interval_months=12)
    fleet.result(defib, done_on=dt.date(2026, 11, 10))
    schedule.refresh_from_db()
    assert (schedule.last_done_on, schedule.next_due_on) == (dt.date(2026, 11, 10), dt.date(2027, 11, 10))


def test_a_fail_leaves_the_schedule_due_as_it_was(fleet):
    defib = fleet.defibrillator()
    schedule = fleet.schedule(defib, interval_months=12)
    due = schedule.next_due_on
    fleet.result(defib, outcome="fail", defects="Pads connector cracked")
    schedule.refresh_from_db()
    assert schedule.next_due_on == due and schedule.last_done_on is None


def test_an_older_pass_entered_late_does_not_move_the_due_date_back(fleet):
    defib = fleet.defibrillator()
    schedule = fleet.schedule(defib, interval_months=12)
    fleet.result(defib, done_on=dt.date(2026, 11, 1))
    fleet.result(defib, done_on=dt.date(2026, 5, 1))
    schedule.refresh_from_db()
    assert schedule.next_due_on == dt.date(2027, 11, 1)
    assert defib.results.count() == 2


def test_a_vehicle_service_is_due_by_time_or_mileage_whichever_comes_first(fleet):
    vehicle = fleet.vehicle(odometer_miles=40_000)
    schedule = fleet.schedule(
        vehicle.asset, MaintenanceKind.VEHICLE_SERVICE, interval_months=12, usage_interval=20_000
    )
    assert not schedule.is_overdue(TODAY)
    services.record_usage(by=fleet.lead, asset=vehicle.asset, reading=60_000)
    schedule.refresh_from_db()
    assert schedule.is_overdue(TODAY), "due by mileage long before its date"
    assert MaintenanceSchedule.objects.overdue(TODAY).get() == schedule

    fleet.result(vehicle.asset, MaintenanceKind.VEHICLE_SERVICE, usage_reading=60_100)
    schedule.refresh_from_db()
    assert schedule.next_due_usage == 80_100
    assert not MaintenanceSchedule.objects.overdue(TODAY).exists()
    with time_machine.travel(dt.datetime(2027, 11, 19, 12, tzinfo=dt.UTC)):
        assert MaintenanceSchedule.objects.overdue(dt.date(2027, 11, 19)).get() == schedule, "and by time"


def test_an_odometer_reading_never_goes_backwards(fleet):
    vehicle = fleet.vehicle(odometer_miles=40_000)
    with pytest.raises(Refused, match="lower than the last one, 40,000 miles"):
        services.record_usage(by=fleet.lead, asset=vehicle.asset, reading=39_000)


def test_a_result_for_an_unknown_asset_is_refused_and_nothing_is_written(fleet):
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        services.record_result(by=fleet.lead, result=services.Result("NO-SUCH", "ppm", TODAY, "pass"))
    assert refused.value.field == "asset_tag"
    assert refused.value.message == "No asset on the register you look after has the tag NO-SUCH"
    assert _nothing_written(events)


def test_a_result_for_an_asset_outside_the_recorders_trust_is_refused_as_unknown(fleet, make_user):
    from candour.people.roles import Role

    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    elsewhere = make_user(Role.FLEET_LEAD)
    with pytest.raises(Refused, match="No asset on the register you look after has the tag DEF-1"):
        fleet.result(defib, by=elsewhere)


def test_a_result_dated_in_the_future_is_refused_and_nothing_is_written(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        fleet.result(defib, done_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "done_on"
    assert refused.value.message == (
        "The date it was done, 19 November 2026, is in the future: enter today or an earlier date"
    )
    assert _nothing_written(events)


def test_a_loler_next_examination_later_than_the_reference_data_allows_is_refused(fleet):
    stretcher = fleet.stretcher()
    schedule = fleet.schedule(stretcher, LOLER)
    due = schedule.next_due_on
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        fleet.result(stretcher, LOLER, next_due_on=dt.date(2027, 11, 18))
    assert refused.value.field == "next_due_on"
    assert refused.value.message == (
        "LOLER requires the next thorough examination of equipment that lifts people within 6 months, "
        "by 18 May 2027: 18 November 2027 is later"
    )
    assert _nothing_written(events)
    schedule.refresh_from_db()
    assert schedule.next_due_on == due


def test_a_loler_examiners_earlier_next_date_is_kept(fleet):
    stretcher = fleet.stretcher()
    schedule = fleet.schedule(stretcher, LOLER)
    fleet.result(stretcher, LOLER, next_due_on=dt.date(2027, 2, 18))
    schedule.refresh_from_db()
    assert schedule.next_due_on == dt.date(2027, 2, 18)


def test_every_problem_with_a_result_is_named_at_once(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    with pytest.raises(Refused) as refused:
        fleet.result(defib, outcome="fail", done_on=TODAY + dt.timedelta(days=3), danger_to_people=True)
    fields = {each.field for each in refused.value.each}
    assert fields == {"done_on", "defects", "danger_to_people"}


def test_a_result_for_a_kind_the_asset_has_no_schedule_for_is_refused(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    with pytest.raises(Refused, match="DEF-1 has no calibration schedule"):
        fleet.result(defib, MaintenanceKind.CALIBRATION)


def test_a_loler_defect_that_is_a_danger_to_people_takes_the_asset_out_of_service_at_once(fleet):
    stretcher = fleet.stretcher()
    fleet.schedule(stretcher, LOLER)
    fleet.result(
        stretcher, LOLER, outcome="fail", defects="Cracked weld on the lifting arm", danger_to_people=True
    )
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.QUARANTINED
    assert stretcher.quarantine_reason == (
        "The LOLER thorough examination on 18 November 2026 found a defect that is a danger to people: "
        "Cracked weld on the lifting arm"
    )
    assert AuditEvent.objects.filter(action="quarantined_asset", object_id=str(stretcher.public_id)).exists()


def test_a_loler_defect_that_is_not_a_danger_leaves_the_asset_in_service(fleet):
    stretcher = fleet.stretcher()
    fleet.schedule(stretcher, LOLER)
    fleet.result(stretcher, LOLER, outcome="fail", defects="Worn label, replace within 3 months")
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.IN_SERVICE


def test_a_loler_quarantine_is_cleared_by_a_passing_loler_examination_only(fleet):
    stretcher = fleet.stretcher()
    fleet.schedule(stretcher, LOLER)
    fleet.schedule(stretcher, MaintenanceKind.PLANNED_PREVENTIVE, interval_months=12)
    fleet.result(stretcher, LOLER, outcome="fail", defects="Cracked weld", danger_to_people=True)

    fleet.result(stretcher, MaintenanceKind.PLANNED_PREVENTIVE)
    stretcher.refresh_from_db()
    assert stretcher.is_quarantined, "a service is not a thorough examination"

    fleet.result(
        stretcher, LOLER, outcome="pass_with_advisories", advisories="Weld repaired; recheck at next"
    )
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.IN_SERVICE and stretcher.quarantine_reason == ""
    assert AuditEvent.objects.filter(action="released_asset_from_quarantine").count() == 1


def test_a_manager_quarantines_an_asset_with_a_reason_until_any_passing_result(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    services.quarantine_asset(by=fleet.ashby_manager, asset=defib, reason="Dropped from the trolley")
    defib.refresh_from_db()
    assert defib.is_quarantined and defib.quarantine_reason == "Dropped from the trolley"
    fleet.result(defib, outcome="fail", defects="Screen cracked")
    defib.refresh_from_db()
    assert defib.is_quarantined, "a fail does not clear it"
    fleet.result(defib)
    defib.refresh_from_db()
    assert not defib.is_quarantined


def test_a_quarantine_without_a_reason_or_twice_is_refused(fleet):
    defib = fleet.defibrillator()
    with pytest.raises(Refused, match="Enter why it is taken out of service"):
        services.quarantine_asset(by=fleet.lead, asset=defib, reason="  ")
    services.quarantine_asset(by=fleet.lead, asset=defib, reason="Dropped")
    with pytest.raises(Refused, match="DEF-1 is already quarantined: Dropped"):
        services.quarantine_asset(by=fleet.lead, asset=defib, reason="Again")


def test_a_manager_cannot_quarantine_another_stations_equipment(fleet):
    defib = fleet.defibrillator(store=fleet.belton)
    with pytest.raises(PermissionDenied):
        services.quarantine_asset(by=fleet.ashby_manager, asset=defib, reason="Dropped")


def test_a_manager_cannot_record_results(fleet):
    defib = fleet.defibrillator()
    fleet.schedule(defib, interval_months=12)
    with pytest.raises(Refused, match="No asset on the register you look after"):
        fleet.result(defib, by=fleet.ashby_manager)


def test_equipment_on_a_vehicle_belongs_to_the_vehicles_station(fleet):
    vehicle = fleet.vehicle(station=fleet.belton)
    stretcher = fleet.stretcher(vehicle=vehicle)
    assert stretcher.station == fleet.belton
    assert stretcher.location == "On NA101"


def test_equipment_must_be_on_one_vehicle_or_in_one_store(fleet):
    vehicle = fleet.vehicle()
    with pytest.raises(Refused, match="Say where it is"):
        services.add_equipment(
            by=fleet.lead,
            kind="medical_device",
            make="Zoll",
            model="X",
            serial_number="1",
            asset_tag="DEF-9",
            on_vehicle=vehicle,
            store=fleet.ashby,
        )


def test_a_usage_unit_is_needed_for_a_schedule_by_use(fleet):
    defib = fleet.defibrillator()
    with pytest.raises(Refused, match="no usage counted"):
        fleet.schedule(defib, usage_interval=500)
