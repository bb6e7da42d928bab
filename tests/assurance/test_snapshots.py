"""Measure snapshots: every measure for the trust and each area, month by month, kept by an idempotent
upsert; the scheduled refresh, the analysts' command and the demo's part."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from candour.assurance import demo as assurance_demo
from candour.assurance.demo import snapshots as demo_snapshots
from candour.assurance.models import MeasureSnapshot
from candour.assurance.queries.measures import series_for
from candour.assurance.services.snapshots import (
    SnapshotFailed,
    months_ending,
    refresh_recent,
    refresh_snapshots,
    snapshot_units,
)
from candour.assurance.tasks import snapshots as snapshot_tasks
from candour.core.demo import SCALES, DemoContext
from candour.core.measures import Direction, Measure, MeasureValue, Period, all_measures, get
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, TrustFactory

TODAY = dt.date(2026, 3, 15)


def value_in_month(key: str, unit, day: dt.date) -> float | None:
    """What is kept for the month holding the day."""
    return (
        MeasureSnapshot.objects.filter(measure_key=key, unit=unit, month=day.replace(day=1))
        .values_list("value", flat=True)
        .first()
    )


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def trust(db):
    trust = TrustFactory()
    north = AreaFactory(parent=trust, name="North")
    south = AreaFactory(parent=trust, name="South")
    north_station = StationFactory(parent=north)
    south_station = StationFactory(parent=south)
    for _ in range(3):
        PersonFactory(station=north_station)
    PersonFactory(station=south_station)
    return {"trust": trust, "north": north, "south": south, "north_station": north_station}


def _measure(key: str, compute) -> Measure:
    return Measure(key, key, "things", Direction.NEITHER, "A test measure.", compute)


def test_snapshots_are_kept_for_the_trust_and_its_areas_not_stations(trust):
    assert snapshot_units() == [trust["north"], trust["south"], trust["trust"]]


def test_a_refresh_keeps_every_measure_for_every_unit_and_month(trust):
    months = months_ending(TODAY, 3)
    written = refresh_snapshots(months=months)
    measures = all_measures()
    assert written == len(measures) * 3 * 3
    assert MeasureSnapshot.objects.count() == written
    assert set(MeasureSnapshot.objects.values_list("measure_key", flat=True)) == {m.key for m in measures}
    assert set(MeasureSnapshot.objects.values_list("month", flat=True)) == {
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    }
    assert value_in_month("people.headcount", trust["trust"], TODAY) == 4
    assert value_in_month("people.headcount", trust["north"], TODAY) == 3
    assert value_in_month("people.headcount", trust["south"], TODAY) == 1


def test_refreshing_again_updates_values_in_place(trust):
    months = months_ending(TODAY, 2)
    headcount = [get("people.headcount")]
    refresh_snapshots(months=months, measures=headcount)
    PersonFactory(station=trust["north_station"])
    assert refresh_snapshots(months=months, measures=headcount) == 2 * 3
    assert MeasureSnapshot.objects.count() == 2 * 3
    assert value_in_month("people.headcount", trust["north"], TODAY) == 4
    assert value_in_month("people.headcount", trust["trust"], TODAY) == 5


def test_missing_only_computes_just_the_cells_not_kept(trust):
    months = months_ending(TODAY, 2)
    headcount = [get("people.headcount")]
    refresh_snapshots(months=months, measures=headcount)
    MeasureSnapshot.objects.filter(unit=trust["south"], month=dt.date(2026, 2, 1)).delete()
    PersonFactory(station=trust["north_station"])
    assert refresh_snapshots(months=months, measures=headcount, missing_only=True) == 1
    # Cells already kept were left as they were.
    assert value_in_month("people.headcount", trust["north"], TODAY) == 3
    assert value_in_month("people.headcount", trust["south"], dt.date(2026, 2, 1)) == 1


def test_a_month_with_nothing_to_count_is_kept_without_a_value(trust):
    empty = _measure("test.empty", lambda unit, period: MeasureValue(None))
    refresh_snapshots(months=months_ending(TODAY, 1), measures=[empty])
    assert MeasureSnapshot.objects.filter(measure_key="test.empty", value__isnull=True).count() == 3


def test_a_failing_measure_stops_a_strict_refresh_and_keeps_nothing(trust):
    def broken(unit, period):
        raise ZeroDivisionError("division by zero")

    measures = [get("people.headcount"), _measure("test.broken", broken)]
    with pytest.raises(SnapshotFailed, match=r"test\.broken"):
        refresh_snapshots(months=months_ending(TODAY, 1), measures=measures)
    assert not MeasureSnapshot.objects.exists()


def test_a_failing_measure_is_skipped_when_not_strict(trust, caplog):
    def broken(unit, period):
        raise ZeroDivisionError("division by zero")

    measures = [_measure("test.broken", broken), get("people.headcount")]
    assert refresh_snapshots(months=months_ending(TODAY, 1), measures=measures, strict=False) == 3
    assert "test.broken could not be computed" in caplog.text
    assert set(MeasureSnapshot.objects.values_list("measure_key", flat=True)) == {"people.headcount"}


def test_the_scheduled_refresh_recomputes_recent_months_and_fills_the_rest_of_the_span(trust, settings):
    settings.CANDOUR_SNAPSHOT_RECENT_MONTHS = 2
    settings.CANDOUR_CHART_MONTHS = 4
    count = len(all_measures())
    assert refresh_recent(today=TODAY) == count * 3 * 4
    PersonFactory(station=trust["north_station"])
    # Recent months are recomputed; older ones are already kept and left alone.
    assert snapshot_tasks.refresh_snapshots.call() == count * 3 * 2
    assert value_in_month("people.headcount", trust["north"], TODAY) == 4
    assert value_in_month("people.headcount", trust["north"], dt.date(2025, 12, 1)) == 3


def test_series_read_back_in_month_order_with_gaps(trust):
    refresh_snapshots(
        months=[Period.month(2026, 1), Period.month(2026, 3)], measures=[get("people.headcount")]
    )
    series = series_for("people.headcount", trust["trust"], months=3, until=TODAY)
    assert [point.period.start for point in series.points] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    assert [point.value for point in series.points] == [4, None, 4]
    assert series.latest.numerator == 4


def test_the_command_refreshes_the_months_asked_for(trust):
    out = StringIO()
    call_command("refresh_snapshots", "--months", "2", "--measure", "people.headcount", stdout=out)
    assert MeasureSnapshot.objects.count() == 2 * 3
    assert (
        "Kept 6 values: 1 measures for 3 units over 2 months (February 2026 to March 2026)" in out.getvalue()
    )


def test_the_command_defaults_to_every_measure_over_the_chart_span(trust, settings):
    settings.CANDOUR_CHART_MONTHS = 2
    call_command("refresh_snapshots", "--months", "2", stdout=StringIO())
    assert MeasureSnapshot.objects.count() == len(all_measures()) * 3 * 2


def test_the_command_names_an_unknown_measure_and_keeps_nothing(trust):
    with pytest.raises(CommandError, match=r"people\.nothing"):
        call_command("refresh_snapshots", "--measure", "people.nothing", stdout=StringIO())
    assert not MeasureSnapshot.objects.exists()


@pytest.mark.parametrize("months", ["0", "-3", "many"])
def test_the_command_refuses_a_span_that_is_not_a_positive_whole_number(trust, months):
    with pytest.raises(CommandError, match="--months"):
        call_command("refresh_snapshots", "--months", months, stdout=StringIO())


def test_the_command_needs_a_trust(db):
    with pytest.raises(CommandError, match="no trust"):
        call_command("refresh_snapshots", stdout=StringIO())


def test_the_demo_keeps_the_months_asked_for_the_trust_and_its_areas_last_of_all(trust):
    # seed_demo asks for CANDOUR_CHART_MONTHS (24 by default); three keep this test quick.
    assert assurance_demo.PARTS[-1] == "snapshots"
    context = DemoContext(
        seed=1,
        scale=SCALES["demo"],
        today=TODAY,
        rng=random.Random(1),
        password="unused-in-this-test",
        snapshot_months=3,
    )
    demo_snapshots.build(context)
    expected = len(all_measures()) * 3 * 3
    assert context.shared["assurance.snapshots"] == expected
    months = sorted(set(MeasureSnapshot.objects.values_list("month", flat=True)))
    assert months == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert set(MeasureSnapshot.objects.values_list("unit", flat=True)) == {
        trust[name].pk for name in ("trust", "north", "south")
    }


def test_a_demo_built_without_snapshot_months_leaves_them_to_the_scheduler(trust):
    context = DemoContext(
        seed=1, scale=SCALES["demo"], today=TODAY, rng=random.Random(1), password="unused-in-this-test"
    )
    demo_snapshots.build(context)
    assert not MeasureSnapshot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_measures_are_computed_outside_a_transaction_so_other_writers_are_not_held_up():
    # SQLite transactions begin IMMEDIATE here: computing inside one would hold the write lock throughout.
    TrustFactory()
    seen = []

    def compute(unit, period):
        seen.append(connection.in_atomic_block)
        return MeasureValue(1)

    assert refresh_snapshots(months=months_ending(TODAY, 2), measures=[_measure("test.probe", compute)]) == 2
    assert seen == [False, False]
    assert MeasureSnapshot.objects.filter(measure_key="test.probe").count() == 2
