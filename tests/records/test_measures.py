"""Record measures for the assurance catalogue's SPC charts: completeness, paper share, days for a paper
record to reach the records office, and lost records per 10,000 incidents, each for a unit and a UK month."""

import datetime as dt

import pytest
from django.test import override_settings

from candour.core import measures as registry
from candour.core.measures import Direction, MeasureValue, Period
from candour.records.models import CustodyEvent, CustodyStep, Medium, PatientRecord

NOVEMBER = Period.month(2026, 11)
IN_NOVEMBER = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)


def record(number, station, *, complete=True, medium=Medium.ELECTRONIC, status="final", started=IN_NOVEMBER):
    return PatientRecord.objects.create(
        record_id=f"R{number}",
        incident_reference=f"INC-{number}",
        status=status,
        started_at=started,
        finalised_at=None if status == "draft" else started,
        authors=["P100"],
        station=station,
        medium=medium,
        complete=complete,
    )


def received(record_, *, days, completed_after_hours=1):
    completed = record_.started_at + dt.timedelta(hours=completed_after_hours)
    CustodyEvent.objects.create(
        record_reference=record_.record_id,
        step=CustodyStep.COMPLETED_ON_SCENE,
        by_staff_number="P100",
        occurred_at=completed,
    )
    CustodyEvent.objects.create(
        record_reference=record_.record_id,
        step=CustodyStep.RECEIVED_AT_RECORDS_OFFICE,
        by_staff_number="P100",
        occurred_at=completed + dt.timedelta(days=days),
    )


def value(key, unit, period=NOVEMBER):
    return registry.get(key).value_for(unit, period)


def test_the_records_measures_are_published_with_their_direction():
    assert registry.get("records.complete_share").direction == Direction.HIGHER_IS_BETTER
    for key in (
        "records.paper_share",
        "records.median_days_to_records_office",
        "records.lost_per_10000_incidents",
    ):
        assert registry.get(key).direction == Direction.LOWER_IS_BETTER


def test_completeness_is_the_share_of_finished_records_of_the_month_with_every_element(records_trust):
    north, south = records_trust.north, records_trust.south
    for number in range(6):
        record(number, north, complete=number < 3)
    for number in range(6, 12):
        record(number, south)
    record(20, north, complete=False, status="draft")
    record(
        21, north, complete=False, started=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)
    )  # October in the UK
    assert value("records.complete_share", north) == MeasureValue(100 * 3 / 6, 3, 6)
    assert value("records.complete_share", records_trust.trust) == MeasureValue(100 * 9 / 12, 9, 12)


def test_a_month_with_fewer_records_than_the_small_number_threshold_has_no_share(records_trust):
    for number in range(4):
        record(number, records_trust.north)
    with override_settings(CANDOUR_SMALL_NUMBER_THRESHOLD=5):
        assert value("records.complete_share", records_trust.north) == MeasureValue(None, None, 4)
        assert value("records.paper_share", records_trust.north) == MeasureValue(None, None, 4)


def test_paper_share_counts_every_record_created_in_the_month(records_trust):
    north = records_trust.north
    for number in range(8):
        record(number, north, medium=Medium.PAPER if number < 2 else Medium.ELECTRONIC)
    record(9, north, medium=Medium.PAPER, status="draft")
    assert value("records.paper_share", north) == MeasureValue(100 * 3 / 9, 3, 9)


def test_median_days_to_the_records_office_runs_from_completion_on_scene_to_receipt(records_trust):
    north = records_trust.north
    for number, days in enumerate([1, 2, 3, 4, 5, 6]):
        received(record(number, north, medium=Medium.PAPER), days=days)
    record(10, north, medium=Medium.PAPER)  # not received yet: not in the median
    assert value("records.median_days_to_records_office", north) == MeasureValue(3.5, None, 6)
    assert value("records.median_days_to_records_office", records_trust.south) == MeasureValue(None, None, 0)


def test_lost_records_are_counted_per_10000_incidents_with_a_record(records_trust):
    north = records_trust.north
    for number in range(8):
        record(number, north, medium=Medium.PAPER)
    PatientRecord.objects.filter(record_id="R1").update(lost_at=IN_NOVEMBER)
    # A second record of the same incident is one incident.
    PatientRecord.objects.filter(record_id="R7").update(incident_reference="INC-6")
    assert value("records.lost_per_10000_incidents", north) == MeasureValue(10_000 / 7, 1, 7)
    assert value("records.lost_per_10000_incidents", records_trust.south) == MeasureValue(None, 0, 0)


@pytest.mark.parametrize("key", ["records.complete_share", "records.paper_share"])
def test_a_record_is_in_the_uk_month_it_was_created(records_trust, key):
    # 31 October 23:30 UTC is 31 October in the UK (GMT); 31 March 23:30 UTC is 1 April (BST).
    north = records_trust.north
    for number in range(5):
        record(number, north, started=dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC))
    assert value(key, north, Period.month(2026, 4)).denominator == 5
    assert value(key, north, Period.month(2026, 3)).denominator == 0
