"""A harm review in the browser, with axe on every page at desktop and phone sizes: a long C2 wait comes in
from the CAD, and the operations manager finds it from the overview and completes its review, moderate harm
raising a patient safety concern."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.operations.importers import import_cad_incidents
from candour.operations.models import HarmReview, Hospital, ReviewStatus
from candour.people.roles import Role
from candour.speakup.models import Concern
from tests.operations.test_cad_incidents_import import csv_file, row
from tests.support.factories import AreaFactory, StationFactory


@pytest.fixture
def long_wait(make_user):
    """Ashby station's C2 of yesterday, reached by an ambulance after 70 minutes, and its area's manager."""
    station = StationFactory(
        code="S-ASHBY", name="Ashby Ambulance Station", parent=AreaFactory(name="Calder")
    )
    connected = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    Hospital.objects.create(code="NMG", name="Northmoor General")

    def at(minutes):
        return (connected + dt.timedelta(minutes=minutes)).isoformat()

    result = import_cad_incidents(
        by=None,
        file=csv_file(
            row(
                "INC-7001",
                station="S-ASHBY",
                call_connected=at(0),
                first_assigned=at(1),
                first_on_scene=at(71),
                first_transport_on_scene=at(71),
                arrived_at_hospital=at(100),
                handover_complete=at(130),
                crew_clear=at(140),
            )
        ),
    )
    assert result.ok, result.errors
    return make_user(Role.OPERATIONS_MANAGER, station.parent)


def test_given_a_long_wait_when_the_operations_manager_completes_its_review_then_harm_is_raised(
    journey, long_wait
):
    page = journey.page

    # given_the_manager_sees_a_long_wait_awaiting_review_on_the_overview
    journey.sign_in(long_wait.email)
    journey.visit("/operations/")
    journey.click_link("1 long wait awaiting review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harm reviews of long waits")
    journey.click_link("INC-7001")

    # when_they_read_the_timeline_and_send_the_form_without_a_grade_they_are_told_what_is_missing
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident INC-7001")
    timeline = page.locator("[data-timeline-event]")
    expect(timeline).to_have_count(7)
    expect(timeline.first).to_contain_text("Call connected")
    page.get_by_label("What happened to the patient").fill("Admitted with a stroke")
    journey.press_button("Complete the review")
    expect(page.get_by_role("link", name="Select the harm the wait caused")).to_be_visible()

    # and_they_grade_the_harm_and_record_the_panel_and_the_learning
    page.get_by_label("Moderate harm").check()
    page.get_by_label("The panel's decision").fill("Delay contributed to harm; report as an incident")
    page.get_by_label("Learning").fill("Review how C2 calls are held in high demand")
    journey.press_button("Complete the review")

    # then_the_review_is_complete_and_a_patient_safety_concern_is_raised
    expect(page.get_by_text("patient safety concern", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    concern = Concern.objects.get()
    expect(page.get_by_text(f"Raised as patient safety concern {concern.reference}")).to_be_visible()
    review = HarmReview.objects.get()
    assert (review.status, review.harm_grade, review.reviewer) == (
        ReviewStatus.COMPLETED,
        "moderate",
        long_wait,
    )
