"""Briefing pages: each allowed, forbidden (403) and out of scope (404); the publish form's checks; reading
and acknowledging; the home page."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.attention import items_for
from candour.learning.models import Briefing, BriefingAudience
from candour.learning.services import briefings as services
from tests.learning.briefing_fixtures import northshire, publish  # noqa: F401 - fixtures


def _url(name: str, briefing=None) -> str:
    return reverse(f"learning:{name}", kwargs={"briefing_id": briefing.public_id} if briefing else None)


def _form(world, **overrides) -> dict:
    deadline = timezone.localdate() + dt.timedelta(days=10)
    data = {
        "title": "Domestic abuse: routine enquiry in the home",
        "body": "Ask when you are alone with the patient.\nRecord what was said.",
        "roles": [str(world.paramedic_role.public_id)],
        "areas": [],
        "stations": [],
        "acknowledge_by_day": deadline.day,
        "acknowledge_by_month": deadline.month,
        "acknowledge_by_year": deadline.year,
    }
    return data | overrides


# Publishing


def test_publish_page_is_for_leads(northshire, client_for):
    assert client_for(northshire.lead).get(_url("publish_briefing")).status_code == 200
    assert client_for(northshire.paramedic).get(_url("publish_briefing")).status_code == 403
    assert Client().get(_url("publish_briefing")).status_code == 302


def test_publish_page_offers_only_units_in_scope(northshire, client_for):
    page = client_for(northshire.area_lead).get(_url("publish_briefing")).content.decode()

    assert "A2 (Area A)" in page
    # Looked for as labels: the page's random CSRF token could hold the letters "B1".
    assert not re.search(r">\s*(B1 \(Area B\)|Area B)\s*<", page)
    assert re.search(r">\s*A2 \(Area A\)\s*<", page)


def test_publishing_by_the_form_sends_it_and_shows_the_briefing(northshire, client_for):
    response = client_for(northshire.lead).post(_url("publish_briefing"), _form(northshire))

    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response.url == _url("show_briefing", briefing)
    assert set(briefing.audience.values_list("person_id", flat=True)) == {
        northshire.paramedic.person_id,
        northshire.paramedic_b.person_id,
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "Enter a title"),
        ({"body": ""}, "Enter what staff need to know"),
        ({"acknowledge_by_day": "", "acknowledge_by_month": "", "acknowledge_by_year": ""}, "Enter the"),
        ({"acknowledge_by_day": "31", "acknowledge_by_month": "2"}, "Enter a real acknowledge-by date"),
        ({"roles": ["not-a-role"]}, "Choose job roles from the list"),
    ],
)
def test_publishing_an_incomplete_form_is_refused(northshire, client_for, overrides, message):
    response = client_for(northshire.lead).post(_url("publish_briefing"), _form(northshire, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Briefing.objects.exists()


def test_publishing_with_a_deadline_in_the_past_is_refused(northshire, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = _form(
        northshire,
        acknowledge_by_day=yesterday.day,
        acknowledge_by_month=yesterday.month,
        acknowledge_by_year=yesterday.year,
    )

    response = client_for(northshire.lead).post(_url("publish_briefing"), data)

    assert "must be today or in the future" in response.content.decode()
    assert not Briefing.objects.exists()


def test_publishing_to_units_outside_scope_is_refused_by_the_form(northshire, client_for):
    data = _form(
        northshire, stations=[str(northshire.b1.public_id)], areas=[str(northshire.area_b.public_id)]
    )

    response = client_for(northshire.area_lead).post(_url("publish_briefing"), data)

    page = response.content.decode()
    assert "Choose stations from the list" in page and "Choose areas from the list" in page
    assert not Briefing.objects.exists()


def test_publishing_to_nobody_says_so_on_the_form(northshire, client_for):
    data = _form(
        northshire, roles=[str(northshire.technician_role.public_id)], stations=[str(northshire.b1.public_id)]
    )

    response = client_for(northshire.lead).post(_url("publish_briefing"), data)

    assert "No one in the chosen roles" in response.content.decode()
    assert not Briefing.objects.exists()


# Reading and acknowledging


def test_an_addressee_reads_the_briefing_escaped_and_can_acknowledge_it(northshire, publish, client_for):
    briefing = publish(body="First paragraph.\n<script>alert('x')</script>")

    page = client_for(northshire.paramedic).get(_url("show_briefing", briefing)).content.decode()

    assert "<p>First paragraph.</p>" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "I have read and understood this" in page
    assert "Share acknowledged" not in page


def test_acknowledging_records_it_once_and_says_thank_you(northshire, publish, client_for):
    briefing = publish()
    client = client_for(northshire.paramedic)

    response = client.post(_url("acknowledge_briefing", briefing), follow=True)
    first = BriefingAudience.objects.get(person=northshire.paramedic.person).acknowledged_at
    client.post(_url("acknowledge_briefing", briefing))

    page = response.content.decode()
    assert "Thank you" in page and "You confirmed you read and understood" in page
    assert "I have read and understood this" not in page
    assert BriefingAudience.objects.get(person=northshire.paramedic.person).acknowledged_at == first


def test_acknowledging_is_by_post_only(northshire, publish, client_for):
    briefing = publish()

    assert client_for(northshire.paramedic).get(_url("acknowledge_briefing", briefing)).status_code == 405


def test_people_outside_the_audience_get_404(northshire, publish, client_for):
    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.area_a])

    for user in (northshire.technician, northshire.paramedic_b, northshire.outsider, northshire.other_lead):
        client = client_for(user)
        assert client.get(_url("show_briefing", briefing)).status_code == 404, user
        assert client.post(_url("acknowledge_briefing", briefing)).status_code == 404, user
    assert not BriefingAudience.objects.filter(acknowledged_at__isnull=False).exists()


def test_signed_out_visitors_are_sent_to_sign_in(northshire, publish):
    briefing = publish()

    for name in ("list_briefings", "show_briefing", "acknowledge_briefing", "show_briefing_report"):
        url = _url(name, None if name == "list_briefings" else briefing)
        response = Client().post(url) if name == "acknowledge_briefing" else Client().get(url)
        assert response.status_code == 302 and reverse("people:sign_in") in response.url, name


# What leads see


def test_leads_in_scope_see_the_figures(northshire, publish, client_for):
    briefing = publish(by=northshire.area_lead, roles=[northshire.paramedic_role])
    services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)

    for lead in (northshire.area_lead, northshire.lead):
        page = client_for(lead).get(_url("show_briefing", briefing)).content.decode()
        assert "100% (1 of 1)" in page, lead
        assert "I have read and understood this" not in page
        assert client_for(lead).get(_url("show_briefing_report", briefing)).status_code == 200


def test_leads_outside_scope_get_404(northshire, publish, client_for):
    trust_wide = publish(roles=[northshire.paramedic_role])

    for client in (client_for(northshire.area_lead), client_for(northshire.other_lead)):
        assert client.get(_url("show_briefing", trust_wide)).status_code == 404
        assert client.get(_url("show_briefing_report", trust_wide)).status_code == 404


def test_the_report_is_forbidden_to_staff_even_in_the_audience(northshire, publish, client_for):
    briefing = publish()

    assert client_for(northshire.paramedic).get(_url("show_briefing_report", briefing)).status_code == 403


def test_unknown_briefings_are_404(northshire, client_for):
    missing = reverse(
        "learning:show_briefing", kwargs={"briefing_id": "00000000-0000-0000-0000-000000000000"}
    )

    assert client_for(northshire.lead).get(missing).status_code == 404


# Lists and the home page


def test_staff_see_their_briefings_unread_first(northshire, publish, client_for):
    read = publish(title="Read already", acknowledge_by=timezone.localdate())
    publish(title="Due later", acknowledge_by=timezone.localdate() + dt.timedelta(days=20))
    publish(title="Due sooner", acknowledge_by=timezone.localdate() + dt.timedelta(days=5))
    publish(title="Not for paramedics", roles=[northshire.technician_role])
    services.acknowledge_briefing(by=northshire.paramedic, briefing=read)

    page = client_for(northshire.paramedic).get(_url("list_briefings")).content.decode()

    assert page.index("Due sooner") < page.index("Due later") < page.index("Read already")
    assert "Not for paramedics" not in page and "Publish a briefing" not in page


def test_leads_see_the_briefings_they_follow_with_counts(northshire, publish, client_for):
    briefing = publish(roles=[northshire.paramedic_role])
    services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)
    publish(by=northshire.other_lead, title="Another trust's briefing")

    page = client_for(northshire.lead).get(_url("list_briefings")).content.decode()

    assert "Publish a briefing" in page and briefing.title in page
    assert "50% (1 of 2)" in page
    assert "Another trust" not in page


def test_the_home_page_shows_briefings_to_read_urgent_once_overdue(northshire, publish, client_for):
    client = client_for(northshire.paramedic)
    publish(title="Due in a fortnight")

    page = client.get(reverse("core:home")).content.decode()
    assert "Briefings to read" in page and "nhsuk-card--care--urgent" not in page
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        publish(title="Due three days ago", acknowledge_by=timezone.localdate())
    page = client.get(reverse("core:home")).content.decode()
    assert "nhsuk-card--care--urgent" in page and "past the date" in page


def test_the_home_page_is_quiet_once_everything_is_read(northshire, publish, client_for):
    briefing = publish()
    services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)

    assert (
        "Briefings to read" not in client_for(northshire.paramedic).get(reverse("core:home")).content.decode()
    )


def test_the_home_card_for_briefings_leads_to_the_unread_ones_only(northshire, publish, client_for):
    read = publish(title="Already read")
    publish(title="Still to read")
    services.acknowledge_briefing(by=northshire.paramedic, briefing=read)

    card = next(item for item in items_for(northshire.paramedic) if item.title == "Briefings to read")
    page = client_for(northshire.paramedic).get(card.url).content.decode()

    assert card.count == 1
    assert "Still to read" in page and "Already read" not in page
