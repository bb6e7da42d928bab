"""Sign-ins and the roles they hold, and what a system administrator does for someone who cannot sign in."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.models import Membership, OrgUnit, Person, RecoveryCode, TwoFactorDevice, User


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


@transaction.atomic
def lift_sign_in_pause(*, by: User, user: User) -> User:
    """End a pause after failed sign-ins before its time, once the administrator knows who was trying."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if not user.is_locked():
        raise Refused("Sign-in is not paused for this person.")
    paused_until = user.locked_until
    user.locked_until, user.failed_sign_ins, user.lockouts = None, 0, 0
    user.save(update_fields=["locked_until", "failed_sign_ins", "lockouts", "updated_at"])
    audit.record(
        action="sign_in_pause_lifted",
        actor=by,
        target=user,
        changes={"locked_until": [audit.audit_value(paused_until), None]},
    )
    return user


@transaction.atomic
def reset_second_factor(*, by: User, user: User, reason: str) -> User:
    """Forget a person's authenticator app and recovery codes (a lost or replaced phone) and end their
    sessions: they set up two-factor sign-in again the next time they sign in with their password."""
    if by.pk == user.pk:
        raise Refused("Ask another system administrator to reset your own two-factor sign-in.")
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if not TwoFactorDevice.objects.filter(user=user).exists():
        raise Refused("This person has not set up two-factor sign-in, so there is nothing to reset.")
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    user.sign_in_generation += 1
    user.save(update_fields=["sign_in_generation", "updated_at"])
    audit.record(action="two_factor_reset", actor=by, target=user, summary=reason)
    return user
