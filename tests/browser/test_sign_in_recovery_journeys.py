"""Journeys back into Candour: a forgotten password reset by email, a lost phone passed with a recovery
code, and an administrator resetting someone's second factor. The Journey checks every page with axe at
desktop and phone widths."""

import re

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from candour.core import outbox
from candour.people.models import TwoFactorDevice
from candour.people.roles import Role
from tests.support.factories import user_password

NEW_PASSWORD = "heather moor lantern quietly"


@pytest.fixture
def two_factor_required(settings):
    settings.CANDOUR_REQUIRE_2FA = True


def test_given_a_forgotten_password_when_the_link_is_followed_then_a_new_one_signs_in(
    journey, make_user, smtp_server, live_server, settings
):
    settings.CANDOUR_BASE_URL = live_server.url
    user = make_user(Role.STAFF)

    journey.visit(reverse("people:sign_in"))
    journey.click_link("I have forgotten my password")
    journey.press_button("Send the link")
    expect(journey.page.get_by_role("alert")).to_contain_text("Enter your email address")
    journey.fill("Your work email address", user.email)
    journey.press_button("Send the link")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Check your email")
    outbox.deliver_due()  # as the task worker does, woken when the request committed

    link = re.search(r"(http\S+/sign-in/reset/\S+/)", smtp_server.to(user.email)[0].body).group(1)
    journey.follow(lambda: journey.page.goto(link))
    journey.fill("New password", NEW_PASSWORD)
    journey.fill("New password again", NEW_PASSWORD + " and more")
    journey.press_button("Change my password")
    expect(journey.page.get_by_role("alert")).to_contain_text("The passwords do not match")
    journey.fill("New password", NEW_PASSWORD)
    journey.fill("New password again", NEW_PASSWORD)
    journey.press_button("Change my password")
    expect(journey.page.get_by_text("Your password has been changed")).to_be_visible()

    journey.sign_in(user.email, NEW_PASSWORD)
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    journey.follow(lambda: journey.page.goto(link))
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_given_a_lost_phone_when_a_recovery_code_is_used_then_the_guardian_gets_in(
    journey, make_user, two_factor_required, settings
):
    # The live server keeps real time: no back-off, so the journey need not wait after its wrong code.
    settings.CANDOUR_TWO_FACTOR_BACKOFF_SECONDS = 0
    guardian = make_user(Role.GUARDIAN)

    journey.visit(reverse("people:sign_in"))
    journey.fill("Email address", guardian.email)
    journey.fill("Password", user_password())
    journey.press_button("Sign in")
    secret = TwoFactorDevice.objects.get(user=guardian).secret
    journey.fill("Code from your authenticator app", pyotp.TOTP(secret).now())
    journey.press_button("Confirm")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    code = journey.page.get_by_role("list", name="Recovery codes").locator("code").first.inner_text()
    journey.press_button("I have kept my codes: continue")
    journey.press_button("Sign out")

    journey.visit(reverse("people:sign_in"))
    journey.fill("Email address", guardian.email)
    journey.fill("Password", user_password())
    journey.press_button("Sign in")
    journey.click_link("I do not have my phone: use a recovery code")
    journey.fill("Recovery code", "aaaa-bbbb-cccc-dddd")
    journey.press_button("Continue")
    expect(journey.page.get_by_role("alert")).to_contain_text("That recovery code is not right")
    journey.fill("Recovery code", code)
    journey.press_button("Continue")

    expect(journey.page.get_by_text("recovery codes left")).to_be_visible()


def test_given_a_lost_phone_when_an_administrator_resets_it_then_the_reset_is_recorded(
    journey, make_user, two_factor_required
):
    guardian = make_user(Role.GUARDIAN)
    device = TwoFactorDevice.objects.create(user=guardian, secret=pyotp.random_base32())
    device.confirmed_at = device.created_at
    device.save()
    admin = make_user(Role.SYSTEM_ADMIN, guardian.person.station.parent.parent)
    TwoFactorDevice.objects.create(user=admin, secret=pyotp.random_base32(), confirmed_at=device.created_at)

    journey.visit(reverse("people:sign_in"))
    journey.fill("Email address", admin.email)
    journey.fill("Password", user_password())
    journey.press_button("Sign in")
    journey.fill("Code from your authenticator app", pyotp.TOTP(admin.two_factor_device.secret).now())
    journey.press_button("Continue")
    journey.visit(reverse("people:show_person", kwargs={"person_id": guardian.person.public_id}))
    journey.click_link(f"Reset {guardian.person.given_name}'s two-factor sign-in")
    journey.press_button("Reset two-factor sign-in")
    expect(journey.page.get_by_role("alert")).to_contain_text("Enter why you are resetting it")
    journey.fill("Why you are resetting it", "Phone lost on shift; identity checked by a call back")
    journey.press_button("Reset two-factor sign-in")

    expect(journey.page.get_by_text("Two-factor sign-in is reset")).to_be_visible()
    expect(journey.page.get_by_text("Not set up")).to_be_visible()
