"""Access monitoring: each rule raises an alert when it should and not when it should not, each can be
turned off, and importing the access log again raises nothing new."""

import datetime as dt

import pytest

from candour.core.models import AuditEvent
from candour.records.importers import import_record_access, import_record_index
from candour.records.models import AccessAlert, AlertRule, RecordAccess
from tests.records.conftest import csv_file, problems

INDEX = (
    "record_id,incident_reference,record_type,status,created_at,finalised_at,authors,station,medium,provider,"
    "elements_present,patient_staff_number,nhs_number"
)
HEADER = "staff_number,record_reference,accessed_at,action,location"


@pytest.fixture
def indexed(records_trust):
    """R1 written by P100 and P101; R2 written by P100, whose patient is the clerk C200."""
    rows = (
        "R1,INC-1,,final,2026-11-01T10:00,2026-11-01T11:30,P100;P101,NTH,electronic,,,,",
        "R2,INC-2,,final,2026-11-01T12:00,2026-11-01T13:00,P100,NTH,electronic,,,C200,",
    )
    assert import_record_index(by=None, file=csv_file(INDEX, *rows)).ok
    return records_trust


def rules_raised(*rows: str) -> set[tuple[str, str]]:
    result = import_record_access(by=None, file=csv_file(HEADER, *rows))
    assert result.ok, problems(result)
    return set(AccessAlert.objects.values_list("rule", "staff_number"))


# Opening a record one did not write, while not in a clinical job role


def test_a_clerk_opening_a_record_they_did_not_write_is_flagged(indexed):
    assert rules_raised("C200,R1,2026-11-02T10:00,view,Records office PC") == {(AlertRule.NOT_AUTHOR, "C200")}


def test_a_clinician_opening_a_colleagues_record_is_not_flagged(indexed):
    assert rules_raised("P101,R2,2026-11-02T10:00,view,NTH tablet") == set()


def test_an_author_opening_their_own_record_is_not_flagged(indexed):
    assert rules_raised("P101,R1,2026-11-02T03:00,amend,NTH tablet") == set()


def test_the_not_author_rule_can_be_turned_off(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    assert rules_raised("C200,R1,2026-11-02T10:00,view,Records office PC") == set()


# Opening one's own record as a patient


def test_opening_the_record_whose_patient_is_oneself_is_flagged(indexed):
    raised = rules_raised("C200,R2,2026-11-02T10:00,view,Records office PC")
    assert (AlertRule.OWN_RECORD, "C200") in raised


def test_opening_a_record_whose_patient_is_someone_else_is_not_flagged_as_ones_own(indexed):
    raised = rules_raised("C200,R1,2026-11-02T10:00,view,Records office PC")
    assert (AlertRule.OWN_RECORD, "C200") not in raised


def test_the_own_record_rule_can_be_turned_off(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_OWN_RECORD = False
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    assert rules_raised("C200,R2,2026-11-02T10:00,view,Records office PC") == set()


# Out of usual hours, while not in a clinical job role


def test_a_clerk_opening_a_record_at_night_is_flagged(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    assert rules_raised("C200,R1,2026-11-02T23:30,view,Home") == {(AlertRule.OUT_OF_HOURS, "C200")}


def test_a_clerk_opening_a_record_in_usual_hours_is_not_flagged(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    assert rules_raised("C200,R1,2026-11-02T18:59,view,Records office PC") == set()


def test_usual_hours_are_uk_time(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    # 06:30 UTC in July is 07:30 in London: within usual hours.
    assert rules_raised("C200,R1,2026-07-02T06:30+00:00,view,Records office PC") == set()


def test_a_clinician_opening_a_record_at_night_is_not_flagged(indexed):
    assert rules_raised("P100,R1,2026-11-02T03:00,view,NTH tablet") == set()


def test_the_out_of_hours_rule_can_be_turned_off(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR = False
    settings.CANDOUR_RECORDS_ALERT_OUT_OF_HOURS = False
    assert rules_raised("C200,R1,2026-11-02T23:30,view,Home") == set()


# Bulk access


def _opens(staff: str, count: int, start: dt.datetime) -> list[str]:
    return [
        f"{staff},B{n},{(start + dt.timedelta(seconds=30 * n)).isoformat()},view,NTH tablet"
        for n in range(count)
    ]


def test_opening_more_than_the_limit_of_records_in_an_hour_is_flagged_once(indexed, settings):
    settings.CANDOUR_RECORDS_BULK_PER_HOUR = 5

    raised = rules_raised(*_opens("P100", 6, dt.datetime(2026, 11, 2, 10, 0)))

    assert raised == {(AlertRule.BULK, "P100")}
    alert = AccessAlert.objects.get()
    assert alert.access_count == 6 and alert.unit == indexed.north


def test_opening_the_limit_of_records_in_an_hour_is_not_flagged(indexed, settings):
    settings.CANDOUR_RECORDS_BULK_PER_HOUR = 5
    assert rules_raised(*_opens("P100", 5, dt.datetime(2026, 11, 2, 10, 0))) == set()


def test_opening_one_record_many_times_is_not_bulk_access(indexed, settings):
    settings.CANDOUR_RECORDS_BULK_PER_HOUR = 2
    rows = [f"P100,R1,2026-11-02T10:0{n},view,NTH tablet" for n in range(5)]
    assert rules_raised(*rows) == set()


def test_bulk_access_counts_rows_already_imported_in_the_same_hour(indexed, settings):
    settings.CANDOUR_RECORDS_BULK_PER_HOUR = 5
    opens = _opens("P100", 6, dt.datetime(2026, 11, 2, 10, 0))
    rules_raised(*opens[:3])

    assert rules_raised(*opens[3:]) == {(AlertRule.BULK, "P100")}


def test_the_bulk_rule_can_be_turned_off(indexed, settings):
    settings.CANDOUR_RECORDS_BULK_PER_HOUR = 5
    settings.CANDOUR_RECORDS_ALERT_BULK = False
    assert rules_raised(*_opens("P100", 6, dt.datetime(2026, 11, 2, 10, 0))) == set()


# Printing or exporting


def test_printing_or_exporting_a_record_is_flagged(indexed):
    raised = rules_raised("P100,R1,2026-11-02T10:00,print,NTH printer", "P101,R1,2026-11-02T10:05,export,NTH")
    assert raised == {(AlertRule.PRINT_EXPORT, "P100"), (AlertRule.PRINT_EXPORT, "P101")}


def test_viewing_or_amending_a_record_is_not_flagged_as_printing(indexed):
    assert rules_raised("P100,R1,2026-11-02T10:00,view,NTH", "P101,R1,2026-11-02T10:05,amend,NTH") == set()


def test_the_print_and_export_rule_can_be_turned_off(indexed, settings):
    settings.CANDOUR_RECORDS_ALERT_PRINT_EXPORT = False
    assert rules_raised("P100,R1,2026-11-02T10:00,print,NTH printer") == set()


# The feed itself


def test_the_same_access_log_twice_raises_nothing_new(indexed):
    rows = ("C200,R1,2026-11-02T10:00,print,Records office PC",)
    rules_raised(*rows)
    first = set(AccessAlert.objects.values_list("public_id", flat=True))

    again = import_record_access(by=None, file=csv_file(HEADER, *rows))

    assert (again.created, again.unchanged) == (0, 1)
    assert set(AccessAlert.objects.values_list("public_id", flat=True)) == first
    assert AuditEvent.objects.filter(action="raised_access_alerts").count() == 1


def test_access_to_a_record_not_in_the_index_is_kept_and_judged_by_the_rules_that_need_no_record(indexed):
    raised = rules_raised("C200,R404,2026-11-02T23:30,print,Home")
    assert raised == {(AlertRule.OUT_OF_HOURS, "C200"), (AlertRule.PRINT_EXPORT, "C200")}
    assert RecordAccess.objects.filter(record_reference="R404").exists()


def test_bad_access_rows_are_named_by_line_and_nothing_is_written(indexed):
    rows = ("C200,R1,2026-11-02T10:00,print,Records office PC", "C200,R1,2026-11-02 10:00,delete,")

    result = import_record_access(by=None, file=csv_file(HEADER, *rows))

    assert problems(result) == [
        "Line 3, action: 'delete' is not an access action: one of view, print, export, amend"
    ]
    assert not RecordAccess.objects.exists() and not AccessAlert.objects.exists()
