"""Home, health, statements and the error pages."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from candour.core import attention
from candour.core.attention import AttentionItem, provider
from candour.people.roles import Role
from tests.support.factories import PersonFactory


def test_home_shows_a_designed_empty_state(make_user, client_for):
    page = client_for(make_user(Role.STAFF)).get("/").text

    assert "Nothing needs your attention right now" in page


def test_home_shows_what_an_app_says_needs_attention(make_user, client_for, monkeypatch):
    user = make_user(Role.STAFF)
    # This test's provider goes when the test does: left registered, it answered a later test's user who
    # had been given the same row id (the home card walk failed in CI on a card no app made).
    monkeypatch.setattr(attention, "_providers", list(attention._providers))

    @provider
    def overdue(for_user):
        if for_user == user:
            yield AttentionItem(
                "Training overdue", "Safeguarding children level 3", "/training/", 2, urgent=True
            )

    page = client_for(user).get("/").text

    assert "Training overdue" in page and "Safeguarding children level 3" in page


def test_line_manager_is_told_about_a_leaver(make_user, client_for):
    manager = make_user(Role.LINE_MANAGER)
    PersonFactory(station=manager.person.station, line_manager=manager.person, leave_date=dt.date.today())

    assert "Team members leaving" in client_for(manager).get("/").text


def test_health_answers_ok_without_signing_in(db):
    response = Client().get("/health/")

    assert response.status_code == 200 and response.text == "ok"


def test_every_page_sends_a_strict_content_security_policy(db):
    policy = Client().get("/sign-in/").headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_unknown_address_shows_the_styled_404(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.text and "nhsuk-header" in response.text


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", _boom), path("", include("candour.urls"))]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.django_db
def test_a_server_error_shows_the_styled_500():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Nothing you entered has been saved" in response.text


handler500 = "candour.core.views.server_error"


@pytest.mark.parametrize("path", ["/", "/people/", "/cases/", "/speak-up/reports/themes/"])
def test_read_only_pages_do_not_take_the_request_transaction(path):
    from django.urls import resolve

    assert "default" in getattr(resolve(path).func, "_non_atomic_requests", set())
