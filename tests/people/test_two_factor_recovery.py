"""A lost phone: single-use recovery codes (shown once, kept only as hashes), and a system administrator's
audited reset of a person's second factor."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.people.models import RecoveryCode, TwoFactorDevice
from candour.people.roles import Role
from tests.support.factories import user_password

SIGN_IN = reverse("people:sign_in")
SET_UP = reverse("people:set_up_two_factor")
RECOVERY = reverse("people:use_recovery_code")
CODES_PAGE = reverse("people:show_recovery_codes")
HOME = reverse("core:home")
CODE = re.compile(r"<code>([2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4})</code>")


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.CANDOUR_REQUIRE_2FA = True
    settings.CANDOUR_RECOVERY_CODES = 10


def _signed_in_with_password(user) -> Client:
    client = Client()
    assert client.post(SIGN_IN, {"email": user.email, "password": user_password()}).status_code == 302
    return client


def _enrol(user) -> list[str]:
    """Set up the authenticator app through the pages; the recovery codes the page showed."""
    client = _signed_in_with_password(user)
    client.get(SET_UP)
    secret = TwoFactorDevice.objects.get(user=user).secret
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=5)):
        page = client.post(SET_UP, {"code": pyotp.TOTP(secret).now()})
    return CODE.findall(page.text)


def _later(minutes: float):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=False)


def test_setting_up_two_factor_shows_recovery_codes_once_and_keeps_only_hashes(make_user):
    guardian = make_user(Role.GUARDIAN)

    codes = _enrol(guardian)

    assert len(set(codes)) == 10
    stored = RecoveryCode.objects.filter(user=guardian)
    assert stored.count() == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_recoverycode")
        dump = repr(cursor.fetchall())
    assert not any(code in dump or code.replace("-", "") in dump for code in codes)
    assert not CODE.search(_signed_in_with_password(guardian).get(CODES_PAGE).text)


def test_a_recovery_code_passes_the_second_factor_once(make_user):
    guardian = make_user(Role.GUARDIAN)
    code = _enrol(guardian)[0]

    with _later(1):
        client = _signed_in_with_password(guardian)
        response = client.post(RECOVERY, {"code": code.upper().replace("-", " ")})
        assert response.status_code == 302
        assert "You have 9 recovery codes left" in client.get(HOME).text

        again = _signed_in_with_password(guardian)
        refused = again.post(RECOVERY, {"code": code})
    assert "That recovery code is not right, or it was used already" in refused.text
    assert again.get(HOME).status_code == 302
    assert (
        AuditEvent.objects.filter(action="recovery_code_used", object_id=str(guardian.public_id)).count() == 1
    )


def test_wrong_recovery_codes_count_towards_the_pause(make_user, settings):
    settings.CANDOUR_LOCKOUT_FAILURES = 3
    guardian = make_user(Role.GUARDIAN)
    _enrol(guardian)
    client = _signed_in_with_password(guardian)
    for step in range(3):
        with _later(step):
            response = client.post(RECOVERY, {"code": "aaaa-bbbb-cccc-dddd"})

    assert response.status_code == 302 and response.url == SIGN_IN
    guardian.refresh_from_db()
    assert guardian.is_locked()


def test_new_recovery_codes_replace_the_old_ones(make_user):
    guardian = make_user(Role.GUARDIAN)
    old = _enrol(guardian)
    with _later(1):
        client = _signed_in_with_password(guardian)
        client.post(RECOVERY, {"code": old[0]})
        new = CODE.findall(client.post(CODES_PAGE).text)

        assert len(new) == 10 and not set(new) & set(old)
        assert (
            "That recovery code is not right"
            in _signed_in_with_password(guardian).post(RECOVERY, {"code": old[1]}).text
        )


def test_recovery_codes_cannot_be_made_before_the_second_factor_is_passed(make_user):
    guardian = make_user(Role.GUARDIAN)
    old = _enrol(guardian)
    client = _signed_in_with_password(guardian)

    response = client.post(CODES_PAGE)

    assert response.status_code == 302 and not CODE.search(response.content.decode())
    assert RecoveryCode.objects.filter(user=guardian).count() == len(old)


def _reset_url(user) -> str:
    return reverse("people:reset_two_factor", kwargs={"person_id": user.person.public_id})


def test_an_administrator_resets_a_lost_phone_and_the_person_sets_it_up_again(make_user, client_for):
    guardian = make_user(Role.GUARDIAN)
    codes = _enrol(guardian)
    signed_in = _signed_in_with_password(guardian)
    signed_in.post(RECOVERY, {"code": codes[0]})
    assert signed_in.get(HOME).status_code == 200
    admin = client_for(make_user(Role.SYSTEM_ADMIN, guardian.person.station.parent.parent))
    assert "Reset two-factor sign-in" in admin.get(_reset_url(guardian)).text

    response = admin.post(
        _reset_url(guardian), {"reason": "Phone lost on shift; identity checked by phone call"}
    )

    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=guardian).exists()
    assert not RecoveryCode.objects.filter(user=guardian).exists()
    event = AuditEvent.objects.get(action="two_factor_reset", object_id=str(guardian.public_id))
    assert "Phone lost on shift" in event.summary and event.actor_label
    assert signed_in.get(HOME).status_code == 302, "the person's session outlived the reset"
    fresh = _signed_in_with_password(guardian)
    assert fresh.get(HOME).url == SET_UP


def test_the_reset_needs_a_reason(make_user, client_for):
    guardian = make_user(Role.GUARDIAN)
    _enrol(guardian)
    admin = client_for(make_user(Role.SYSTEM_ADMIN, guardian.person.station.parent.parent))

    response = admin.post(_reset_url(guardian), {"reason": ""})

    assert "Enter why you are resetting it" in response.text
    assert TwoFactorDevice.objects.filter(user=guardian).exists()


def test_an_administrator_cannot_reset_their_own_second_factor(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    _enrol(admin)

    response = client_for(admin).post(_reset_url(admin), {"reason": "New phone"})

    assert "Ask another system administrator" in response.text
    assert TwoFactorDevice.objects.filter(user=admin).exists()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SAFEGUARDING_LEAD, Role.STAFF])
def test_only_system_administrators_reset_second_factors(make_user, client_for, role):
    guardian = make_user(Role.GUARDIAN)
    _enrol(guardian)
    other = client_for(make_user(role, guardian.person.station.parent.parent))

    assert other.get(_reset_url(guardian)).status_code == 403
    assert other.post(_reset_url(guardian), {"reason": "x"}).status_code == 403
    assert TwoFactorDevice.objects.filter(user=guardian).exists()


def test_an_administrator_of_another_trust_cannot_find_the_person(make_user, client_for):
    guardian = make_user(Role.GUARDIAN)
    _enrol(guardian)
    elsewhere = client_for(make_user(Role.SYSTEM_ADMIN))

    assert elsewhere.post(_reset_url(guardian), {"reason": "x"}).status_code == 404
