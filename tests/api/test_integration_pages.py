"""The administrators' integration pages: allowed, forbidden and out of scope; a key shown once."""

import re

from django.urls import reverse

from candour.api.authentication import live_key_for
from candour.api.models import ApiKey, Integration
from candour.api.scopes import KeyScope
from candour.people.roles import Role
from tests.api.support import administrator, integration, issued_key
from tests.support.factories import StationFactory

LIST = reverse("api:list_integrations")
CREATE = reverse("api:create_integration")
KEY_TEXT = re.compile(r"cnd_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def _show(made):
    return reverse("api:show_integration", kwargs={"integration_id": made.public_id})


def _issue(made):
    return reverse("api:issue_key", kwargs={"integration_id": made.public_id})


def _key_action(action, key):
    kwargs = {"integration_id": key.integration.public_id, "key_id": key.public_id}
    return reverse(f"api:{action}_key", kwargs=kwargs)


def test_an_administrator_adds_an_integration(client_for):
    admin = administrator()
    client = client_for(admin)

    response = client.post(CREATE, {"name": "ESR", "owner": "Workforce", "contact": "esr@test.example"})

    made = Integration.objects.get()
    assert response.status_code == 302 and response["Location"] == _show(made)
    assert made.trust == admin.memberships.get().unit
    assert "ESR" in client.get(LIST).text


def test_an_integration_form_with_a_bad_email_says_so(client_for):
    client = client_for(administrator())

    response = client.post(CREATE, {"name": "ESR", "owner": "Workforce", "contact": "not an address"})

    assert response.status_code == 200
    assert "Enter an email address like" in response.text
    assert not Integration.objects.exists()


def test_a_key_issued_on_the_page_is_shown_once_and_works(client_for):
    made = integration()
    client = client_for(made.created_by)

    response = client.post(
        _issue(made),
        {"scopes": [KeyScope.SEND_TRAINING_RECORDS], "expires_on_day": "", "expires_on_month": ""},
    )

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = KEY_TEXT.search(response.text).group()
    assert live_key_for(text).integration == made
    assert text not in client.get(_show(made)).text


def test_a_key_that_reads_measures_needs_its_units(client_for):
    made = integration()
    client = client_for(made.created_by)

    response = client.post(_issue(made), {"scopes": [KeyScope.READ_MEASURES]})

    assert "Choose the units whose measures the key may read" in response.text
    assert not ApiKey.objects.exists()


def test_revoking_on_the_page_stops_the_key(client_for):
    text, key = issued_key()
    client = client_for(key.issued_by)

    response = client.post(_key_action("revoke", key))

    assert response.status_code == 302
    assert live_key_for(text) is None
    assert "Revoked" in client.get(_show(key.integration)).text


def test_rotating_on_the_page_shows_the_new_key_and_when_the_old_one_ends(client_for):
    old_text, key = issued_key()
    client = client_for(key.issued_by)

    response = client.post(_key_action("rotate", key))

    new_text = KEY_TEXT.search(response.text).group()
    assert new_text != old_text and live_key_for(new_text) and live_key_for(old_text)
    assert f"The key it replaces, {key.prefix}, keeps working until" in response.text


def test_only_system_administrators_reach_the_integration_pages(make_user, client_for):
    made = integration()
    for role in (Role.QUALITY_LEAD, Role.EXECUTIVE, Role.STAFF):
        client = client_for(make_user(role, made.trust))
        assert client.get(LIST).status_code == 403, role
        assert client.get(_show(made)).status_code == 403, role


def test_another_trusts_integrations_are_not_found(client_for):
    theirs = integration()
    _, their_key = issued_key(theirs)
    client = client_for(administrator(StationFactory().trust))

    assert theirs.name not in client.get(LIST).text
    assert client.get(_show(theirs)).status_code == 404
    assert client.post(_key_action("revoke", their_key)).status_code == 404
    assert ApiKey.objects.get(pk=their_key.pk).revoked_at is None


def test_an_administrator_of_part_of_a_trust_may_not_add_integrations(make_user, client_for):
    station = StationFactory()
    client = client_for(make_user(Role.SYSTEM_ADMIN, station))

    assert client.get(CREATE).status_code == 403
    assert "Add an integration" not in client.get(LIST).text


def test_the_header_offers_integrations_to_system_administrators_only(make_user, rf):
    from candour.core.navigation import items_for

    made = integration()
    for user, offered in ((made.created_by, True), (make_user(Role.QUALITY_LEAD, made.trust), False)):
        request = rf.get("/")
        request.user = user
        assert ("Integrations" in [item["text"] for item in items_for(request)]) is offered
