"""Nobody can learn from the sign-in page which addresses have accounts, or which accounts are paused:
every failure gets the same page and costs the same password-hashing work (counted, never timed)."""

import pytest
from django.test import Client
from django.urls import reverse

from candour.people.roles import Role
from tests.people.hashing import CountingHasher
from tests.people.pages import without_tokens
from tests.support.factories import user_password

SIGN_IN = reverse("people:sign_in")
TYPED = "someone@test.example"


@pytest.fixture
def counted_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.people.hashing.CountingHasher"]


def _attempt(email: str, password: str) -> tuple[str, int]:
    """The page a failed sign-in answers with (the typed address written the same way), and the number of
    password hashes the server computed for it."""
    before = CountingHasher.computed
    response = Client().post(SIGN_IN, {"email": email, "password": password})
    assert response.status_code == 200, f"{email} was signed in"
    return without_tokens(response.text).replace(email, TYPED), CountingHasher.computed - before


def test_every_kind_of_failure_answers_alike_and_hashes_once(make_user, counted_hashing, settings):
    paused, closed, no_password, pausing = (make_user() for _ in range(4))
    for _ in range(settings.CANDOUR_LOCKOUT_FAILURES):
        Client().post(SIGN_IN, {"email": paused.email, "password": "wrong password"})
    closed.is_active = False
    closed.save()
    no_password.set_unusable_password()
    no_password.save()
    for _ in range(settings.CANDOUR_LOCKOUT_FAILURES - 1):
        Client().post(SIGN_IN, {"email": pausing.email, "password": "wrong password"})
    guardian = make_user(Role.GUARDIAN)
    # Each process makes its decoy hash once, on the first unknown address it is sent.
    _attempt("warm-up@test.example", "whatever")

    answers = {
        "no such address": _attempt("nobody@test.example", "whatever"),
        "wrong password": _attempt(make_user().email, "wrong password"),
        "paused, right password": _attempt(paused.email, user_password()),
        "paused, wrong password": _attempt(paused.email, "wrong password"),
        "closed account, right password": _attempt(closed.email, user_password()),
        "no password set": _attempt(no_password.email, "whatever"),
        "the failure that pauses": _attempt(pausing.email, "wrong password"),
        "privileged account": _attempt(guardian.email, "wrong password"),
    }

    pages = {page for page, _ in answers.values()}
    assert len(pages) == 1, "the sign-in page answered differently for: " + ", ".join(
        sorted(kind for kind, (page, _) in answers.items() if page != answers["wrong password"][0])
    )
    assert "Enter a correct email address and password" in pages.pop()
    assert {kind: hashes for kind, (_, hashes) in answers.items()} == dict.fromkeys(answers, 1)
