"""The error pages (400, 403, 404, 500 and a refused form) are shown in the design system's layout even when
the database has gone: they never ask it for anything, not the session, the user or the navigation."""

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import Http404
from django.test import Client, RequestFactory

from candour.core import views
from candour.people.roles import Role
from tests.support.unreachable import database_unreachable


def _signed_in_request(client, path="/somewhere/"):
    """A request as the middleware leaves it for a signed-in person: their session and user not yet read."""
    request = RequestFactory().get(path)
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def test_unreachable_database_refuses_connections(db):
    with database_unreachable(), pytest.raises(OperationalError):
        connection.ensure_connection()


def test_a_signed_in_request_with_the_database_gone_shows_the_styled_500(make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD))
    client.raise_request_exception = False

    with database_unreachable():
        response = client.get("/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "nhsuk-header" in response.text


@pytest.mark.parametrize(
    ("handler", "exception", "status", "title"),
    [
        (views.bad_request, None, 400, "Sorry, there is a problem with the request"),
        (views.forbidden, PermissionDenied(), 403, "You do not have access to this page"),
        (views.not_found, Http404(), 404, "Page not found"),
    ],
)
def test_error_pages_render_without_the_database(make_user, client_for, handler, exception, status, title):
    request = _signed_in_request(client_for(make_user(Role.GUARDIAN)))

    with database_unreachable():
        response = handler(request, exception)

    assert response.status_code == status
    assert title in response.content.decode() and "nhsuk-header" in response.content.decode()


def test_server_error_page_renders_without_the_database(make_user, client_for):
    request = _signed_in_request(client_for(make_user(Role.EXECUTIVE)))

    with database_unreachable():
        response = views.server_error(request)

    assert response.status_code == 500 and "Nothing you entered has been saved" in response.content.decode()


def test_a_form_refused_by_the_csrf_check_shows_the_styled_page_without_the_database(db):
    client = Client(enforce_csrf_checks=True)

    with database_unreachable():
        response = client.post("/sign-in/", {"email": "someone@example.org", "password": "x"})

    assert response.status_code == 403
    assert "Sorry, that form could not be sent" in response.text and "nhsuk-header" in response.text


def test_the_csrf_page_for_a_signed_in_person_renders_without_the_database(make_user, client_for):
    request = _signed_in_request(client_for(make_user(Role.SAFEGUARDING_LEAD)))

    with database_unreachable():
        response = views.csrf_failure(request, reason="CSRF token missing.")

    assert response.status_code == 403 and "Sorry, that form could not be sent" in response.content.decode()
