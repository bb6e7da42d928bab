"""A staff voice pulse from set-up to results, in the browser with axe on every page: an education lead
starts a pulse from the apprentice template; an apprentice sees it on their home page and answers it (first
leaving a required answer out and being told so); a second attempt is refused; and the lead sees the results
with the small area withheld."""

import pytest
from playwright.sync_api import expect

from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from candour.voice.models import Pulse
from tests.support.factories import AreaFactory, JobRoleFactory, StationFactory, TrustFactory
from tests.voice.conftest import fill, many

SAFE, NOT_UNWANTED, CAN_REPORT = (
    "voice.feel_safe",
    "voice.no_unwanted_sexual_behaviour",
    "voice.can_report_sexual_harassment",
)


@pytest.fixture
def trust(make_user):
    trust = TrustFactory(name="Northmoor Ambulance Service NHS Trust")
    calder = AreaFactory(name="Calder Vale", parent=trust)
    harrowby = AreaFactory(name="Harrowby Coast", parent=trust)
    mere = AreaFactory(name="Mere and Downs", parent=trust)
    for area in (calder, harrowby, mere):
        StationFactory(name=f"{area.name} Ambulance Station", parent=area)
    leader = JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )
    apprentice_role = JobRoleFactory(
        code="apprentice-aap", name="Apprentice AAP", professional_group=ProfessionalGroup.STUDENTS
    )
    return {
        "areas": (calder, harrowby, mere),
        "lead": make_user(Role.EDUCATION_LEAD, trust, job_role=leader),
        "apprentice": make_user(
            Role.APPRENTICE, calder.children.get(), job_role=apprentice_role, given_name="Amara"
        ),
    }


def test_given_a_lead_starts_an_apprentice_pulse_when_apprentices_answer_then_small_areas_are_withheld(
    journey, trust
):
    page = journey.page
    calder, harrowby, mere = trust["areas"]

    # given_an_education_lead_starts_a_pulse_from_the_apprentice_template
    journey.sign_in(trust["lead"].email)
    journey.open_section("Staff voice")
    journey.press_button("Start a pulse")
    expect(page.get_by_label("Apprentices: feeling safe, and sexual safety")).to_be_checked()
    journey.press_button("Continue")
    expect(page.get_by_label("Question 1", exact=True)).to_have_value("I feel safe at work")
    expect(page.get_by_label("Apprentice", exact=True)).to_be_checked()
    journey.press_button("Set up pulse")
    expect(page.get_by_text("Feeling safe at work is set up")).to_be_visible()
    journey.press_button("Sign out")

    # Other apprentices have answered: 2 in Calder Vale, 7 in Harrowby Coast, 8 in Mere and Downs.
    pulse = Pulse.objects.get()
    month = pulse.opens_on.replace(day=1)
    answers = {SAFE: 1, NOT_UNWANTED: 1, CAN_REPORT: 4}
    fill(
        pulse,
        many(2, calder, month, answers) + many(7, harrowby, month, answers) + many(8, mere, month, answers),
    )

    # when_an_apprentice_sees_it_on_their_home_page_and_answers_it
    journey.sign_in(trust["apprentice"].email)
    journey.click_link("Pulses to answer")
    journey.click_link("Feeling safe at work")
    page.get_by_role(
        "group", name="In the last 3 months I have not experienced unwanted sexual behaviour at work"
    ).get_by_label("Yes").check()
    page.get_by_role(
        "group", name="I know how to report sexual harassment and believe it would be acted on"
    ).get_by_label("Agree", exact=True).check()
    journey.fill(
        "Is there anything you would like to tell us about feeling safe at work?",
        "Night shifts feel isolated.",
    )
    journey.press_button("Send answers")
    expect(page.get_by_role("link", name="Choose yes or no for “I feel safe at work”")).to_be_visible()
    expect(
        page.get_by_label("Is there anything you would like to tell us about feeling safe at work?")
    ).to_have_value("Night shifts feel isolated.")
    page.get_by_role("group", name="I feel safe at work").get_by_label("No").check()
    journey.press_button("Send answers")
    expect(page.get_by_role("heading", name="Thank you for answering")).to_be_visible()

    # and_a_second_attempt_is_refused
    journey.visit(f"/voice/pulses/{pulse.public_id}/answer/")
    expect(page.get_by_role("heading", name="You have already answered this pulse")).to_be_visible()
    journey.click_link("Back to your pulses")
    expect(page.get_by_text("Answered", exact=True)).to_be_visible()
    journey.press_button("Sign out")

    # then_the_lead_sees_the_results_with_the_small_area_withheld
    journey.sign_in(trust["lead"].email)
    journey.open_section("Staff voice")
    journey.click_link("Feeling safe at work")
    journey.click_link("See the results")
    safe_by_area = page.get_by_role("table", name="By area").first
    expect(safe_by_area.get_by_role("row", name="Calder Vale")).to_contain_text("Fewer than 5")
    expect(safe_by_area.get_by_role("row", name="Harrowby Coast")).to_contain_text("Not shown")
    expect(safe_by_area.get_by_role("row", name="Mere and Downs")).to_contain_text("100%")
    expect(page.get_by_text("Night shifts feel isolated.")).to_be_visible()
