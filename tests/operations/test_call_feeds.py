"""The call log and recorder index feeds: bad rows named by line with nothing written, a file of another
feed recognised from its header, and both feeds offered to other systems through the API."""

import io

import pytest
from django.core.management import CommandError, call_command

from candour.core.importing import feeds
from candour.operations.call_importers import import_call_log, import_recorder_index
from candour.operations.models import CadCall, Recording, RecordingException

pytestmark = pytest.mark.django_db

CALL_COLUMNS = "call_id,line,connected,answered,ended,channel,call_handler,position"
RECORDER_COLUMNS = "recording_id,started,duration_seconds,channel,position,call_id"
GOOD_CALL = (
    "C1,999-1,2026-03-02T22:00:00+00:00,2026-03-02T22:00:05+00:00,2026-03-02T22:05:00+00:00,voice,100234,P7"
)


def csv_file(header, *rows):
    upload = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    upload.name = "feed.csv"
    return upload


def problems(result):
    return [(error.line, error.column, error.reason) for error in result.errors]


def test_a_call_answered_before_it_connected_or_on_an_unknown_channel_is_named_and_nothing_is_written():
    result = import_call_log(
        by=None,
        file=csv_file(
            CALL_COLUMNS,
            GOOD_CALL,
            "C2,999-1,2026-03-02T22:10:00+00:00,2026-03-02T22:09:00+00:00,,voice,100234,P7",
            "C3,999-1,2026-03-02T22:20:00+00:00,,2026-03-02T22:21:00+00:00,fax,100234,P7",
        ),
    )

    assert problems(result) == [
        (3, "answered", "answered before the call connected"),
        (4, "channel", "'fax' is not one of voice, text, bsl_video"),
    ]
    assert not CadCall.objects.exists() and not RecordingException.objects.exists()


def test_a_recording_with_a_length_that_is_not_whole_seconds_is_named_and_nothing_is_written():
    result = import_recorder_index(
        by=None,
        file=csv_file(
            RECORDER_COLUMNS,
            "R1,2026-03-02T22:00:05+00:00,300,voice,P7,C1",
            "R2,yesterday,12.5,voice,P7,",
            "R3,2026-03-02T23:00:00+00:00,60,voice,P7,C1",
        ),
    )

    assert [(line, column) for line, column, _ in problems(result)] == [
        (3, "started"),
        (3, "duration_seconds"),
    ]
    assert not Recording.objects.exists()


def test_a_recorder_file_sent_as_the_call_log_is_recognised_from_its_header_and_refused():
    result = import_call_log(
        by=None, file=csv_file(RECORDER_COLUMNS, "R1,2026-03-02T22:00:05+00:00,300,voice,P7,C1")
    )

    assert len(result.errors) == 1
    assert "this is a Recorder index file" in result.errors[0].reason
    assert not CadCall.objects.exists() and not Recording.objects.exists()


def test_the_cad_feeds_are_offered_to_other_systems():
    offered = {feed.key: feed.columns for feed in feeds.all_feeds()}

    assert offered["cad_call_log"] == tuple(CALL_COLUMNS.split(","))
    assert offered["recorder_index"] == tuple(RECORDER_COLUMNS.split(","))
    assert "incident_id" in offered["cad_incidents"]


def test_a_call_that_ends_before_it_was_answered_is_named():
    result = import_call_log(
        by=None,
        file=csv_file(
            CALL_COLUMNS,
            "C2,999-1,2026-03-02T22:10:00+00:00,2026-03-02T22:11:00+00:00,2026-03-02T22:10:30+00:00,voice,1,P7",
        ),
    )

    assert problems(result) == [(2, "ended", "ended before the call was answered or connected")]


def test_the_commands_import_the_files_and_name_bad_rows(tmp_path):
    good = tmp_path / "calls.csv"
    good.write_text(f"{CALL_COLUMNS}\n{GOOD_CALL}\n")
    bad = tmp_path / "recordings.csv"
    bad.write_text(f"{RECORDER_COLUMNS}\nR1,not a time,300,voice,P7,C1\n")

    call_command("import_call_log", str(good), stdout=io.StringIO())
    with pytest.raises(CommandError, match="1 problem in"):
        call_command("import_recorder_index", str(bad), stdout=io.StringIO(), stderr=io.StringIO())

    assert CadCall.objects.count() == 1 and not Recording.objects.exists()
