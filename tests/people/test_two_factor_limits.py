"""Second-factor codes cannot be guessed: each wrong code makes the next wait longer, wrong codes count
with wrong passwords against the account, and enough of them pause it until time or an administrator
lifts the pause."""

import datetime as dt

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.people import services
from candour.people.models import User
from candour.people.roles import Role
from tests.support.factories import user_password

SIGN_IN = reverse("people:sign_in")
VERIFY = reverse("people:verify_two_factor")
HOME = reverse("core:home")
TOO_MANY = "too many failed sign-ins from your network"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.CANDOUR_REQUIRE_2FA = True
    settings.CANDOUR_LOCKOUT_FAILURES = 5
    settings.CANDOUR_LOCKOUT_MINUTES = 15
    settings.CANDOUR_TWO_FACTOR_BACKOFF_SECONDS = 5


@pytest.fixture
def guardian(make_user):
    """A guardian with an authenticator app set up; `guardian.totp` makes their codes."""
    user = make_user(Role.GUARDIAN)
    device = services.start_two_factor_enrolment(user=user)
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=5)):
        services.confirm_two_factor(user=user, code=pyotp.TOTP(device.secret).now())
    user.totp = pyotp.TOTP(device.secret)
    return user


def _wrong(totp) -> str:
    """A six-digit code that no step near now accepts."""
    near = {totp.at(timezone.now() + dt.timedelta(seconds=30 * drift)) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def _signed_in_with_password(user) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"email": user.email, "password": user_password()})
    assert response.status_code == 302, "the password step failed"
    return client


def _code(client, code: str):
    return client.post(VERIFY, {"code": code})


def _later(seconds: float):
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=seconds), tick=False)


def test_a_wrong_code_makes_the_next_one_wait(guardian):
    client = _signed_in_with_password(guardian)

    wrong = _code(client, _wrong(guardian.totp))
    too_soon = _code(client, guardian.totp.now())

    assert "Wait 5 seconds, then enter the newest code" in wrong.text
    assert "before you enter another code" in too_soon.text
    assert client.get(HOME).status_code == 302, "a code sent too soon was checked"
    with _later(6):
        assert _code(client, guardian.totp.now()).status_code == 302
        assert client.get(HOME).status_code == 200


def test_each_wrong_code_in_a_row_doubles_the_wait(guardian):
    client = _signed_in_with_password(guardian)
    waits = []
    for step in range(3):
        with _later(100 * step):
            waits.append(_code(client, _wrong(guardian.totp)).text)

    assert "Wait 5 seconds" in waits[0] and "Wait 10 seconds" in waits[1] and "Wait 20 seconds" in waits[2]


def test_enough_wrong_codes_pause_the_account_and_end_the_attempt(guardian):
    client = _signed_in_with_password(guardian)
    for step in range(5):
        with _later(100 * step):
            response = _code(client, _wrong(guardian.totp))

    assert response.status_code == 302 and response.url == SIGN_IN
    assert "Sign-in is paused after too many wrong attempts" in client.get(SIGN_IN).text
    assert client.get(HOME).status_code == 302
    guardian.refresh_from_db()
    assert guardian.is_locked()
    assert AuditEvent.objects.filter(action="locked_out", object_id=str(guardian.public_id)).exists()
    with _later(600):
        refused = Client().post(SIGN_IN, {"email": guardian.email, "password": user_password()})
    assert refused.status_code == 200, "the right password signed in during the pause"


def test_wrong_codes_count_with_wrong_passwords(guardian):
    for _ in range(3):
        Client().post(SIGN_IN, {"email": guardian.email, "password": "wrong password"})
    client = _signed_in_with_password(guardian)
    with _later(100):
        _code(client, _wrong(guardian.totp))
    with _later(200):
        _code(client, _wrong(guardian.totp))

    guardian.refresh_from_db()
    assert guardian.is_locked()


def test_the_right_password_again_does_not_buy_more_codes(guardian):
    for attempt in range(5):
        with _later(100 * attempt):
            client = _signed_in_with_password(guardian)
            _code(client, _wrong(guardian.totp))

    guardian.refresh_from_db()
    assert guardian.is_locked()


def test_each_pause_in_a_row_is_twice_as_long(guardian):
    start = timezone.now()
    pauses = []
    for pause in range(2):
        for attempt in range(5):
            with time_machine.travel(start + dt.timedelta(hours=pause, seconds=100 * attempt), tick=False):
                Client().post(SIGN_IN, {"email": guardian.email, "password": "wrong password"})
        guardian.refresh_from_db()
        pauses.append(guardian.locked_until - guardian.last_failed_sign_in_at)

    assert pauses == [dt.timedelta(minutes=15), dt.timedelta(minutes=30)]


def test_time_lifts_the_pause_and_a_full_sign_in_forgets_the_failures(guardian):
    client = _signed_in_with_password(guardian)
    for step in range(5):
        with _later(100 * step):
            _code(client, _wrong(guardian.totp))

    with _later(100 * 5 + 15 * 60):
        client = _signed_in_with_password(guardian)
        assert _code(client, guardian.totp.now()).status_code == 302
    guardian.refresh_from_db()
    assert (guardian.failed_sign_ins, guardian.lockouts) == (0, 0)


def test_an_administrator_lifts_the_pause(guardian, make_user, client_for):
    User.objects.filter(pk=guardian.pk).update(locked_until=timezone.now() + dt.timedelta(hours=1))
    admin = client_for(make_user(Role.SYSTEM_ADMIN, guardian.person.station.parent.parent))
    person_page = reverse("people:show_person", kwargs={"person_id": guardian.person.public_id})
    assert "Paused until" in admin.get(person_page).text

    response = admin.post(
        reverse("people:lift_sign_in_pause", kwargs={"person_id": guardian.person.public_id})
    )

    assert response.status_code == 302
    assert "Sign-in is no longer paused" in admin.get(person_page).text
    assert _signed_in_with_password(guardian)
    assert AuditEvent.objects.filter(
        action="sign_in_pause_lifted", object_id=str(guardian.public_id)
    ).exists()


def test_only_system_administrators_lift_pauses(guardian, make_user, client_for):
    User.objects.filter(pk=guardian.pk).update(locked_until=timezone.now() + dt.timedelta(hours=1))
    trust = guardian.person.station.parent.parent
    url = reverse("people:lift_sign_in_pause", kwargs={"person_id": guardian.person.public_id})

    assert client_for(make_user(Role.EXECUTIVE, trust)).post(url).status_code == 403
    guardian.refresh_from_db()
    assert guardian.is_locked()


def test_a_client_guessing_codes_for_many_accounts_is_stopped(make_user, settings):
    settings.CANDOUR_SIGN_IN_CLIENT_FAILURES = 3
    answers = []
    for _ in range(4):
        guardian = make_user(Role.GUARDIAN)
        device = services.start_two_factor_enrolment(user=guardian)
        with _later(-300):
            services.confirm_two_factor(user=guardian, code=pyotp.TOTP(device.secret).now())
        client = Client(REMOTE_ADDR="203.0.113.66")
        signed_in = client.post(SIGN_IN, {"email": guardian.email, "password": user_password()})
        answers.append(signed_in.text or _code(client, _wrong(pyotp.TOTP(device.secret))).text)

    assert not any(TOO_MANY in answer for answer in answers[:3])
    assert TOO_MANY in answers[3]
