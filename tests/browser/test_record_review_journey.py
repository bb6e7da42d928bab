"""A record review from sending to acknowledgement, in the browser with axe on every page: the clinical
audit lead sends a record's author a review of what it was missing (first getting the form's errors); the
paramedic sees it on their home page and acknowledges it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.people.roles import Role
from candour.records.models import Medium, PatientRecord, RecordAuthor
from candour.records.reference import ensure_default_element_set
from tests.support.factories import AreaFactory, StationFactory

WHY = "Without a pain score after analgesia the hospital cannot tell whether it worked."


@pytest.fixture
def people(make_user):
    from candour.records.models import ElementSet

    ensure_default_element_set(ElementSet)
    area = AreaFactory(name="Calder Vale")
    station = StationFactory(name="Ashby Ambulance Station", parent=area)
    lead = make_user(Role.CLINICAL_AUDIT_LEAD, area.parent)
    paramedic = make_user(Role.STAFF, station)
    started = timezone.now() - dt.timedelta(days=3)
    record = PatientRecord.objects.create(
        record_id="EPCR-7001",
        incident_reference="INC-7001",
        status="final",
        started_at=started,
        finalised_at=started,
        authors=[paramedic.person.staff_number],
        station=station,
        medium=Medium.ELECTRONIC,
        completeness={"news2": True, "pain_score": False},
    )
    RecordAuthor.objects.create(record_reference=record.record_id, staff_number=paramedic.person.staff_number)
    return lead, paramedic, record


def test_given_an_audit_lead_sends_a_review_when_the_paramedic_acknowledges_it_then_it_is_acknowledged(
    journey, people
):
    lead, paramedic, record = people
    page = journey.page

    # given_the_clinical_audit_lead_sends_the_author_a_review_from_the_records_page
    journey.sign_in(lead.email)
    journey.visit(f"/records/{record.public_id}/")
    journey.click_link("Send an author a review of what was missing")
    journey.press_button("Send the review")
    expect(page.get_by_role("link", name="Select who the review is for")).to_be_visible()
    page.get_by_label(paramedic.person.full_name, exact=False).check()
    page.get_by_label("Pain score").check()
    journey.fill("Why it matters", WHY)
    journey.press_button("Send the review")
    expect(page.get_by_text(f"Review sent to {paramedic.person.full_name}")).to_be_visible()
    expect(page.get_by_text("Not yet acknowledged")).to_be_visible()
    journey.press_button("Sign out")

    # when_the_paramedic_sees_it_on_their_home_page_and_acknowledges_it
    journey.sign_in(paramedic.email)
    expect(page.get_by_role("link", name="Record reviews to acknowledge")).to_be_visible()
    journey.click_link("Record reviews to acknowledge")
    expect(page.get_by_role("heading", level=1)).to_have_text("My record reviews")
    expect(page.get_by_text(WHY)).to_be_visible()
    journey.press_button("Acknowledge the review of record EPCR-7001")

    # then_it_is_acknowledged_and_no_longer_waits
    expect(page.get_by_text("Review of record EPCR-7001 acknowledged")).to_be_visible()
    expect(page.get_by_text("No review is waiting for you.")).to_be_visible()
    expect(page.get_by_role("heading", name="Acknowledged")).to_be_visible()
