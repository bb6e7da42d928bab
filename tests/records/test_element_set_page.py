"""The clinical audit lead edits the mandatory element sets on a page: each change is a new version in
force from a day, refused with clear words when it cannot be, audited, and done once however often sent."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.records.importers import import_record_index
from candour.records.models import ElementSet, PatientRecord
from candour.records.services import element_set_on
from tests.records.conftest import INDEX, csv_file, problems
from tests.support.factories import make_user

TODAY = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
LINES = "news2: NEWS2 score\nframe_score: Clinical frailty score\n\npain_score: Pain score"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def lead(records_trust):
    return make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust)


def _publish_url() -> str:
    first = ElementSet.objects.get(record_type="patient_care_record", version=1)
    return reverse("records:publish_element_set", kwargs={"element_set_id": first.public_id})


def _form(lines=LINES, day=dt.date(2027, 1, 1), **extra) -> dict:
    return {
        "elements": lines,
        "effective_from_day": str(day.day),
        "effective_from_month": str(day.month),
        "effective_from_year": str(day.year),
        **extra,
    }


def test_the_form_starts_from_the_version_it_follows(client, lead):
    client.force_login(lead)

    page = client.get(_publish_url()).content.decode()

    assert "observations_two_sets: Two sets of observations" in page
    assert "nhs_number_or_reason: NHS number, or a reason why not" in page


def test_the_lead_publishes_a_new_version_in_force_from_its_day_and_it_is_audited(client, lead):
    client.force_login(lead)

    response = client.post(_publish_url(), _form())

    assert response.status_code == 302 and response["Location"] == reverse("records:list_element_sets")
    made = ElementSet.objects.get(version=2)
    assert made.codes == ["news2", "frame_score", "pain_score"] and made.published_by == lead
    assert made.elements[1]["label"] == "Clinical frailty score"
    assert element_set_on("patient_care_record", dt.date(2026, 12, 31)).version == 1
    assert element_set_on("patient_care_record", dt.date(2027, 1, 1)).version == 2
    event = AuditEvent.objects.get(action="published_element_set")
    assert event.actor == lead and event.changes["version"] == 2
    listed = client.get(reverse("records:list_element_sets")).content.decode()
    assert "Version 2, in force from 01/01/2027" in listed and "Not yet in force" in listed


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (_form(lines="news2 NEWS2 score"), "Line 1 is not an element"),
        (_form(lines="News 2: NEWS2"), "lower-case letters"),
        (_form(lines="news2: A\nnews2: B"), "Each element appears once"),
        (_form(lines=""), "Enter mandatory elements"),
        (_form(day=dt.date(1999, 1, 1)), "starts on or after"),
        ({"elements": LINES, "effective_from_day": "31", "effective_from_month": "2"}, "year"),
    ],
)
def test_a_version_that_cannot_be_published_is_shown_again_with_why_and_nothing_is_written(
    client, lead, form, message
):
    client.force_login(lead)

    response = client.post(_publish_url(), form)

    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page and message in page
    assert ElementSet.objects.count() == 1
    assert not AuditEvent.objects.filter(action="published_element_set").exists()


def test_a_version_may_not_start_on_a_day_whose_records_are_already_measured(client, lead, records_trust):
    row = "R1,INC-1,,draft,2026-11-20T10:00,,P100,NTH,electronic,,news2,,"
    assert import_record_index(by=None, file=csv_file(INDEX, row)).ok
    client.force_login(lead)

    response = client.post(_publish_url(), _form(day=dt.date(2026, 11, 1)))

    assert "already measured against the version in force then, the last on 20/11/2026" in (
        response.content.decode()
    )
    assert ElementSet.objects.count() == 1
    assert PatientRecord.objects.get(record_id="R1").completeness["news2"] is True


def test_records_made_before_a_new_version_keep_their_judgement_and_later_ones_meet_the_new_set(
    client, lead, records_trust
):
    before = "R1,INC-1,,final,2026-12-01T10:00,2026-12-01T11:00,P100,NTH,electronic,,news2;pain_score,,"
    assert import_record_index(by=None, file=csv_file(INDEX, before)).ok
    client.force_login(lead)
    client.post(_publish_url(), _form(day=dt.date(2026, 12, 3)))

    after = "R2,INC-2,,final,2026-12-03T10:00,2026-12-03T11:00,P100,NTH,electronic,,"
    after += "news2;frame_score;pain_score,,"
    again = import_record_index(by=None, file=csv_file(INDEX, before, after))

    assert again.ok, problems(again)
    kept = PatientRecord.objects.get(record_id="R1")
    assert len(kept.completeness) == 9 and not kept.complete
    assert PatientRecord.objects.get(record_id="R2").complete


def test_the_same_form_sent_twice_publishes_once(client, lead):
    client.force_login(lead)
    form = _form(submission="0123456789abcdef0123456789abcdef")

    first = client.post(_publish_url(), form)
    again = client.post(_publish_url(), form)

    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert ElementSet.objects.count() == 2


def test_others_who_see_records_read_the_sets_but_may_not_publish(client, records_trust):
    quality = make_user(Role.QUALITY_LEAD, records_trust.trust)
    client.force_login(quality)

    listed = client.get(reverse("records:list_element_sets"))

    assert listed.status_code == 200 and "Two sets of observations" in listed.content.decode()
    assert "Publish a new version" not in listed.content.decode()
    assert client.get(_publish_url()).status_code == 403
    assert client.post(_publish_url(), _form()).status_code == 403
    client.force_login(make_user(Role.STAFF, records_trust.north))
    assert client.get(reverse("records:list_element_sets")).status_code == 403


def test_a_lead_for_part_of_the_trust_only_may_not_publish(client, records_trust):
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.north))

    assert client.get(_publish_url()).status_code == 403
    assert ElementSet.objects.count() == 1
