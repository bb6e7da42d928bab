"""Every form does its work once: a reload, a double tap or two racing posts of one form write once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from candour.core.models import SubmittedForm
from candour.core.once import ALREADY_DONE, FIELD
from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Entry, Identity, Kind, Subject, Threshold
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user
from tests.support.html_forms import post_forms


def _case():
    area = AreaFactory()
    station = StationFactory(parent=area)
    lead = make_user(Role.SAFEGUARDING_LEAD, area.parent)
    raised = services.raise_concern(
        by=make_user(Role.STAFF, station),
        kind=Kind.LOW_LEVEL,
        identity=Identity.OPEN,
        narrative="Remarks in the crew room",
        subject_type=Subject.COLLEAGUE,
        subject_person=PersonFactory(station=station),
        station=station,
    )
    concern = services.triage(
        by=lead,
        concern=raised.concern,
        primary_category=Category.CONDUCT,
        secondary_categories=[],
        threshold=Threshold.LOW_LEVEL,
        owner=lead,
        team=[],
    )
    return lead, concern


def _browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_PASSED] = True
    session.save()
    return client


def _note_form(client, concern) -> dict:
    url = reverse("speakup:add_entry", kwargs={"concern_id": concern.pk})
    form = post_forms(client.get(url).content.decode())[-1]
    today = dt.date.today()
    data = form.data() | {
        "type": ["note"],
        "event_on_day": [str(today.day)],
        "event_on_month": [str(today.month)],
        "event_on_year": [str(today.year)],
        "body": ["Spoke to the station manager."],
    }
    return url, data


def _notes(concern) -> int:
    return Entry.objects.filter(concern=concern, type=Entry.Type.NOTE).count()


def test_every_post_form_carries_a_fresh_one_time_token(db):
    lead, concern = _case()
    client = _browser(lead)
    url = reverse("speakup:add_entry", kwargs={"concern_id": concern.pk})

    first = post_forms(client.get(url).content.decode())[-1].data()[FIELD]
    second = post_forms(client.get(url).content.decode())[-1].data()[FIELD]

    assert first != second


def test_a_chronology_note_sent_twice_is_stored_once(db):
    lead, concern = _case()
    client = _browser(lead)
    url, data = _note_form(client, concern)

    first = client.post(url, data)
    again = client.post(url, data, follow=True)

    assert _notes(concern) == 1
    assert again.redirect_chain[0][0] == first["Location"]
    assert ALREADY_DONE in again.content.decode()


def test_a_form_shown_again_with_its_errors_can_still_be_sent(db):
    lead, concern = _case()
    client = _browser(lead)
    url, data = _note_form(client, concern)

    refused = client.post(url, data | {"body": [""]})
    sent = client.post(url, data)

    assert refused.status_code == 200
    assert sent.status_code == 302
    assert _notes(concern) == 1


def test_a_form_whose_view_fails_keeps_no_claim(db):
    lead, concern = _case()
    client = _browser(lead)
    url, data = _note_form(client, concern)
    outsider = _browser(make_user(Role.SAFEGUARDING_LEAD, AreaFactory().parent))

    # Someone with no access to the case gets 404 and leaves nothing behind.
    outsider.get(url)
    assert outsider.post(url, data).status_code in (403, 404)
    assert not SubmittedForm.objects.filter(token=data[FIELD][0]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database takes one writer at a time; the file database that the app "
    "runs on serialises whole requests (BEGIN IMMEDIATE), so two posts cannot race there",
)
def test_two_posts_of_one_form_racing_each_other_store_one_note():
    lead, concern = _case()
    client = _browser(lead)
    url, data = _note_form(client, concern)
    cookies = client.cookies
    answers = []

    def post():
        racer = Client(enforce_csrf_checks=True)
        racer.cookies = cookies
        try:
            answers.append(racer.post(url, data).status_code)
        finally:
            connection.close()

    racers = [threading.Thread(target=post) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert answers == [302, 302]
    assert _notes(concern) == 1
