"""Paper records' custody limits, in time: a record not received at the records office within its limit,
or not scanned within its limit once there, is an exception until it is; a lost record raises an
information governance concern through speak-up."""

import datetime as dt

import pytest
import time_machine

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.roles import Role
from candour.records import queries, services
from candour.records.importers import import_custody_events, import_record_index
from candour.records.models import PatientRecord
from candour.speakup.models import Concern, Kind
from tests.records.conftest import csv_file
from tests.support.factories import make_user

INDEX = (
    "record_id,incident_reference,record_type,status,created_at,finalised_at,authors,station,medium,provider,"
    "elements_present,patient_staff_number,nhs_number"
)
CUSTODY = "record_reference,event,by_staff_number,occurred_at"
COMPLETED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def paper(records_trust):
    """Paper record P1 completed on scene at 10:00 on 2 November; electronic record E1 the same day."""
    with time_machine.travel(COMPLETED + dt.timedelta(hours=1), tick=False):
        rows = (
            "P1,INC-1,,final,2026-11-02T10:00+00:00,2026-11-02T10:30+00:00,P100,NTH,paper,,,,",
            "E1,INC-2,,final,2026-11-02T10:00+00:00,2026-11-02T10:30+00:00,P100,NTH,electronic,,,,",
        )
        assert import_record_index(by=None, file=csv_file(INDEX, *rows)).ok
        assert import_custody_events(
            by=None, file=csv_file(CUSTODY, "P1,completed_on_scene,P100,2026-11-02T10:00+00:00")
        ).ok
    return records_trust


@pytest.fixture
def lead(records_trust):
    return make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust)


def exceptions_at(user, moment: dt.datetime, **kwargs):
    with time_machine.travel(moment, tick=False):
        return [(each.record.record_id, each.kind) for each in queries.custody_exceptions(user, **kwargs)]


def test_a_paper_record_is_not_an_exception_within_its_days_to_reach_the_records_office(paper, lead):
    assert exceptions_at(lead, COMPLETED + dt.timedelta(days=3) - dt.timedelta(minutes=1)) == []


def test_a_paper_record_not_received_after_its_days_is_an_exception(paper, lead):
    assert exceptions_at(lead, COMPLETED + dt.timedelta(days=3, minutes=1)) == [("P1", queries.NOT_RECEIVED)]


def test_the_days_to_reach_the_records_office_are_a_setting(paper, lead, settings):
    settings.CANDOUR_RECORDS_RECEIVED_WITHIN_DAYS = 5
    assert exceptions_at(lead, COMPLETED + dt.timedelta(days=4)) == []


def test_a_record_received_in_time_is_then_due_to_be_scanned(paper, lead):
    received = COMPLETED + dt.timedelta(days=1)
    with time_machine.travel(received + dt.timedelta(hours=1), tick=False):
        assert import_custody_events(
            by=None, file=csv_file(CUSTODY, f"P1,received_at_records_office,C200,{received.isoformat()}")
        ).ok

    assert exceptions_at(lead, received + dt.timedelta(days=2) - dt.timedelta(minutes=1)) == []
    assert exceptions_at(lead, received + dt.timedelta(days=2, minutes=1)) == [("P1", queries.NOT_SCANNED)]
    assert exceptions_at(lead, received + dt.timedelta(days=3), kind=queries.NOT_RECEIVED) == []


def test_a_scanned_record_is_no_longer_an_exception(paper, lead):
    with time_machine.travel(COMPLETED + dt.timedelta(days=2), tick=False):
        rows = (
            "P1,received_at_records_office,C200,2026-11-03T10:00+00:00",
            "P1,scanned,C200,2026-11-03T15:00+00:00",
        )
        assert import_custody_events(by=None, file=csv_file(CUSTODY, *rows)).ok

    assert exceptions_at(lead, COMPLETED + dt.timedelta(days=30)) == []


def test_an_electronic_record_has_no_custody_exceptions(paper, lead):
    assert "E1" not in {record for record, _ in exceptions_at(lead, COMPLETED + dt.timedelta(days=30))}


def test_custody_exceptions_are_only_those_in_the_readers_scope(paper):
    elsewhere = make_user(Role.CLINICAL_AUDIT_LEAD)
    assert exceptions_at(elsewhere, COMPLETED + dt.timedelta(days=30)) == []


def test_marking_a_paper_record_lost_raises_a_patient_safety_concern_naming_no_patient(paper, lead):
    record = PatientRecord.objects.get(record_id="P1")

    with time_machine.travel(COMPLETED + dt.timedelta(days=5), tick=False):
        lost = services.mark_lost(
            by=lead, record=record, circumstances="Not in the NTH station box; crew asked."
        )

    concern = Concern.objects.get(reference=lost.lost_concern_reference)
    assert concern.kind == Kind.PATIENT_SAFETY and concern.station == paper.north
    assert "P1" in concern.narrative and "completed on scene on 02/11/2026" in concern.narrative
    assert lost.lost_by == lead
    assert AuditEvent.objects.filter(action="marked_record_lost", object_id=str(record.public_id)).exists()
    assert exceptions_at(lead, COMPLETED + dt.timedelta(days=30)) == []


def test_a_record_is_marked_lost_only_once(paper, lead):
    record = PatientRecord.objects.get(record_id="P1")
    services.mark_lost(by=lead, record=record, circumstances="Not in the station box.")

    with pytest.raises(Refused, match="already marked lost"):
        services.mark_lost(by=lead, record=record, circumstances="Again.")
    assert Concern.objects.count() == 1


def test_an_electronic_record_cannot_be_marked_lost(paper, lead):
    with pytest.raises(Refused, match="Only a paper record"):
        services.mark_lost(by=lead, record=PatientRecord.objects.get(record_id="E1"), circumstances="Gone")
    assert not Concern.objects.exists()


def test_marking_lost_needs_the_circumstances(paper, lead):
    with pytest.raises(Refused, match="last seen"):
        services.mark_lost(by=lead, record=PatientRecord.objects.get(record_id="P1"), circumstances="  ")
    assert PatientRecord.objects.get(record_id="P1").lost_at is None


def test_seeing_the_nhs_number_is_audited(records_trust):
    row = "N1,INC-9,,final,2026-11-01T10:00,2026-11-01T11:30,P100,NTH,electronic,,,,9434765919"
    import_record_index(by=None, file=csv_file(INDEX, row))
    guardian = make_user(Role.INFORMATION_GOVERNANCE_LEAD, records_trust.trust)
    record = PatientRecord.objects.get()

    assert services.reveal_nhs_number(by=guardian, record=record) == "9434765919"

    event = AuditEvent.objects.get(action="viewed_nhs_number")
    assert event.actor == guardian and event.object_id == str(record.public_id)
