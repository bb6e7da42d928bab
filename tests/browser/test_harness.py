"""The browser harness checks itself: axe runs in Debian's Chromium and reports what it finds."""

import pytest

from candour.people.roles import Role
from tests.support.browser import Journey, assert_accessible

ACCESSIBLE = "<!doctype html><html lang='en'><title>Fine</title><main><h1>Fine</h1><p>Text.</p></main></html>"
IMAGE_WITHOUT_ALT = (
    "<!doctype html><html lang='en'><title>Bad</title><main><h1>Bad</h1><img src='data:,'></main></html>"
)


def test_an_accessible_page_passes(page):
    page.set_content(ACCESSIBLE)

    assert_accessible(page)


def test_a_violation_is_reported_with_its_rule_and_element(page):
    page.set_content(IMAGE_WITHOUT_ALT)

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    assert "image-alt (critical)" in str(failure.value)
    assert "at img" in str(failure.value)


def test_a_journey_fails_when_a_loaded_page_was_never_checked(page):
    journey = Journey(page, "http://127.0.0.1:1")
    page.goto("data:text/html," + ACCESSIBLE)

    with pytest.raises(AssertionError, match="never checked"):
        journey.assert_every_page_checked()

    journey.check()
    journey.assert_every_page_checked()


def test_given_a_user_when_they_sign_in_then_each_page_on_the_way_is_checked(journey, make_user, live_server):
    user = make_user(Role.STAFF)

    journey.sign_in(user.email)

    assert journey.checked == [live_server.url + "/sign-in/", live_server.url + "/"]
