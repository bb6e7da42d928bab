"""The record index feed: identifiers and completeness only, every bad row named by line, all or nothing,
and a re-import that changes only what changed."""

import datetime as dt

from django.db import connection

from candour.core.models import AuditEvent
from candour.records.importers import import_record_index
from candour.records.models import PatientRecord, RecordStatus
from candour.records.services import publish_element_set
from tests.records.conftest import csv_file, problems

HEADER = (
    "record_id,incident_reference,record_type,status,created_at,finalised_at,authors,station,medium,provider,"
    "elements_present,patient_staff_number,nhs_number"
)
ALL = "observations_two_sets;news2;pain_score;safeguarding_question;capacity_consent;medicines_given;" + (
    "conveyance_decision;handover_time;nhs_number_or_reason"
)
GOOD = (
    f"R1,INC-1,,final,2026-11-01T10:00,2026-11-01T11:30,P100;P101,NTH,electronic,,{ALL},,9434765919",
    "R2,INC-2,,draft,2026-11-02T22:15,,P100,NTH,paper,,news2;pain_score,,",
    "R3,INC-UNKNOWN,,final,2026-11-03T09:00,2026-11-03T09:40,X900,,electronic,Swift Private Ambulances,,"
    "C200,",
)


def test_a_good_index_is_imported_with_a_completeness_vector_and_no_clinical_content(records_trust):
    result = import_record_index(by=None, file=csv_file(HEADER, *GOOD))

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 3, 0, 0)
    first, second, third = PatientRecord.objects.order_by("record_id")
    assert first.status == RecordStatus.FINAL and first.authors == ["P100", "P101"]
    assert first.station == records_trust.north and all(first.completeness.values())
    assert len(first.completeness) == 9
    assert second.completeness["news2"] and not second.completeness["handover_time"]
    assert second.medium == "paper" and second.finalised_at is None
    assert third.provider == "Swift Private Ambulances" and third.station is None
    assert third.patient_staff_number == "C200"
    assert AuditEvent.objects.filter(action="imported", changes__feed="record index").count() == 1


def test_a_record_whose_incident_is_unknown_is_imported_not_refused(records_trust):
    result = import_record_index(by=None, file=csv_file(HEADER, GOOD[2]))

    assert result.ok
    assert PatientRecord.objects.get(record_id="R3").incident_reference == "INC-UNKNOWN"


def test_the_nhs_number_is_encrypted_at_rest(records_trust):
    import_record_index(by=None, file=csv_file(HEADER, GOOD[0]))

    with connection.cursor() as cursor:
        cursor.execute("SELECT nhs_number FROM records_patientrecord")
        (stored,) = cursor.fetchone()
    assert "9434765919" not in stored and stored.startswith("enc2:")
    assert PatientRecord.objects.get().nhs_number == "9434765919"


def test_bad_rows_are_each_named_by_line_and_nothing_is_written(records_trust):
    rows = (
        GOOD[0],
        "R4,INC-4,,final,2026-11-04T10:00,,P100,NTH,electronic,,,,",
        "R5,INC-5,,final,2026-11-05T10:00,2026-11-05T09:00,P100,NTH,electronic,,,,",
        "R6,INC-6,,closed,2026-11-05T10:00,,P100,ZZZ,fax,,,,",
        "R7,INC-7,,draft,yesterday,,,NTH,paper,,news3,,4380590096",
        "R8,INC-8,,draft,2026-11-05T10:00,,P100,NTH,paper,,news3,,",
        GOOD[0],
    )
    result = import_record_index(by=None, file=csv_file(HEADER, *rows))

    assert not result.ok
    assert problems(result) == [
        "Line 3, finalised_at: a final record has the time it was finalised",
        "Line 4, finalised_at: is before the record was created",
        "Line 5, status: 'closed' is not a record status: one of draft, final, amended",
        "Line 5, station: no station has the code 'ZZZ'",
        "Line 5, medium: 'fax' is not paper or electronic: one of electronic, paper",
        "Line 6, created_at: 'yesterday' is not a date and time written YYYY-MM-DDTHH:MM",
        "Line 6, authors: a value is required",
        "Line 6, nhs_number: '4380590096' is not a valid NHS number (10 digits with a correct check digit)",
        "Line 7, elements_present: 'news3' is not an element of patient_care_record version 1, whose "
        "elements are observations_two_sets, news2, pain_score, safeguarding_question, capacity_consent, "
        "medicines_given, conveyance_decision, handover_time, nhs_number_or_reason",
        "Line 8, record_id: 'R1' is also on line 2",
    ]
    assert not PatientRecord.objects.exists()


def test_the_same_file_twice_changes_nothing(records_trust):
    import_record_index(by=None, file=csv_file(HEADER, *GOOD))

    again = import_record_index(by=None, file=csv_file(HEADER, *GOOD))

    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 3)


def test_a_re_import_changes_only_the_row_that_changed(records_trust):
    import_record_index(by=None, file=csv_file(HEADER, *GOOD))
    before = dict(PatientRecord.objects.values_list("record_id", "updated_at"))
    finalised = (
        "R2,INC-2,,final,2026-11-02T22:15,2026-11-03T01:00,P100,NTH,paper,,news2;pain_score;handover_time,,"
    )

    result = import_record_index(by=None, file=csv_file(HEADER, GOOD[0], finalised, GOOD[2]))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    second = PatientRecord.objects.get(record_id="R2")
    assert second.status == RecordStatus.FINAL and second.completeness["handover_time"]
    after = dict(PatientRecord.objects.values_list("record_id", "updated_at"))
    assert after["R1"] == before["R1"] and after["R3"] == before["R3"] and after["R2"] > before["R2"]


def test_a_record_is_measured_against_the_element_set_in_force_on_its_day(records_trust):
    publish_element_set(
        by=None,
        record_type="patient_care_record",
        elements=[{"code": "news2", "label": "NEWS2"}, {"code": "frailty_score", "label": "Frailty score"}],
        effective_from=dt.date(2026, 11, 2),
    )
    before = "R0,INC-0,,draft,2026-11-01T10:00,,P100,NTH,paper,,news2;pain_score,,"
    after = "R9,INC-9,,draft,2026-11-02T10:00,,P100,NTH,paper,,frailty_score,,"

    result = import_record_index(by=None, file=csv_file(HEADER, before, after))

    assert result.ok, problems(result)
    assert len(PatientRecord.objects.get(record_id="R0").completeness) == 9
    assert PatientRecord.objects.get(record_id="R9").completeness == {"news2": False, "frailty_score": True}
