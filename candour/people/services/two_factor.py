"""The second factor: an authenticator app (TOTP), and single-use recovery codes for when it is lost.

A wrong code counts against the account with wrong passwords (services.attempts): each one makes the
next wait longer, and enough of them pause the account until time or an administrator lifts the pause.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.people.models import RecoveryCode, TwoFactorDevice, User
from candour.people.services import attempts

# No look-alikes (0/o, 1/l/i); 16 symbols of 31 is about 79 bits, beyond guessing even from a stolen hash.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 16
RECOVERY_GROUP = 4


@dataclass(frozen=True)
class CodeOutcome:
    """What became of a code: `passed`; or `wrong` (checked, and not right); or not checked at all, because
    the account is paused (`paused_until`: the person must start again later), this client address has
    failed too often (`client_refused`), or it came too soon after a wrong one. `wait_seconds` is how
    long until the next code will be checked."""

    passed: bool = False
    wrong: bool = False
    wait_seconds: int = 0
    paused_until: dt.datetime | None = None
    client_refused: bool = False
    recovery_codes_left: int | None = None


@transaction.atomic
def start_two_factor_enrolment(*, user: User) -> TwoFactorDevice:
    """The user's authenticator secret, made on first use and kept until they confirm it."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:
        device = TwoFactorDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def _accept_code(device: TwoFactorDevice, code: str, now: dt.datetime) -> bool:
    totp = pyotp.TOTP(device.secret)
    code = "".join(code.split())
    for drift in (-1, 0, 1):
        step_time = now + dt.timedelta(seconds=30 * drift)
        step = int(step_time.timestamp()) // 30
        if step > device.last_used_step and totp.verify(code, for_time=step_time, valid_window=0):
            device.last_used_step = step
            return True
    return False


@dataclass(frozen=True)
class Enrolled:
    """Enrolment confirmed, with the recovery codes to show the person once."""

    recovery_codes: list[str]


@transaction.atomic
def confirm_two_factor(*, user: User, code: str) -> Enrolled | None:
    """Confirm enrolment with a first code from the authenticator app; make the recovery codes."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    device = TwoFactorDevice.objects.select_for_update().get(user=user)
    if not _accept_code(device, code, timezone.now()):
        return None
    device.confirmed_at = device.confirmed_at or timezone.now()
    device.save(update_fields=["confirmed_at", "last_used_step", "updated_at"])
    codes = _replace_recovery_codes(user)
    attempts.forget_account_failures(user)
    audit.record(action="two_factor_enrolled", actor=user, target=user)
    return Enrolled(codes)


def _refusal(user: User, client: str, now: dt.datetime) -> CodeOutcome | None:
    """Why no code may be checked just now, if there is a reason."""
    if attempts.client_refused(client):
        return CodeOutcome(client_refused=True)
    if user.is_locked(now):
        return CodeOutcome(paused_until=user.locked_until)
    wait = attempts.code_backoff_seconds(user, now)
    return CodeOutcome(wait_seconds=wait) if wait else None


def _wrong_code(user: User, client: str, now: dt.datetime, action: str) -> CodeOutcome:
    paused = attempts.count_account_failure(user, now)
    audit.record(action="locked_out" if paused else action, target=user, system=attempts.SYSTEM)
    attempts.count_client_failure(client)
    if paused:
        return CodeOutcome(wrong=True, paused_until=user.locked_until)
    return CodeOutcome(wrong=True, wait_seconds=attempts.code_backoff_seconds(user, now))


@transaction.atomic
def verify_two_factor(*, user: User, code: str, client: str) -> CodeOutcome:
    """Check a sign-in code from the authenticator app; a code is accepted once only."""
    now = timezone.now()
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    refused = _refusal(user, client, now)
    if refused:
        return refused
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None or not _accept_code(device, code, now):
        return _wrong_code(user, client, now, "two_factor_failed")
    device.save(update_fields=["last_used_step", "updated_at"])
    attempts.forget_account_failures(user)
    audit.record(action="two_factor_passed", actor=user, target=user)
    return CodeOutcome(passed=True)


def _recovery_hash(code: str) -> str:
    typed = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(typed.encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + RECOVERY_GROUP] for i in range(0, RECOVERY_LENGTH, RECOVERY_GROUP))


def _replace_recovery_codes(user: User) -> list[str]:
    codes = [_new_recovery_code() for _ in range(settings.CANDOUR_RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def replace_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes, to be shown once; every earlier code stops working."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    codes = _replace_recovery_codes(user)
    audit.record(action="recovery_codes_replaced", actor=user, target=user)
    return codes


@transaction.atomic
def use_recovery_code(*, user: User, code: str, client: str) -> CodeOutcome:
    """Pass the second factor with a recovery code, which then never works again."""
    now = timezone.now()
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    refused = _refusal(user, client, now)
    if refused:
        return refused
    # One UPDATE that only an unused code matches: two requests racing with the same code cannot both win.
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=now, updated_at=now)
    if not spent:
        return _wrong_code(user, client, now, "recovery_code_failed")
    attempts.forget_account_failures(user)
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    audit.record(action="recovery_code_used", actor=user, target=user, changes={"codes_left": left})
    return CodeOutcome(passed=True, recovery_codes_left=left)
