"""A briefing from publication to acknowledgement, in the browser with axe on every page: an education lead
publishes a briefing to paramedics (first getting the form's errors); a paramedic sees it on their home
page, reads it and acknowledges it; the lead sees the share acknowledged, overall and by area."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from tests.support.factories import AreaFactory, JobRoleFactory, PersonFactory, StationFactory

TITLE = "Recognising child exploitation on scene"


@pytest.fixture
def people(make_user):
    area = AreaFactory(name="Calder Vale")
    station = StationFactory(name="Ashby Ambulance Station", parent=area)
    paramedic_role = JobRoleFactory()
    leader = JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )
    lead = make_user(Role.EDUCATION_LEAD, area.parent, job_role=leader)
    paramedic = make_user(Role.STAFF, station, job_role=paramedic_role)
    colleague = PersonFactory(station=station, job_role=paramedic_role)  # who has not read it yet
    return lead, paramedic, colleague


def test_given_a_lead_publishes_a_briefing_when_a_paramedic_acknowledges_it_then_the_lead_sees_it(
    journey, people
):
    lead, paramedic, colleague = people
    page = journey.page
    deadline = timezone.localdate() + dt.timedelta(days=14)

    # given_an_education_lead_publishes_a_briefing_to_paramedics
    journey.sign_in(lead.email)
    journey.visit("/briefings/")
    journey.press_button("Publish a briefing")
    journey.press_button("Publish briefing")
    expect(page.get_by_role("link", name="Enter a title")).to_be_visible()
    journey.fill("Title", TITLE)
    journey.fill("What staff need to know", "Look for older friends.\nAsk who the child lives with.")
    page.get_by_label("Paramedic", exact=True).check()
    journey.fill("Day", str(deadline.day))
    journey.fill("Month", str(deadline.month))
    journey.fill("Year", str(deadline.year))
    journey.press_button("Publish briefing")
    expect(page.get_by_text("Published to 2 people")).to_be_visible()
    journey.press_button("Sign out")

    # when_a_paramedic_sees_it_on_their_home_page_reads_it_and_acknowledges_it
    journey.sign_in(paramedic.email)
    expect(page.get_by_role("link", name="Briefings to read")).to_be_visible()
    journey.click_link("Briefings to read")
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefings to read")
    journey.click_link(TITLE)
    expect(page.get_by_text("Ask who the child lives with.")).to_be_visible()
    journey.press_button("I have read and understood this")
    expect(page.get_by_text("You confirmed you read and understood this briefing")).to_be_visible()
    journey.click_link("Back to briefings")
    expect(page.get_by_text("Acknowledged", exact=True)).to_be_visible()
    journey.press_button("Sign out")

    # then_the_lead_sees_the_share_acknowledged_overall_and_by_area
    journey.sign_in(lead.email)
    journey.visit("/briefings/")
    expect(page.get_by_role("cell", name="50% (1 of 2)")).to_be_visible()
    journey.click_link(TITLE)
    expect(page.get_by_text("50% (1 of 2)")).to_be_visible()
    journey.click_link("See who has acknowledged it, by area and by name")
    by_area = page.get_by_role("region", name="Acknowledgements by area")
    expect(by_area.get_by_role("row", name="Calder Vale")).to_contain_text("50%")

    # and_who_has_not_acknowledged_it_by_name
    waiting = page.get_by_role("region", name="People who have not acknowledged the briefing")
    expect(waiting.get_by_role("row")).to_have_count(2)
    expect(waiting).to_contain_text(colleague.full_name)
    expect(waiting).not_to_contain_text(paramedic.person.full_name)
