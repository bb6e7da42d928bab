"""Limits on attempts (sign-in failures, two-factor codes, receipt codes), counted across every process.

A count lives in a fixed window (say, this quarter-hour) under a bucket that is an HMAC of what is being
limited, who tried, and the window, keyed by a random key of the day. Neither the address nor the account
is stored; at the end of the day the key goes, and with it any way to tell which bucket was whose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from candour.core.models import ThrottleCount, ThrottleKey


@dataclass(frozen=True)
class Limit:
    """At most `attempts` in each `window` (a day or less) for one key under this `scope`."""

    scope: str
    attempts: int
    window: dt.timedelta

    def __post_init__(self):
        if not dt.timedelta(0) < self.window <= dt.timedelta(days=1):
            raise ValueError("A throttle window is longer than nothing and no longer than a day.")


def _day_key(day: dt.date) -> bytes:
    stored = ThrottleKey.objects.filter(day=day).values_list("key", flat=True).first()
    if stored is None:
        try:
            with transaction.atomic():
                stored = ThrottleKey.objects.create(day=day, key=secrets.token_hex(32)).key
        except IntegrityError:  # another process made today's key first
            stored = ThrottleKey.objects.get(day=day).key
    return bytes.fromhex(stored)


def _bucket(limit: Limit, key: str, now: dt.datetime) -> tuple[str, dt.datetime]:
    seconds = int(limit.window.total_seconds())
    index = int(now.timestamp()) // seconds
    ends = dt.datetime.fromtimestamp((index + 1) * seconds, tz=dt.UTC)
    message = f"{limit.scope}\x1f{key}\x1f{index}".encode()
    return hmac.new(_day_key(now.astimezone(dt.UTC).date()), message, hashlib.sha256).hexdigest(), ends


def attempts(limit: Limit, key: str, *, now: dt.datetime | None = None) -> int:
    """How many attempts this key has made in the current window."""
    bucket, _ = _bucket(limit, key, now or timezone.now())
    return ThrottleCount.objects.filter(bucket=bucket).values_list("count", flat=True).first() or 0


def exceeded(limit: Limit, key: str, *, now: dt.datetime | None = None) -> bool:
    """True once the key has used up its attempts for this window."""
    return attempts(limit, key, now=now) >= limit.attempts


def count(limit: Limit, key: str, *, now: dt.datetime | None = None) -> int:
    """Count one attempt; gives the count in this window so far."""
    bucket, ends = _bucket(limit, key, now or timezone.now())
    with transaction.atomic():
        if not ThrottleCount.objects.filter(bucket=bucket).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleCount.objects.create(bucket=bucket, window_ends=ends, count=1)
            except IntegrityError:  # another process counted the first attempt at the same moment
                ThrottleCount.objects.filter(bucket=bucket).update(count=F("count") + 1)
        return ThrottleCount.objects.get(bucket=bucket).count


def clear(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Forget this key's attempts in the current window (after a success, say)."""
    bucket, _ = _bucket(limit, key, now or timezone.now())
    ThrottleCount.objects.filter(bucket=bucket).delete()


def forget_expired(*, now: dt.datetime | None = None) -> int:
    """Delete finished windows, and every day's key but today's."""
    now = now or timezone.now()
    deleted, _ = ThrottleCount.objects.filter(window_ends__lte=now).delete()
    ThrottleKey.objects.filter(day__lt=now.astimezone(dt.UTC).date()).delete()
    return deleted
