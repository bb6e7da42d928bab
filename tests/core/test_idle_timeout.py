"""The idle timer: refreshed by the pages a person uses, never by a request that leaves the session alone."""

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from candour.people.roles import Role

START = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)


def _session_row(client) -> tuple:
    row = Session.objects.get(session_key=client.session.session_key)
    return row.session_data, row.expire_date


def test_a_page_refreshes_the_idle_timer_once_a_minute(make_user, client_for):
    client = client_for(make_user(Role.STAFF))
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("core:home"))
        first = _session_row(client)
        clock.move_to(START + dt.timedelta(seconds=30))
        client.get(reverse("core:home"))
        assert _session_row(client) == first
        clock.move_to(START + dt.timedelta(minutes=2))
        client.get(reverse("core:home"))
        assert _session_row(client) != first
        assert client.session["last_seen"] == int((START + dt.timedelta(minutes=2)).timestamp())


def test_an_anonymous_report_leaves_the_signed_in_session_unwritten(make_user, client_for):
    client = client_for(make_user(Role.STAFF))
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("core:home"))
        before = _session_row(client)
        clock.move_to(START + dt.timedelta(minutes=5))
        for url in ("speakup:follow_up", "speakup:start_anonymous_concern", "speakup:show_receipt"):
            assert client.get(reverse(url)).status_code == 200
        assert _session_row(client) == before


def test_signed_out_pages_create_no_session(db):
    client = Client()

    client.get(reverse("speakup:follow_up"))

    assert not Session.objects.exists()
