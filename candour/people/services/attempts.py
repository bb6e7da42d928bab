"""Counting failed sign-in steps: against the account (wrong passwords and wrong second-factor codes
together, on the user's row, where an administrator can see and lift a pause) and against the client
address (core.throttle, shared by every web process), so that neither guessing one account nor trying one
password on every account goes fast.

Locks are always taken in one order, so that two sign-ins can never wait on each other: the user's row,
then their second-factor rows, then the audit chain's head (audit.record), then the throttle's bucket.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings

from candour.core import throttle
from candour.people.models import User

SYSTEM = "sign-in"
# Doubling stops here: 2**16 of anything is already longer than any cap a trust would choose.
_MAX_DOUBLINGS = 16


def client_limit() -> throttle.Limit:
    """Failed sign-ins one client address may make in a window, whichever accounts they were for."""
    return throttle.Limit(
        "sign-in-failures",
        attempts=settings.CANDOUR_SIGN_IN_CLIENT_FAILURES,
        window=dt.timedelta(minutes=settings.CANDOUR_SIGN_IN_CLIENT_WINDOW_MINUTES),
    )


def client_refused(client: str) -> bool:
    """This client has failed too often in this window: nothing it sends is checked until the window ends."""
    return throttle.exceeded(client_limit(), client)


def count_client_failure(client: str) -> None:
    throttle.count(client_limit(), client)


def count_account_failure(user: User, now: dt.datetime) -> bool:
    """One more wrong password or code for this account (locked by the caller); pause the account once they
    add up, each pause in a row twice as long as the last. True when this failure paused it."""
    user.failed_sign_ins += 1
    user.last_failed_sign_in_at = now
    paused = user.failed_sign_ins >= settings.CANDOUR_LOCKOUT_FAILURES
    if paused:
        user.lockouts += 1
        doublings = min(user.lockouts - 1, _MAX_DOUBLINGS)
        minutes = min(settings.CANDOUR_LOCKOUT_MINUTES * 2**doublings, settings.CANDOUR_LOCKOUT_MAX_MINUTES)
        user.locked_until = now + dt.timedelta(minutes=minutes)
        user.failed_sign_ins = 0
    user.save(
        update_fields=["failed_sign_ins", "last_failed_sign_in_at", "lockouts", "locked_until", "updated_at"]
    )
    return paused


def forget_account_failures(user: User) -> None:
    """The whole sign-in succeeded (the second factor too, where one is needed): start counting again."""
    user.failed_sign_ins, user.lockouts, user.last_failed_sign_in_at = 0, 0, None
    user.save(update_fields=["failed_sign_ins", "lockouts", "last_failed_sign_in_at", "updated_at"])


def code_backoff_seconds(user: User, now: dt.datetime) -> int:
    """Seconds before another second-factor code is checked: the back-off doubles with each failure in a
    row, so codes cannot be tried as fast as a script can send them."""
    if not user.failed_sign_ins or user.last_failed_sign_in_at is None:
        return 0
    doublings = min(user.failed_sign_ins - 1, _MAX_DOUBLINGS)
    ready = user.last_failed_sign_in_at + dt.timedelta(
        seconds=settings.CANDOUR_TWO_FACTOR_BACKOFF_SECONDS * 2**doublings
    )
    return max(0, math.ceil((ready - now).total_seconds()))
