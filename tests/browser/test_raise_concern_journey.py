"""Journeys: an apprentice, on a phone, raises an anonymous low-level concern and receives the code; then,
signed out, follows it up with the code before and after it reaches the team. Someone without an account
sends a concern from the published link twice over and reloads the receipt; and copies and prints the code.
Every page is checked with axe by the Journey."""

import re

import pytest
from playwright.sync_api import expect

from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Concern, HeldAnonymousWrite

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
    assert page.url.endswith("/speak-up/receipt/")
    code = _code_on(page)
    assert re.fullmatch(r"([2-9A-Z]{4}-){5}[2-9A-Z]{2}", code), code
    expect(page.get_by_text("We show it only this once.", exact=False)).to_be_visible()
    expect(page.get_by_text(f"You are signed in as {apprentice.display_name}", exact=False)).to_be_visible()
    assert _fits_the_screen(journey)

    # when_they_sign_out_and_follow_up_with_the_code_before_it_reaches_the_team
    journey.press_button("Sign out")
    journey.visit("/speak-up/follow-up/")
    journey.fill("Your code", code)
    journey.press_button("Continue")

    # then_they_see_it_on_its_way_and_can_add_to_it
    expect(page.get_by_role("heading", level=1)).to_have_text("A low-level concern about a colleague")
    expect(page.get_by_text("On its way to the team")).to_be_visible()
    journey.fill("Your message", "It happened again today.")
    journey.press_button("Send message")
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    expect(page.get_by_text("It happened again today.")).to_be_visible()
    assert "/follow-up/" in page.url and code not in page.url

    # when_the_batch_has_reached_the_team
    services.write_held_anonymous()
    journey.visit("/speak-up/follow-up/")
    journey.fill("Your code", code)
    journey.press_button("Continue")

    # then_it_is_waiting_to_be_looked_at_with_their_message
    expect(page.get_by_text("Received, waiting to be looked at")).to_be_visible()
    expect(page.get_by_text("It happened again today.")).to_be_visible()


def _until(page, condition, tries: int = 200) -> None:
    """Let the browser work until the condition holds (Playwright runs route handlers while it waits)."""
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the browser never got there")


def _code_on(page) -> str:
    return re.sub(r"\s", "", page.locator("#receipt-code").inner_text())


def _send_a_concern_without_signing_in(journey) -> None:
    journey.visit("/speak-up/anonymous/")
    journey.page.get_by_label("Something I experienced or witnessed", exact=True).check()
    journey.press_button("Continue")
    journey.page.get_by_label("Bullying", exact=True).check()
    journey.page.get_by_label("A process or a place", exact=True).check()
    journey.fill("What happened", "Newer staff are belittled at every handover.")


def test_given_no_account_when_they_reload_the_receipt_or_send_twice_then_one_concern_is_sent(journey):
    page = journey.page

    # given_someone_who_is_not_signed_in_on_the_published_link
    _send_a_concern_without_signing_in(journey)
    expect(page.get_by_text("After you send it you will see a code, once.", exact=False)).to_be_visible()

    # when_they_press_send_and_the_answer_is_slow_so_they_press_it_again
    sent, answered = [], []

    def slow_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        sent.append(route.request.post_data)
        if len(sent) == 1:
            # The server does its work; its answer never reaches the browser. The redirect is not followed:
            # following it would open the receipt (spending the code) in a race with the second press.
            route.fetch(max_redirects=0)
            answered.append(True)
        else:
            route.continue_()

    page.route("**/speak-up/anonymous/*/", slow_answer)
    page.get_by_role("button", name="Send concern", exact=True).click(no_wait_after=True)
    _until(page, lambda: answered)  # the server has done the first; its answer is lost on the way
    journey.follow(lambda: page.keyboard.press("Enter"))  # the button still has the focus
    page.unroute("**/speak-up/anonymous/*/")

    # then_one_concern_is_on_its_way_and_the_code_they_see_opens_it
    assert len(sent) == 2 and sent[0] == sent[1]
    expect(page.get_by_role("heading", level=1)).to_have_text("Your concern has been sent")
    code = _code_on(page)
    assert HeldAnonymousWrite.objects.count() == 1
    assert services.find_by_receipt(code, client_address="127.0.0.1") is not None

    # when_they_reload_the_receipt
    journey.follow(page.reload)

    # then_nothing_is_sent_again_and_the_code_is_not_shown_again
    expect(page.get_by_role("heading", level=1)).to_have_text("Your code has been shown")
    assert code not in page.content().replace("<wbr>", "")
    assert HeldAnonymousWrite.objects.count() == 1
    services.write_held_anonymous()
    assert Concern.objects.get().raised_by is None


def test_given_a_receipt_when_they_copy_or_print_it_then_the_code_is_what_they_keep(journey, context):
    page = journey.page
    context.grant_permissions(["clipboard-read", "clipboard-write"])

    # given_a_concern_sent_without_signing_in
    _send_a_concern_without_signing_in(journey)
    journey.press_button("Send concern")
    code = _code_on(page)

    # when_they_copy_the_code
    page.get_by_role("button", name="Copy code", exact=True).click()

    # then_the_clipboard_holds_the_code_and_the_page_says_so
    expect(page.get_by_role("status")).to_contain_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == code

    # when_they_print_the_page
    page.emulate_media(media="print")

    # then_the_printout_is_the_code_and_what_to_do_with_it_without_the_site_around_it
    expect(page.locator("#receipt-code")).to_be_visible()
    expect(page.get_by_role("button", name="Copy code", exact=True)).to_be_hidden()
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.get_by_text("Write this code down now")).to_be_visible()
    page.emulate_media(media="screen")


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
