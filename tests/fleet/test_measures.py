"""The fleet's measures: bariatric waits by area (mean and 90th centile, none from too few) and the share of
vehicles with their deep clean in date, read from the cleans recorded so a past month keeps its value."""

import datetime as dt

import time_machine

from candour.core.measures import Direction, Period, get
from candour.fleet import services
from candour.fleet.models import MaintenanceKind
from candour.people.roles import Role

NOVEMBER = Period.month(2026, 11)
NOW = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)


def _bariatric_van(fleet):
    van = fleet.vehicle()
    stretcher = fleet.stretcher("STR-B1", vehicle=van)
    services.record_capability(
        by=fleet.lead, asset=stretcher, safe_working_load_kg=350, max_patient_width_cm=None
    )
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 11, 1))
    return van


def _waited(fleet, by, station, reference, minutes, van):
    requested = NOW - dt.timedelta(hours=4)
    services.record_bariatric_request(
        by=by,
        station=station,
        incident_reference=reference,
        requested_at=requested,
        progress=services.Progress(
            assigned_at=requested, on_scene_at=requested + dt.timedelta(minutes=minutes), vehicle=van
        ),
    )


def test_bariatric_waits_are_measured_by_unit_and_too_few_have_no_value(fleet, make_user):
    eoc = make_user(Role.EOC_MANAGER, fleet.trust)
    van = _bariatric_van(fleet)
    mean, centile90 = get("fleet.bariatric_wait_mean_seconds"), get("fleet.bariatric_wait_centile90_seconds")
    assert mean.direction == centile90.direction == Direction.LOWER_IS_BETTER
    for number, minutes in enumerate([10, 20, 30, 40], start=1):
        _waited(fleet, eoc, fleet.ashby, f"N-{number}", minutes, van)
    too_few = mean.value_for(fleet.north, NOVEMBER)
    assert too_few.value is None and too_few.denominator == 4
    _waited(fleet, eoc, fleet.belton, "N-5", 100, van)
    assert mean.value_for(fleet.north, NOVEMBER).value == 40 * 60
    assert centile90.value_for(fleet.north, NOVEMBER).value == 76 * 60
    assert mean.value_for(fleet.north, Period.month(2026, 10)).denominator == 0


def test_deep_cleans_in_date_are_the_share_of_vehicles_cleaned_within_the_interval(fleet, make_user):
    crew = make_user(Role.STAFF, fleet.ashby)
    measure = get("fleet.deep_cleans_in_date_percent")
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        cleaned, never = fleet.vehicle(), fleet.vehicle("NA102")
    services.record_clean(
        by=crew, vehicle=cleaned, clean_type="deep", done_at=dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    )
    october = measure.value_for(fleet.north, Period.month(2026, 10))
    assert (october.value, october.numerator, october.denominator) == (50.0, 1, 2)
    assert measure.value_for(fleet.north, Period.month(2026, 8)).value is None  # no vehicles yet
    with time_machine.travel(dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC), tick=False):
        # 42 days after 20 October is 1 December: by the end of December it is out of date.
        assert measure.value_for(fleet.north, Period.month(2026, 12)).value == 0.0
        assert measure.value_for(fleet.north, Period.month(2026, 10)).value == 50.0
    assert never.cleans.count() == 0
