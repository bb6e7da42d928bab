"""Signing in: the right password lets you in, repeated failures pause the account, idle sessions end,
and privileged roles need a second factor when it is required."""

import datetime as dt

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.people.models import TwoFactorDevice
from candour.people.roles import Role
from tests.support.factories import user_password

SIGN_IN = reverse("people:sign_in")


def _sign_in(client, email, password=None, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password or user_password(), **extra})


def test_sign_in_with_the_right_password_goes_home(make_user):
    user = make_user()
    client = Client()

    response = _sign_in(client, user.email.upper())

    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="signed_in", object_id=str(user.public_id)).exists()


def test_a_wrong_password_gets_one_message_and_the_error_summary(make_user):
    user = make_user()

    response = _sign_in(Client(), user.email, "wrong password")

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct email address and password" in response.text


def test_an_unknown_email_gets_the_same_message_as_a_wrong_password(db):
    response = _sign_in(Client(), "nobody@test.example", "whatever")

    assert "Enter a correct email address and password" in response.text


def test_empty_fields_get_a_message_each(db):
    response = Client().post(SIGN_IN, {"email": "", "password": ""})

    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text


def test_repeated_failures_pause_the_account_even_for_the_right_password(make_user, settings):
    user = make_user()
    client = Client()
    for _ in range(settings.CANDOUR_LOCKOUT_FAILURES):
        _sign_in(client, user.email, "wrong password")

    response = _sign_in(client, user.email)

    assert "Enter a correct email address and password" in response.text
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action="sign_in_refused_locked").exists()


def test_the_pause_ends_after_the_lockout_period(make_user, settings):
    user = make_user()
    for _ in range(settings.CANDOUR_LOCKOUT_FAILURES):
        _sign_in(Client(), user.email, "wrong password")

    later = timezone.now() + dt.timedelta(minutes=settings.CANDOUR_LOCKOUT_MINUTES + 1)
    with time_machine.travel(later):
        response = _sign_in(Client(), user.email)

    assert response.status_code == 302


def test_next_only_follows_local_addresses(make_user):
    user = make_user()

    assert _sign_in(Client(), user.email, next="https://evil.example/").url == reverse("core:home")
    assert _sign_in(Client(), user.email, next="/people/").url == "/people/"


def test_an_idle_session_is_signed_out(make_user, settings):
    client = Client()
    _sign_in(client, make_user().email)
    assert client.get(reverse("core:home")).status_code == 200

    later = timezone.now() + dt.timedelta(seconds=settings.CANDOUR_IDLE_TIMEOUT_SECONDS + 60)
    with time_machine.travel(later):
        response = client.get(reverse("core:home"))

    assert response.status_code == 302 and response.url == SIGN_IN


def test_sign_out_ends_the_session(make_user):
    client = Client()
    _sign_in(client, make_user().email)

    client.post(reverse("people:sign_out"))

    assert client.get(reverse("core:home")).status_code == 302


def test_admin_has_no_sign_in_of_its_own(db):
    response = Client().get("/admin/login/?next=/admin/")

    assert response.status_code == 302 and response.url.startswith(SIGN_IN)


@pytest.fixture
def two_factor_required(settings):
    settings.CANDOUR_REQUIRE_2FA = True


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_LEAD, Role.GUARDIAN, Role.EXECUTIVE, Role.SYSTEM_ADMIN])
def test_privileged_roles_must_set_up_two_factor_first(make_user, two_factor_required, role):
    client = Client()
    _sign_in(client, make_user(role).email)

    response = client.get(reverse("core:home"))

    assert response.status_code == 302 and response.url == reverse("people:set_up_two_factor")


def test_staff_need_no_second_factor(make_user, two_factor_required):
    client = Client()
    _sign_in(client, make_user(Role.STAFF).email)

    assert client.get(reverse("core:home")).status_code == 200


def test_enrolling_then_signing_in_with_a_code(make_user, two_factor_required):
    user = make_user(Role.GUARDIAN)
    client = Client()
    _sign_in(client, user.email)
    page = client.get(reverse("people:set_up_two_factor"))
    assert "Set up two-factor sign-in" in page.text
    secret = TwoFactorDevice.objects.get(user=user).secret

    client.post(reverse("people:set_up_two_factor"), {"code": pyotp.TOTP(secret).now()})
    assert client.get(reverse("core:home")).status_code == 200

    second = Client()
    _sign_in(second, user.email)
    assert second.get(reverse("core:home")).url == reverse("people:verify_two_factor")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=60)):
        second.post(reverse("people:verify_two_factor"), {"code": pyotp.TOTP(secret).now()})
        assert second.get(reverse("core:home")).status_code == 200


def test_a_code_cannot_be_used_twice(make_user, two_factor_required):
    user = make_user(Role.GUARDIAN)
    client = Client()
    _sign_in(client, user.email)
    client.get(reverse("people:set_up_two_factor"))
    code = pyotp.TOTP(TwoFactorDevice.objects.get(user=user).secret).now()
    client.post(reverse("people:set_up_two_factor"), {"code": code})

    replay = Client()
    _sign_in(replay, user.email)
    response = replay.post(reverse("people:verify_two_factor"), {"code": code})

    assert "used already" in response.text


def test_a_malformed_code_gets_a_clear_message(make_user, two_factor_required):
    client = Client()
    _sign_in(client, make_user(Role.GUARDIAN).email)
    client.get(reverse("people:set_up_two_factor"))

    response = client.post(reverse("people:set_up_two_factor"), {"code": "12ab"})

    assert "Enter the 6-digit code, like 123456" in response.text
