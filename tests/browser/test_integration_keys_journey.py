"""Journey: an administrator adds an integration, issues it a key (shown once), then revokes it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from candour.api.authentication import live_key_for
from candour.people.roles import Role
from tests.support.factories import StationFactory


def test_given_an_administrator_when_they_issue_and_revoke_a_key_then_it_works_and_then_stops(
    journey, make_user
):
    admin = make_user(Role.SYSTEM_ADMIN, StationFactory().trust)

    journey.sign_in(admin.email)
    # The header's "Integrations" link may sit under "More" at this width; the page is what is checked.
    journey.visit(reverse("api:list_integrations"))
    journey.press_button("Add an integration")
    journey.fill("Name of the system", "Learning Hub")
    journey.fill("Owner", "Education team")
    journey.fill("Contact email address", "lms@test.example")
    journey.press_button("Add the integration")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Learning Hub")

    journey.press_button("Issue a key")
    journey.page.get_by_label("Send training records").check()
    journey.press_button("Issue the key")
    shown = journey.page.locator("code.candour-issued-key")
    expect(shown).to_have_text(re.compile(r"^cnd_[0-9a-f]{12}_"))
    text = shown.inner_text()
    assert live_key_for(text) is not None

    journey.press_button("I have copied the key: continue")
    prefix = text.split("_")[1]
    journey.press_button(f"Revoke key {prefix}")
    expect(journey.page.get_by_text(f"Key {prefix} is revoked")).to_be_visible()
    assert live_key_for(text) is None


def test_given_an_integration_team_when_they_read_the_api_docs_then_the_page_works_on_a_phone(journey):
    journey.visit(reverse("api:show_api_docs"))

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Candour integration API")
    expect(journey.page.get_by_role("link", name="POST /api/v1/feeds/training-records")).to_be_visible()
