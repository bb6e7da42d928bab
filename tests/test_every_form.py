"""Every POST form on every page, as every role and signed out, sent back as a browser would send it.

The test client normally skips the CSRF check, which once hid five action-plan forms that rendered no
token: every submit answered 403 for the people who needed them. Here the check is enforced, the token
must come from the form itself, and a form may be refused for its content but never for its token and
never with a server error.
"""

from __future__ import annotations

import pytest
from django.test import Client

from candour.core.models import AuditEvent
from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.people.roles import Role
from tests.support.factories import make_user
from tests.support.html_forms import post_forms
from tests.support.writers import writes_watched
from tests.test_every_url import World, _urls


def _browser_like_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        session = client.session
        session[TWO_FACTOR_PASSED] = True
        session.save()
    return client


def _html(response) -> str | None:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def _sent_again_does_nothing(client, form, url, first, where) -> list[str]:
    """A reload or a double tap: the same form, token and all, sent a second time."""
    events = AuditEvent.objects.count()
    again = client.post(form.action or url, form.data())
    if AuditEvent.objects.count() != events:
        return [f"{where} did its work again when sent twice"]
    if again.status_code not in (302, 303) or again["Location"] != first["Location"]:
        return [f"{where} sent twice answered {again.status_code}, not the first answer's page"]
    return []


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_post_form_carries_a_token_the_server_accepts(db, role):
    world = World()
    user = make_user(role, world.unit_for(role)) if role else None
    with writes_watched() as writes:
        failures, forms_sent = _send_every_form(world, user)
    assert not failures, "\n".join(failures)
    assert forms_sent, "no form was sent: the walk found no POST form for this role"
    assert not writes.outside_writers, "Only services write; these forms wrote:\n" + writes.report()


def _send_every_form(world: World, user) -> tuple[list[str], int]:
    failures, forms_sent = [], 0
    for name, url, _ in _urls(world):
        html = _html(_browser_like_client(user).get(url))
        if html is None:
            continue
        for index, form in enumerate(post_forms(html)):
            if not form.has_csrf_token:
                where = form.action or "itself"
                failures.append(f"{name} {url}: form {index + 1} ({where}) has no CSRF token")
                continue
            # A fresh client for each form: the one before may have signed out or changed the page.
            client = _browser_like_client(user)
            fresh = _html(client.get(url))
            if fresh is None or len(post_forms(fresh)) <= index:
                continue
            form = post_forms(fresh)[index]
            response = client.post(form.action or url, form.data())
            forms_sent += 1
            if response.status_code == 403 and b"CSRF" in response.content:
                failures.append(f"{name} {url}: form {index + 1} refused by the CSRF check")
            elif response.status_code >= 500:
                failures.append(f"{name} {url}: form {index + 1} answered {response.status_code}")
            elif response.status_code in (302, 303):
                failures += _sent_again_does_nothing(
                    client, form, url, response, f"{name} {url}: form {index + 1}"
                )
    return failures, forms_sent
