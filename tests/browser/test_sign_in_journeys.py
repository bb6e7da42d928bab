"""Journeys: each role signs in, sees their home page, moves through their menu, and signs out.
Every page reached is checked with axe (WCAG 2.2 AA) by the Journey."""

import pytest
from playwright.sync_api import expect

from candour.people.roles import Role
from tests.support.factories import AreaFactory, PersonFactory, StationFactory


@pytest.fixture
def trust(db):
    area = AreaFactory(name="Calder Vale")
    station = StationFactory(parent=area, name="Ashby Ambulance Station")
    PersonFactory.create_batch(3, station=station)
    PersonFactory(station=station, is_apprentice=True)
    return area.parent, area, station


def _unit(role, trust):
    trust_unit, area, station = trust
    if role in (Role.STAFF, Role.APPRENTICE, Role.LINE_MANAGER):
        return station
    return area if role == Role.OPERATIONS_MANAGER else trust_unit


@pytest.mark.parametrize("role", Role.values)
def test_given_a_role_when_they_sign_in_then_home_and_menu_work_and_they_sign_out(
    journey, make_user, trust, role
):
    user = make_user(role, _unit(role, trust))

    journey.sign_in(user.email)
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("What needs your attention")

    menu = journey.page.get_by_role("navigation", name="Menu")
    for label in [text.strip() for text in menu.get_by_role("link").all_inner_texts()]:
        journey.click_link(label)
        expect(journey.page.get_by_role("heading", level=1)).to_be_visible()

    journey.press_button("Sign out")
    expect(journey.page.get_by_text("You have signed out")).to_be_visible()


def test_given_a_wrong_password_when_signing_in_then_the_error_summary_is_accessible(journey, make_user):
    user = make_user(Role.STAFF)

    journey.visit("/sign-in/")
    journey.fill("Email address", user.email)
    journey.fill("Password", "not the password")
    journey.press_button("Sign in")

    expect(journey.page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")


def test_given_an_unknown_address_then_the_404_page_is_accessible(journey):
    journey.visit("/no-such-page/")

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_given_two_factor_is_required_then_set_up_page_is_accessible(journey, make_user, settings):
    settings.CANDOUR_REQUIRE_2FA = True
    user = make_user(Role.GUARDIAN)

    journey.visit("/sign-in/")
    journey.fill("Email address", user.email)
    journey.fill("Password", "northmoor-demo-password")
    journey.press_button("Sign in")

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")


def test_given_an_enrolled_guardian_when_they_sign_in_then_the_code_page_is_accessible(
    journey, make_user, settings
):
    import pyotp

    from candour.people.services import start_two_factor_enrolment

    settings.CANDOUR_REQUIRE_2FA = True
    user = make_user(Role.GUARDIAN)
    device = start_two_factor_enrolment(user=user)
    device.confirmed_at = device.created_at
    device.save()

    journey.visit("/sign-in/")
    journey.fill("Email address", user.email)
    journey.fill("Password", "northmoor-demo-password")
    journey.press_button("Sign in")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    journey.fill("Code from your authenticator app", pyotp.TOTP(device.secret).now())
    journey.press_button("Continue")

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
