"""Signing in with a password, and signing out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.people.access import needs_two_factor
from candour.people.models import User
from candour.people.services import attempts


@dataclass(frozen=True)
class SignInOutcome:
    """`user` when the password was right and the account may sign in; `client_refused` when this client
    address had failed too often, so nothing was checked at all."""

    user: User | None
    client_refused: bool = False


@cache
def _decoy_hash(algorithm: str) -> str:
    # Made with the hasher real passwords are kept in, so checking it costs what checking theirs does.
    return make_password("not anyone's password", hasher=algorithm)


@transaction.atomic
def sign_in(*, email: str, password: str, client: str) -> SignInOutcome:
    """Check a password. Every failure is one answer for one password hash, so that neither the page nor
    the time it takes tells an address with an account from one without, or a paused account from a
    wrong password."""
    if attempts.client_refused(client):
        return SignInOutcome(None, client_refused=True)
    # NO KEY UPDATE: enough to count this account's failures one at a time, and it does not block the
    # key-share lock that inserting a row pointing at the user takes (a sign-out's audit event).
    user = User.objects.select_for_update(no_key=True).filter(email__iexact=email.strip()).first()
    if user is None:
        check_password(password, _decoy_hash(get_hasher().algorithm))
        attempts.count_client_failure(client)
        return SignInOutcome(None)
    right = user.check_password(password)
    now = timezone.now()
    if not user.is_active or user.is_locked(now):
        if user.is_active:
            audit.record(action="sign_in_refused_locked", target=user, system=attempts.SYSTEM)
        attempts.count_client_failure(client)
        return SignInOutcome(None)
    if not right:
        paused = attempts.count_account_failure(user, now)
        audit.record(action="locked_out" if paused else "sign_in_failed", target=user, system=attempts.SYSTEM)
        attempts.count_client_failure(client)
        return SignInOutcome(None)
    user.last_login = now
    user.save(update_fields=["last_login", "updated_at"])
    if needs_two_factor(user):
        # Failures are forgotten only when the whole sign-in succeeds: a right password does not buy
        # more guesses at the code.
        audit.record(action="password_accepted", actor=user, target=user)
    else:
        attempts.forget_account_failures(user)
        audit.record(action="signed_in", actor=user, target=user)
    return SignInOutcome(user)


def record_sign_out(*, user: User) -> None:
    """Note in the audit log that a user signed out."""
    audit.record(action="signed_out", actor=user, target=user)
