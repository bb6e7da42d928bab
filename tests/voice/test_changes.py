"""'You said, we did': leads publish what changed; the staff it is for see it on their home page."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from candour.core.attention import items_for
from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.voice import services
from candour.voice.models import YouSaidWeDid
from tests.support.counted_rows import counted_rows
from tests.support.factories import make_user

SAID = "Rotas change at the last minute."
DID = "Rotas are now published four weeks ahead."


def test_a_lead_publishes_for_an_area_and_it_is_audited(voice_trust):
    change = services.publish_change(by=voice_trust.lead, unit=voice_trust.north, you_said=SAID, we_did=DID)

    event = AuditEvent.objects.get(action="published_you_said_we_did")
    assert event.actor == voice_trust.lead and event.object_id == str(change.public_id)
    assert event.changes["unit"] == voice_trust.north.code


def test_only_leads_who_run_pulses_publish_and_only_where_they_lead(voice_trust):
    north_lead = make_user(Role.GUARDIAN, voice_trust.north)

    with pytest.raises(PermissionDenied):
        services.publish_change(
            by=voice_trust.north_manager, unit=voice_trust.north, you_said=SAID, we_did=DID
        )
    with pytest.raises(PermissionDenied):
        services.publish_change(by=north_lead, unit=voice_trust.south, you_said=SAID, we_did=DID)
    with pytest.raises(PermissionDenied):
        services.publish_change(by=north_lead, unit=voice_trust.n1, you_said=SAID, we_did=DID)
    assert not YouSaidWeDid.objects.exists()


def test_staff_in_the_area_see_it_on_their_home_page_and_others_do_not(voice_trust, client_for):
    services.publish_change(by=voice_trust.lead, unit=voice_trust.north, you_said=SAID, we_did=DID)

    north_home = client_for(make_user(Role.STAFF, voice_trust.n2)).get(reverse("core:home"))
    south_home = client_for(make_user(Role.STAFF, voice_trust.s1)).get(reverse("core:home"))

    assert "You said, we did" in north_home.text and DID in north_home.text
    assert "You said, we did" not in south_home.text


def test_a_trust_wide_post_reaches_everyone_in_the_trust(voice_trust, client_for):
    services.publish_change(by=voice_trust.lead, unit=voice_trust.trust, you_said=SAID, we_did=DID)

    page = client_for(make_user(Role.APPRENTICE, voice_trust.w1)).get(reverse("voice:list_changes"))

    assert SAID in page.text and DID in page.text


def test_it_leaves_the_home_page_after_a_while_but_stays_on_the_list(voice_trust, client_for, settings):
    settings.CANDOUR_VOICE_CHANGES_RECENT_DAYS = 30
    services.publish_change(by=voice_trust.lead, unit=voice_trust.trust, you_said=SAID, we_did=DID)
    staff = make_user(Role.STAFF, voice_trust.s1)

    with time_machine.travel(dt.datetime(2026, 12, 19, 12, tzinfo=dt.UTC), tick=False):
        home = client_for(staff).get(reverse("core:home"))
        listed = client_for(staff).get(reverse("voice:list_changes"))

    assert "You said, we did" not in home.text
    assert DID in listed.text


def test_publishing_through_the_page_names_each_problem(voice_trust, client_for):
    client = client_for(voice_trust.lead)
    url = reverse("voice:publish_change")

    refused = client.post(url, {"unit": "", "pulse": "", "you_said": "", "we_did": DID})
    published = client.post(
        url, {"unit": str(voice_trust.south.public_id), "pulse": "", "you_said": SAID, "we_did": DID}
    )

    assert "Choose who it is for" in refused.text and "Enter what staff said" in refused.text
    assert DID in refused.text  # what they typed is kept
    assert published.status_code == 302
    assert YouSaidWeDid.objects.get().unit == voice_trust.south


def test_staff_cannot_open_the_publishing_page(voice_trust, client_for):
    client = client_for(make_user(Role.STAFF, voice_trust.n1))

    assert client.get(reverse("voice:publish_change")).status_code == 403


def test_the_card_leads_to_the_recent_changes_only(voice_trust, client_for, settings):
    settings.CANDOUR_VOICE_CHANGES_RECENT_DAYS = 30
    services.publish_change(by=voice_trust.lead, unit=voice_trust.trust, you_said=SAID, we_did="Long ago")
    staff = make_user(Role.STAFF, voice_trust.s1)

    with time_machine.travel(dt.datetime(2026, 12, 30, 12, tzinfo=dt.UTC), tick=False):
        services.publish_change(by=voice_trust.lead, unit=voice_trust.trust, you_said=SAID, we_did=DID)
        client = client_for(staff)
        card = next(item for item in items_for(staff) if item.title == "You said, we did")
        listed = client.get(card.url).text
        everything = counted_rows(client, reverse("voice:list_changes"))[0]
        recent = counted_rows(client, card.url)[0]

    assert card.count == 1 and recent == 1
    assert DID in listed and "Long ago" not in listed
    assert everything == 2
