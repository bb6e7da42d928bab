"""Paper records' custody events: each step once per record, a step dated before an earlier step named as
out of order (in the file, or against steps already imported), all or nothing, and idempotent."""

from candour.records.importers import import_custody_events
from candour.records.models import CustodyEvent, CustodyStep
from tests.records.conftest import csv_file, problems

HEADER = "record_reference,event,by_staff_number,occurred_at"
GOOD = (
    "R2,completed_on_scene,P100,2026-11-02T23:00",
    "R2,placed_in_station_box,P100,2026-11-03T01:00",
    "R2,collected,D300,2026-11-03T09:00",
    "R2,received_at_records_office,C200,2026-11-03T14:00",
)


def test_good_custody_events_make_the_records_chain(records_trust):
    result = import_custody_events(by=None, file=csv_file(HEADER, *GOOD))

    assert (result.ok, result.created) == (True, 4)
    assert list(CustodyEvent.objects.filter(record_reference="R2").values_list("step", flat=True)) == [
        CustodyStep.COMPLETED_ON_SCENE,
        CustodyStep.PLACED_IN_STATION_BOX,
        CustodyStep.COLLECTED,
        CustodyStep.RECEIVED_AT_RECORDS_OFFICE,
    ]


def test_a_step_before_an_earlier_step_in_the_file_is_named_as_out_of_order(records_trust):
    rows = (*GOOD[:3], "R2,received_at_records_office,C200,2026-11-03T08:00")

    result = import_custody_events(by=None, file=csv_file(HEADER, *rows))

    assert problems(result) == [
        "Line 5, occurred_at: out of order: record 'R2' was received at records office at 03/11/2026 08:00, "
        "before it was collected at 03/11/2026 09:00 (line 4)"
    ]
    assert not CustodyEvent.objects.exists()


def test_a_step_before_one_already_imported_is_named_as_out_of_order(records_trust):
    import_custody_events(by=None, file=csv_file(HEADER, *GOOD))

    result = import_custody_events(by=None, file=csv_file(HEADER, "R2,scanned,C200,2026-11-03T13:00"))

    assert problems(result) == [
        "Line 2, occurred_at: out of order: record 'R2' was scanned at 03/11/2026 13:00, before it was "
        "received at records office at 03/11/2026 14:00 (already imported)"
    ]
    assert not CustodyEvent.objects.filter(step=CustodyStep.SCANNED).exists()


def test_bad_custody_rows_are_named_by_line(records_trust):
    rows = (
        "R2,posted,P100,2026-11-02T23:00",
        "R2,collected,,2026-11-03T09:00",
        "R2,collected,P1,2126-01-01T10:00",
    )

    result = import_custody_events(by=None, file=csv_file(HEADER, *rows))

    assert problems(result) == [
        "Line 2, event: 'posted' is not a custody event: one of completed_on_scene, placed_in_station_box, "
        "collected, received_at_records_office, scanned, verified, destroyed_after_scanning",
        "Line 3, by_staff_number: a value is required",
        "Line 4, occurred_at: '2126-01-01T10:00' is in the future",
    ]


def test_the_same_custody_file_twice_changes_nothing_and_a_corrected_time_changes_one_row(records_trust):
    import_custody_events(by=None, file=csv_file(HEADER, *GOOD))

    again = import_custody_events(by=None, file=csv_file(HEADER, *GOOD))
    corrected = import_custody_events(
        by=None, file=csv_file(HEADER, *GOOD[:3], "R2,received_at_records_office,C200,2026-11-03T15:30")
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 3)
