"""Journey: an apprentice, on a phone, raises an anonymous low-level concern and receives the code; then,
signed out, follows it up with the code. Every page is checked with axe by the Journey."""

import re

import pytest
from playwright.sync_api import expect

from candour.people.roles import Role

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def apprentice(make_user):
    return make_user(Role.APPRENTICE)


def _fits_the_screen(journey) -> bool:
    return journey.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_given_an_apprentice_on_a_phone_when_they_raise_an_anonymous_concern_then_the_code_opens_it(
    journey, apprentice
):
    page = journey.page
    page.set_viewport_size(PHONE)

    # given_an_apprentice_signed_in_on_a_phone
    journey.sign_in(apprentice.email)

    # when_they_choose_a_low_level_concern
    journey.visit("/speak-up/")
    page.get_by_label("A low-level concern about a colleague", exact=True).check()
    journey.press_button("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("A low-level concern about a colleague")

    # and_describe_it_anonymously_saying_they_are_an_apprentice
    journey.fill("Describe them", "The driver on the late shift at the station")
    journey.fill("What happened", "Comments about how I look, in front of the crew, more than once.")
    page.get_by_label("Anonymous", exact=True).check()
    page.get_by_role("group", name="If you stay anonymous: are you an apprentice? (optional)").get_by_label(
        "Yes", exact=True
    ).check()
    journey.press_button("Send concern")

    # then_they_see_their_code_once_and_it_fits_the_screen
    expect(page.get_by_role("heading", level=1)).to_have_text("Your concern has been sent")
    code = re.sub(r"\s", "", page.locator("#receipt-code").inner_text())
    assert re.fullmatch(r"([2-9A-Z]{4}-){5}[2-9A-Z]{2}", code), code
    expect(page.get_by_text("We cannot show it again.")).to_be_visible()
    assert _fits_the_screen(journey)

    # when_they_sign_out_and_follow_up_with_the_code
    journey.press_button("Sign out")
    journey.visit("/speak-up/follow-up/")
    journey.fill("Your code", code)
    journey.press_button("Continue")

    # then_they_see_the_conversation_and_can_add_to_it
    expect(page.get_by_role("heading", level=1)).to_have_text("A low-level concern about a colleague")
    expect(page.get_by_text("Received, waiting to be looked at")).to_be_visible()
    journey.fill("Your message", "It happened again today.")
    journey.press_button("Send message")
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    expect(page.get_by_text("It happened again today.")).to_be_visible()
    assert "/follow-up/" in page.url and code not in page.url


def test_given_a_crew_referral_when_the_nhs_number_is_wrong_then_the_errors_are_accessible(
    journey, make_user
):
    crew = make_user(Role.STAFF)

    # given_a_crew_member_on_the_referral_form
    journey.sign_in(crew.email)
    journey.visit("/speak-up/patient_safeguarding/")
    expect(journey.page.get_by_label("Anonymous", exact=True)).to_have_count(0)

    # when_they_send_it_with_a_wrong_nhs_number
    journey.fill("NHS number (optional)", "438 059 0096")
    journey.press_button("Send referral")

    # then_each_problem_is_listed_and_the_number_they_typed_is_kept
    summary = journey.page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a valid NHS number")
    expect(summary).to_contain_text("Enter the patient's name")
    expect(journey.page.get_by_label("NHS number (optional)", exact=True)).to_have_value("438 059 0096")
