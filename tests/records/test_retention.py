"""Retention: what has passed its period is deleted or anonymised by the nightly job, what has not stays,
and the completeness figures of a past month read the same afterwards. The job is audited with counts only."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from candour.core.models import AuditEvent
from candour.core.scheduling import registered_jobs
from candour.people.roles import Role
from candour.records import queries, services
from candour.records.importers import import_custody_events, import_record_access, import_record_index
from candour.records.models import AccessAlert, AlertStatus, CustodyEvent, PatientRecord, RecordAccess
from candour.records.services.retention import apply_retention
from candour.records.tasks import apply_retention as retention_task
from tests.records.conftest import csv_file, problems
from tests.support.factories import make_user

INDEX = (
    "record_id,incident_reference,record_type,status,created_at,finalised_at,authors,station,medium,provider,"
    "elements_present,patient_staff_number,nhs_number"
)
ACCESS = "staff_number,record_reference,accessed_at,action,location"
CUSTODY = "record_reference,event,by_staff_number,occurred_at"
ALL = "observations_two_sets;news2;pain_score;safeguarding_question;capacity_consent;medicines_given;" + (
    "conveyance_decision;handover_time;nhs_number_or_reason"
)
NO_PAIN = ALL.replace("pain_score;", "")
SHORT_PERIODS = override_settings(
    CANDOUR_RECORDS_KEEP_ACCESS_LOG_DAYS=365,
    CANDOUR_RECORDS_KEEP_REVIEWED_ALERTS_DAYS=365,
    CANDOUR_RECORDS_KEEP_CUSTODY_EVENTS_DAYS=365,
    CANDOUR_RECORDS_KEEP_IDENTIFIERS_DAYS=365,
)
# A year and a bit after November 2026: its rows are past a year's period, December 2026's are not.
LATER = dt.datetime(2027, 11, 20, 2, 30, tzinfo=dt.UTC)


def _imported(importer, header, *rows):
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC), tick=False):
        result = importer(by=None, file=csv_file(header, *rows))
    assert result.ok, problems(result)


@pytest.fixture
def held(records_trust):
    """November 2026: 6 complete and 6 incomplete records at North, each with an NHS number, R1 with a
    patient who is staff and a paper chain; December 2026: R9. Access to R1 and R9 by the clerk, whose
    November alert is reviewed and whose December one is open."""
    rows = [
        f"N{n},INC-{n},,final,2026-11-{5 + n:02d}T10:00,2026-11-{5 + n:02d}T12:00,P100,NTH,electronic,,"
        f"{ALL if n < 6 else NO_PAIN},,9434765919"
        for n in range(12)
    ]
    rows.append("R1,INC-R1,,final,2026-11-02T10:00,2026-11-02T12:00,P100,NTH,paper,,,P101,9434765919")
    rows.append("R9,INC-R9,,final,2026-12-02T10:00,2026-12-02T12:00,P100,NTH,electronic,,,,9434765919")
    _imported(import_record_index, INDEX, *rows)
    _imported(
        import_custody_events,
        CUSTODY,
        "R1,completed_on_scene,P100,2026-11-02T10:00",
        "R1,placed_in_station_box,P100,2026-11-02T14:00",
        "R1,received_at_records_office,C200,2026-11-04T09:00",
        "R1,scanned,C200,2026-11-05T09:00",
    )
    _imported(
        import_record_access,
        ACCESS,
        "C200,R1,2026-11-10T10:00,view,Records office PC",
        "C200,R9,2026-12-10T10:00,view,Records office PC",
        "P100,N1,2026-11-06T10:00,view,NTH tablet",
    )
    lead = make_user(Role.INFORMATION_GOVERNANCE_LEAD, records_trust.trust)
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC), tick=False):
        services.review_alert(
            by=lead,
            alert=AccessAlert.objects.get(record_reference="R1"),
            justified=True,
            note="Scanning the record",
        )
    return records_trust


def test_the_access_log_rows_past_their_period_are_deleted_and_newer_ones_kept(held):
    with SHORT_PERIODS:
        retired = apply_retention(now=LATER)
    assert retired.access_rows_deleted == 2
    assert list(RecordAccess.objects.values_list("record_reference", flat=True)) == ["R9"]


def test_nhs_numbers_and_patient_staff_numbers_are_removed_from_records_past_their_period(held):
    with SHORT_PERIODS:
        retired = apply_retention(now=LATER)
    assert retired.records_anonymised == 13
    record = PatientRecord.objects.get(record_id="R1")
    assert (record.nhs_number, record.patient_staff_number) == ("", "")
    assert PatientRecord.objects.get(record_id="R9").nhs_number == "9434765919"
    assert PatientRecord.objects.count() == 14


def test_a_reviewed_alert_past_its_period_is_deleted_and_an_open_one_is_kept(held):
    with SHORT_PERIODS, time_machine.travel(dt.datetime(2028, 1, 1, tzinfo=dt.UTC), tick=False):
        retired = apply_retention()
    assert retired.alerts_deleted == 1
    assert list(AccessAlert.objects.values_list("record_reference", "status")) == [("R9", AlertStatus.OPEN)]


def test_a_reviewed_alert_is_kept_for_its_period_from_the_review(held):
    with SHORT_PERIODS:
        retired = apply_retention(now=dt.datetime(2027, 12, 1, tzinfo=dt.UTC))
    assert retired.alerts_deleted == 0
    assert AccessAlert.objects.filter(status=AlertStatus.JUSTIFIED).exists()


def test_old_custody_steps_are_deleted_but_the_furthest_step_stays_so_no_exception_appears(held):
    lead = make_user(Role.INFORMATION_GOVERNANCE_LEAD, held.trust)
    with SHORT_PERIODS:
        retired = apply_retention(now=LATER)
    assert retired.custody_steps_deleted == 3
    assert [event.get_step_display() for event in CustodyEvent.objects.all()] == ["Scanned"]
    assert queries.custody_exceptions(lead, now=LATER) == []


def test_the_completeness_figures_of_a_past_month_are_the_same_before_and_after(held):
    lead = make_user(Role.CLINICAL_AUDIT_LEAD, held.trust)
    november = queries.completeness(lead, queries.month_starting("2026-11", dt.date(2027, 11, 20)))
    assert november.records == 13 and november.incomplete == 7
    with SHORT_PERIODS:
        assert apply_retention(now=LATER).records_anonymised == 13
    assert queries.completeness(lead, november.month) == november


def test_nothing_is_touched_within_the_default_periods(held):
    retired = apply_retention(now=LATER)
    assert retired.total == 0
    assert RecordAccess.objects.count() == 3
    assert not AuditEvent.objects.filter(action="applied_records_retention").exists()


def test_the_run_is_audited_with_counts_only_and_a_second_run_finds_nothing(held):
    with SHORT_PERIODS:
        apply_retention(now=LATER)
        again = apply_retention(now=LATER)
    event = AuditEvent.objects.get(action="applied_records_retention")
    assert event.changes == {
        "access_rows_deleted": 2,
        "alerts_deleted": 0,
        "custody_steps_deleted": 3,
        "records_anonymised": 13,
    }
    assert "9434765919" not in str(event.changes) + event.summary
    assert again.total == 0


def test_retention_is_a_nightly_scheduled_job(held):
    job = next(job for job in registered_jobs() if job.name == "records.apply_retention")
    assert str(job.schedule).startswith("every day at 02:30")
    with SHORT_PERIODS, time_machine.travel(LATER, tick=False):
        assert retention_task.call() == 18
