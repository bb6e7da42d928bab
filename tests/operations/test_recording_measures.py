"""The call recording measures: the share of calls recorded, the unrecorded count, and exceptions left open
too long, each by the calls' areas, with worked exceptions counted by what was found."""

import datetime as dt

import pytest

from candour.core.measures import Period, get
from candour.operations.models import CadCall, Recording, RecordingException
from tests.operations.closing import close_as_eoc_manager
from tests.support.factories import AreaFactory, StationFactory, TrustFactory

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)
Kind, Reason = RecordingException.Kind, RecordingException.Reason


@pytest.fixture
def units(settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5
    trust = TrustFactory()
    north, south = AreaFactory(parent=trust), AreaFactory(parent=trust)
    return {"trust": trust, "north": north, "south": south, "n1": StationFactory(parent=north)}


def call(number, station, *, recorded=True):
    connected = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
    recording = (
        Recording.objects.create(
            recording_id=f"R{number}",
            started=connected,
            duration_seconds=60,
            channel="voice",
            call_id=f"C{number}",
        )
        if recorded
        else None
    )
    made = CadCall.objects.create(
        call_id=f"C{number}",
        connected=connected,
        channel="voice",
        month=dt.date(2026, 3, 1),
        station=station,
        recording=recording,
    )
    return made


def unrecorded(number, station, *, raised=dt.datetime(2026, 3, 11, tzinfo=dt.UTC)):
    made = call(number, station, recorded=False)
    return RecordingException.objects.create(
        kind=Kind.UNRECORDED_CALL, severity=1, call=made, station=station, month=made.month, raised_at=raised
    )


def value(key, unit):
    return get(key).value_for(unit, MARCH)


def test_the_share_recorded_counts_calls_found_later_and_leaves_out_test_calls(units):
    n1 = units["n1"]
    for number in range(6):
        call(number, n1)
    missing, archived, test = unrecorded(10, n1), unrecorded(11, n1), unrecorded(12, n1)
    close_as_eoc_manager(archived, reason=Reason.ARCHIVED, note="In the archive")
    close_as_eoc_manager(test, reason=Reason.TEST_CALL, note="Line test")

    recorded = value("operations.calls_recorded_percent", units["north"])
    assert (recorded.value, recorded.numerator, recorded.denominator) == (87.5, 7, 8)
    assert value("operations.unrecorded_calls", units["north"]).value == 1
    assert value("operations.calls_recorded_percent", units["south"]).denominator == 0
    assert missing.closed_at is None


def test_a_call_no_incident_lists_counts_for_the_trust_only(units):
    for number in range(5):
        call(number, units["n1"])
    unrecorded(9, None)

    assert value("operations.unrecorded_calls", units["north"]).value == 0
    assert value("operations.unrecorded_calls", units["trust"]).value == 1
    assert value("operations.calls_recorded_percent", units["trust"]).value == round(100 * 5 / 6, 1)


def test_too_few_calls_give_no_share(units):
    for number in range(4):
        call(number, units["n1"])

    assert value("operations.calls_recorded_percent", units["north"]).value is None


def test_exceptions_open_at_the_month_end_for_more_than_the_limit_count_as_old(units, settings):
    settings.CANDOUR_RECORDING_EXCEPTION_OLD_DAYS = 7
    n1 = units["n1"]
    unrecorded(1, n1, raised=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))  # old by 1 April
    unrecorded(2, n1, raised=dt.datetime(2026, 3, 28, tzinfo=dt.UTC))  # 4 days at the month's end
    closed_in_april = unrecorded(3, n1, raised=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    RecordingException.objects.filter(pk=closed_in_april.pk).update(
        closed_at=dt.datetime(2026, 4, 3, tzinfo=dt.UTC), close_reason=Reason.RECORDER_FAULT
    )

    assert value("operations.old_recording_exceptions", units["north"]).value == 2
