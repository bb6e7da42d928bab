"""A measure may answer a whole span of months in one grouped query (docs/adr/0040). Each operations measure
that does gives exactly what it gives month by month, for the trust and each area, and refreshing snapshots
over a long span then costs no more queries than over a short one."""

import datetime as dt
import itertools
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candour.assurance.models import MeasureSnapshot
from candour.assurance.services.snapshots import refresh_snapshots
from candour.core.measures import Direction, Measure, MeasureValue, Period, all_measures
from candour.operations.models import CadCall, CadIncident, Channel, Recording, RecordingException
from tests.operations.closing import close_as_eoc_manager
from tests.support.factories import AreaFactory, StationFactory, TrustFactory

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
MONTHS = Period.month(2026, 10).previous_months(6)  # May to October 2026
Kind, Reason = RecordingException.Kind, RecordingException.Reason


@pytest.fixture(autouse=True)
def _in_november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def trust(settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 3
    trust = TrustFactory()
    rng = random.Random(11)
    for _ in range(2):
        area = AreaFactory(parent=trust)
        for station in (StationFactory(parent=area), StationFactory(parent=area)):
            for month in MONTHS[1:]:  # May has nothing at all
                _month_of_work(rng, station, month.start)
    _month_of_work(rng, None, MONTHS[-1].start)  # calls no incident lists: the trust's only
    return trust


def _month_of_work(rng, station, month: dt.date) -> None:
    for _ in range(rng.randint(0, 9)):
        category = rng.choice(["C1", "C2", "C3", "C4"])
        connected = dt.datetime(month.year, month.month, rng.randint(1, 28), 12, tzinfo=dt.UTC)
        seconds = rng.choice([None, rng.randint(200, 9000)])
        if station is not None:
            CadIncident.objects.create(
                incident_id=f"INC-S{next(NUMBERS)}",
                station=station,
                category=category,
                call_connected=connected,
                conveyed=category == "C1",
                channel=Channel.VOICE,
                month=month,
                counted_category=category,
                response_seconds=seconds,
                c1t_response_seconds=seconds + 120 if seconds and category == "C1" else None,
                clock_rules="ARP 2017",
            )
        _call(rng, station, connected, month)


def _call(rng, station, connected, month) -> None:
    number = next(NUMBERS)
    recorded = rng.random() < 0.7
    recording = (
        Recording.objects.create(
            recording_id=f"R{number}", started=connected, duration_seconds=60, channel="voice"
        )
        if recorded
        else None
    )
    call = CadCall.objects.create(
        call_id=f"C{number}",
        connected=connected,
        channel="voice",
        month=month,
        station=station,
        recording=recording,
    )
    if recorded:
        return
    raised = connected + dt.timedelta(days=rng.choice([1, 2]))
    exception = RecordingException.objects.create(
        kind=Kind.UNRECORDED_CALL, severity=1, call=call, station=station, month=month, raised_at=raised
    )
    if rng.random() < 0.5:
        with time_machine.travel(raised + dt.timedelta(days=rng.choice([3, 12, 40])), tick=False):
            reason = rng.choice([Reason.ARCHIVED, Reason.TEST_CALL, Reason.RECORDER_FAULT])
            close_as_eoc_manager(exception, reason=reason)


def _operations_span_measures():
    return [m for m in all_measures() if m.key.startswith("operations.") and m.compute_span is not None]


def test_every_response_time_and_recording_measure_answers_a_span():
    keys = {measure.key for measure in _operations_span_measures()}
    assert "operations.c2_centile90_response_seconds" in keys
    assert {
        "operations.calls_recorded_percent",
        "operations.unrecorded_calls",
        "operations.old_recording_exceptions",
    } <= keys


def test_a_span_gives_what_each_month_gives_for_the_trust_and_every_area(trust):
    assert (
        CadIncident.objects.exists() and RecordingException.objects.filter(closed_at__isnull=False).exists()
    )
    units = [trust, *trust.children.all()]
    for measure in _operations_span_measures():
        for unit in units:
            month_by_month = [measure.value_for(unit, month) for month in MONTHS]
            assert measure.values_for_span(unit, MONTHS) == month_by_month, (measure.key, unit.name)


def test_a_span_with_gaps_gives_the_months_asked_for(trust):
    asked = [MONTHS[0], MONTHS[3], MONTHS[5]]
    for measure in _operations_span_measures():
        assert measure.values_for_span(trust, asked) == [measure.value_for(trust, month) for month in asked]


def test_refreshing_two_years_costs_no_more_queries_than_two_months(trust):
    measures = _operations_span_measures()
    with CaptureQueriesContext(connection) as short:
        refresh_snapshots(months=MONTHS[-2:], measures=measures)
    with CaptureQueriesContext(connection) as long:
        refresh_snapshots(months=Period.month(2026, 10).previous_months(24), measures=measures)
    assert _reads(long) == _reads(short)
    assert MeasureSnapshot.objects.filter(month=dt.date(2024, 11, 1)).exists()


def _reads(captured) -> int:
    """Queries that compute (the snapshots' write is batched by size, so it grows with the rows)."""
    return sum(1 for query in captured.captured_queries if query["sql"].lstrip().upper().startswith("SELECT"))


def test_a_span_function_that_leaves_out_a_month_is_refused():
    forgets = Measure(
        key="tests.span_that_forgets",
        title="Forgets a month",
        unit="things",
        direction=Direction.LOWER_IS_BETTER,
        description="A measure whose span function answers only the first month.",
        compute=lambda unit, period: MeasureValue(1),
        compute_span=lambda unit, periods: {periods[0].start: MeasureValue(1)},
    )
    with pytest.raises(ValueError, match="gave no value for June 2026"):
        forgets.values_for_span(None, MONTHS[:2])
