"""People and sign-in use cases. The only code that writes to the people app's tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.people.models import Membership, OrgUnit, Person, TwoFactorDevice, User

# Checked when no user matches, so a wrong email costs as long as a wrong password.
_TIMING_DUMMY_HASH = None


@dataclass(frozen=True)
class SignInOutcome:
    user: User | None
    locked: bool = False


def _dummy_hash() -> str:
    global _TIMING_DUMMY_HASH
    if _TIMING_DUMMY_HASH is None:
        _TIMING_DUMMY_HASH = make_password("not-a-real-password")
    return _TIMING_DUMMY_HASH


@transaction.atomic
def sign_in(*, email: str, password: str) -> SignInOutcome:
    """Check a password, counting failures and pausing the account after too many."""
    user = User.objects.select_for_update().filter(email__iexact=email.strip()).first()
    if user is None or not user.is_active:
        check_password(password, _dummy_hash())
        return SignInOutcome(None)
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        audit.record(action="sign_in_refused_locked", actor=None, target=user, system="sign-in")
        return SignInOutcome(None, locked=True)
    if user.check_password(password):
        user.failed_sign_ins, user.locked_until, user.last_login = 0, None, now
        user.save(update_fields=["failed_sign_ins", "locked_until", "last_login", "password", "updated_at"])
        audit.record(action="signed_in", actor=user, target=user)
        return SignInOutcome(user)
    user.failed_sign_ins += 1
    locked = user.failed_sign_ins >= settings.CANDOUR_LOCKOUT_FAILURES
    if locked:
        user.locked_until = now + dt.timedelta(minutes=settings.CANDOUR_LOCKOUT_MINUTES)
        user.failed_sign_ins = 0
    user.save(update_fields=["failed_sign_ins", "locked_until", "updated_at"])
    audit.record(action="locked_out" if locked else "sign_in_failed", target=user, system="sign-in")
    return SignInOutcome(None, locked=locked)


def record_sign_out(*, user: User) -> None:
    """Note in the audit log that a user signed out."""
    audit.record(action="signed_out", actor=user, target=user)


@transaction.atomic
def start_two_factor_enrolment(*, user: User) -> TwoFactorDevice:
    """The user's authenticator secret, made on first use and kept until they confirm it."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:
        device = TwoFactorDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def _accept_code(device: TwoFactorDevice, code: str) -> bool:
    totp = pyotp.TOTP(device.secret)
    code = "".join(code.split())
    now = timezone.now()
    for drift in (-1, 0, 1):
        step_time = now + dt.timedelta(seconds=30 * drift)
        step = int(step_time.timestamp()) // 30
        if step > device.last_used_step and totp.verify(code, for_time=step_time, valid_window=0):
            device.last_used_step = step
            return True
    return False


@transaction.atomic
def confirm_two_factor(*, user: User, code: str) -> bool:
    """Confirm enrolment with a first code from the authenticator app."""
    device = TwoFactorDevice.objects.select_for_update().get(user=user)
    if not _accept_code(device, code):
        return False
    device.confirmed_at = device.confirmed_at or timezone.now()
    device.save(update_fields=["confirmed_at", "last_used_step", "updated_at"])
    audit.record(action="two_factor_enrolled", actor=user, target=user)
    return True


@transaction.atomic
def verify_two_factor(*, user: User, code: str) -> bool:
    """Check a sign-in code; a code is accepted once only."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None or not _accept_code(device, code):
        audit.record(action="two_factor_failed", target=user, system="sign-in")
        return False
    device.save(update_fields=["last_used_step", "updated_at"])
    audit.record(action="two_factor_passed", actor=user, target=user)
    return True


@transaction.atomic
def create_user(*, by, email: str, person: Person | None, password: str | None = None) -> User:
    """Create a sign-in for a person."""
    user = User.objects.create_user(email=email, password=password, person=person)
    audit.record(
        action="created", actor=by, target=user, system="" if by else "setup", changes={"email": email}
    )
    return user


@transaction.atomic
def grant_membership(
    *, by, user: User, unit: OrgUnit, role: str, starts_on: dt.date | None = None
) -> Membership:
    """Give a user a role over an organisation unit."""
    membership, _ = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"starts_on": starts_on or timezone.localdate()}
    )
    audit.record(
        action="granted_role",
        actor=by,
        target=user,
        system="" if by else "setup",
        changes={"role": role, "unit": unit.code},
    )
    return membership
