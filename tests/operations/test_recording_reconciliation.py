"""Every call accounted for: calls matched to recordings by call id or by position and time, each kind of
exception raised once, the grace period for late exports, and a late recorder file closing what it answers."""

import datetime as dt
import io

import pytest
import time_machine

from candour.core.models import AuditEvent
from candour.operations.call_importers import import_call_log, import_recorder_index
from candour.operations.models import CadCall, CadIncident, Recording, RecordingException
from candour.operations.services import recordings
from candour.operations.services.recordings import reconcile
from tests.operations.closing import close_as_eoc_manager
from tests.support.factories import StationFactory

pytestmark = pytest.mark.django_db

Kind, Reason = RecordingException.Kind, RecordingException.Reason
CALL_COLUMNS = "call_id,line,connected,answered,ended,channel,call_handler,position"
RECORDER_COLUMNS = "recording_id,started,duration_seconds,channel,position,call_id"
NIGHT = dt.datetime(2026, 3, 2, 22, 0, tzinfo=dt.UTC)
NEXT_WEEK = NIGHT + dt.timedelta(days=7)


def at(minutes: float) -> str:
    return (NIGHT + dt.timedelta(minutes=minutes)).isoformat()


def call_row(call_id, minute, *, position="P7", channel="voice", talk_minutes=5, answered_after=0.1):
    return ",".join(
        [
            call_id,
            "999-1",
            at(minute),
            at(minute + answered_after),
            at(minute + answered_after + talk_minutes),
            channel,
            "100234",
            position,
        ]
    )


def recording_row(recording_id, minute, seconds=300, *, position="P7", channel="voice", call_id=""):
    return ",".join([recording_id, at(minute), str(seconds), channel, position, call_id])


def csv_file(header, *rows, name="feed.csv"):
    upload = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    upload.name = name
    return upload


def calls(*rows):
    result = import_call_log(by=None, file=csv_file(CALL_COLUMNS, *rows))
    assert result.ok, result.errors
    return result


def recorded(*rows):
    result = import_recorder_index(by=None, file=csv_file(RECORDER_COLUMNS, *rows))
    assert result.ok, result.errors
    return result


def open_exceptions():
    return {(e.kind, e.subject) for e in RecordingException.objects.open()}


@pytest.fixture(autouse=True)
def _after_the_grace_period():
    # Every test but the grace-period one looks a week on, when the exports are all in.
    with time_machine.travel(NEXT_WEEK, tick=False):
        yield


def test_a_recording_carrying_the_call_id_accounts_for_its_call():
    calls(call_row("C1", 0))
    recorded(recording_row("R1", 3, call_id="C1", position="somewhere else"))

    call = CadCall.objects.get()
    assert call.recording.recording_id == "R1" and call.matched_by == CadCall.MatchedBy.CALL_ID
    assert open_exceptions() == set()


def test_without_a_call_id_the_nearest_recording_at_the_same_position_within_the_tolerance_matches(settings):
    settings.CANDOUR_RECORDING_MATCH_TOLERANCE_SECONDS = 15
    calls(call_row("C1", 0, answered_after=0.5), call_row("C2", 10, position="P8"))
    # C1 was answered at 00:30; R-near starts 10 s after, R-far 40 s after; C2's position has nothing.
    recorded(
        recording_row("R-far", 1 + 10 / 60), recording_row("R-near", 40 / 60), recording_row("R-other", 10)
    )

    matched = dict(CadCall.objects.values_list("call_id", "recording__recording_id"))
    assert matched == {"C1": "R-near", "C2": None}
    assert open_exceptions() == {
        (Kind.UNRECORDED_CALL, "C2"),
        (Kind.RECORDING_WITHOUT_CALL, "R-far"),
        (Kind.RECORDING_WITHOUT_CALL, "R-other"),
    }


def test_a_call_with_no_recording_is_critical_and_a_recording_with_no_call_is_minor():
    calls(call_row("C1", 0))
    recorded(recording_row("R9", 30, position="P9"))

    by_kind = {e.kind: e.get_severity_display() for e in RecordingException.objects.all()}
    assert by_kind == {Kind.UNRECORDED_CALL: "Critical", Kind.RECORDING_WITHOUT_CALL: "Minor"}


def test_a_text_or_video_call_with_no_transcript_is_its_own_kind():
    calls(call_row("C-TEXT", 0, channel="text"), call_row("C-BSL", 5, channel="bsl_video", position="V1"))
    recorded(recording_row("T1", 0.1, channel="text"))  # the text call's transcript; the video's is missing

    assert open_exceptions() == {(Kind.TRANSCRIPT_MISSING, "C-BSL")}


def test_a_recording_much_shorter_than_the_call_is_a_major_duration_mismatch(settings):
    settings.CANDOUR_RECORDING_DURATION_TOLERANCE_SECONDS = 30
    calls(call_row("C1", 0, talk_minutes=5), call_row("C2", 10, talk_minutes=5))
    # C1 spoke for 300 s and its recording lasts 280 s (within 30 s); C2's lasts 60 s.
    recorded(recording_row("R1", 0.1, 280, call_id="C1"), recording_row("R2", 10.1, 60, call_id="C2"))

    exception = RecordingException.objects.open().get()
    assert (exception.kind, exception.subject, exception.get_severity_display()) == (
        Kind.DURATION_MISMATCH,
        "C2",
        "Major",
    )


def test_nothing_is_raised_for_a_call_until_the_grace_period_after_it_ended(settings):
    settings.CANDOUR_RECORDING_GRACE_HOURS = 24
    ended = NIGHT + dt.timedelta(minutes=5.1)
    with time_machine.travel(ended + dt.timedelta(hours=23), tick=False):
        calls(call_row("C1", 0))
        assert open_exceptions() == set()
    with time_machine.travel(ended + dt.timedelta(hours=24, seconds=1), tick=False):
        recordings.reconcile_recent(system="test")
        assert open_exceptions() == {(Kind.UNRECORDED_CALL, "C1")}


def test_a_late_recorder_export_closes_the_exceptions_it_answers():
    calls(call_row("C1", 0), call_row("C2", 10))
    recorded(recording_row("R1", 0.1, call_id="C1"))
    assert open_exceptions() == {(Kind.UNRECORDED_CALL, "C2")}

    recorded(recording_row("R1", 0.1, call_id="C1"), recording_row("R2", 10.1, call_id="C2"))

    closed = RecordingException.objects.get(call__call_id="C2")
    assert closed.closed_at is not None and closed.close_reason == Reason.MATCHED
    assert open_exceptions() == set()


def test_running_the_check_again_raises_nothing_twice_and_a_lost_match_opens_the_same_exception_again():
    calls(call_row("C1", 0))
    recorded(recording_row("R1", 0.1, call_id="C1", position="P9"))
    since, until = NIGHT, NIGHT + dt.timedelta(hours=1)
    reconcile(since=since, until=until, system="test")
    reconcile(since=since, until=until, system="test")
    assert open_exceptions() == set()
    # The call log came first, so its call was raised as unrecorded until the recorder's file closed it.
    assert RecordingException.objects.count() == 1

    CadCall.objects.filter(call_id="C1").update(call_id="C1-RENAMED")  # the recorder's id no longer names it
    reconcile(since=since, until=until, system="test")
    reconcile(since=since, until=until, system="test")
    assert open_exceptions() == {(Kind.UNRECORDED_CALL, "C1-RENAMED"), (Kind.RECORDING_WITHOUT_CALL, "R1")}
    assert RecordingException.objects.count() == 2


def test_an_exception_a_person_closed_stays_closed_on_later_runs():
    calls(call_row("C1", 0))
    exception = RecordingException.objects.get()
    close_as_eoc_manager(exception, reason=Reason.TEST_CALL, note="Line test")

    reconcile(since=NIGHT, until=NIGHT + dt.timedelta(hours=1), system="test")

    exception.refresh_from_db()
    assert exception.close_reason == Reason.TEST_CALL and open_exceptions() == set()


def test_a_call_is_placed_in_the_area_of_the_incident_that_lists_it():
    station = StationFactory(code="S-EAST")
    CadIncident.objects.create(
        incident_id="INC-1",
        call_ids="C0;C1",
        station=station,
        category="C2",
        call_connected=NIGHT,
        conveyed=False,
        channel="voice",
        month=NIGHT.date().replace(day=1),
        counted_category="C2",
        clock_rules="ARP 2017",
    )
    calls(call_row("C1", 0))

    call = CadCall.objects.get()
    assert call.station == station
    assert RecordingException.objects.get().station == station


def test_each_reconciliation_is_audited_with_what_it_found():
    calls(call_row("C1", 0))

    event = AuditEvent.objects.filter(action="recordings_reconciled").get()
    assert "1 calls checked, 0 matched to a recording; 1 exceptions raised" in event.summary


def test_the_same_files_twice_change_nothing():
    calls(call_row("C1", 0), call_row("C2", 10))
    recorded(recording_row("R1", 0.1, call_id="C1"))
    before = list(RecordingException.objects.values_list("pk", "kind", "closed_at"))

    again = calls(call_row("C1", 0), call_row("C2", 10))
    recorded(recording_row("R1", 0.1, call_id="C1"))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(RecordingException.objects.values_list("pk", "kind", "closed_at")) == before
    assert Recording.objects.count() == 1
