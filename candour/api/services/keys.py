"""A key's life: issued (and shown once), rotated with both keys live for a while, revoked at once, expired by
its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.api import tokens
from candour.api.models import ApiKey, Integration
from candour.api.scopes import KeyScope
from candour.core import audit
from candour.core.formatting import local_date
from candour.core.refusals import Refused
from candour.people.models import OrgUnit, User


@dataclass(frozen=True)
class IssuedKey:
    """A key just issued: the stored row, and its text, which is never shown again."""

    key: ApiKey
    text: str


@transaction.atomic
def issue_key(
    *,
    by: User,
    integration: Integration,
    scopes: Iterable[str],
    units: Iterable[OrgUnit] = (),
    expires_on: dt.date | None = None,
    replaces: ApiKey | None = None,
) -> IssuedKey:
    """Issue a key with these scopes (measures read for these units), live to the end of `expires_on`."""
    scopes = sorted({str(KeyScope(scope)) for scope in scopes})
    units = list(units)
    if not scopes:
        raise Refused("Choose at least one thing the key may do", field="scopes")
    if KeyScope.READ_MEASURES in scopes and not units:
        raise Refused("Choose the units whose measures the key may read", field="units")
    if any(unit.trust != integration.trust for unit in units):
        raise Refused("Choose units of the integration's own trust", field="units")
    today = timezone.localdate()
    expires_on = expires_on or today + dt.timedelta(days=settings.CANDOUR_API_KEY_DAYS)
    if expires_on < today:
        raise Refused("The expiry date is in the past: choose today or a later day", field="expires_on")
    if expires_on > today + dt.timedelta(days=settings.CANDOUR_API_KEY_MAX_DAYS):
        raise Refused(
            f"A key lasts at most {settings.CANDOUR_API_KEY_MAX_DAYS} days: choose an earlier expiry date",
            field="expires_on",
        )
    made = tokens.new_key()
    key = ApiKey.objects.create(
        integration=integration,
        prefix=made.prefix,
        hashed=made.hashed,
        scopes=scopes,
        expires_at=_end_of(expires_on),
        issued_by=by,
        replaces=replaces,
    )
    key.units.set(units)
    audit.record(
        action="issued_key",
        actor=by,
        target=integration,
        summary=f"Key {key.prefix} issued to {integration.name}",
        changes={
            "key": key.prefix,
            "scopes": scopes,
            "units": [str(unit.public_id) for unit in units],
            "expires_on": expires_on.isoformat(),
            "replaces": replaces.prefix if replaces else None,
        },
    )
    return IssuedKey(key=key, text=made.text)


@transaction.atomic
def rotate_key(*, by: User, key: ApiKey) -> IssuedKey:
    """Issue a new key like this one; this one stays live for CANDOUR_API_KEY_ROTATION_DAYS more (or until its
    own expiry, if sooner), so the integration can move over without a gap."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if not key.is_live():
        raise Refused("Only a live key can be rotated: issue a new key instead")
    now = timezone.now()
    overlap_ends = now + dt.timedelta(days=settings.CANDOUR_API_KEY_ROTATION_DAYS)
    issued = issue_key(
        by=by,
        integration=key.integration,
        scopes=key.scopes,
        units=key.units.all(),
        expires_on=timezone.localdate() + dt.timedelta(days=settings.CANDOUR_API_KEY_DAYS),
        replaces=key,
    )
    if overlap_ends < key.expires_at:
        before = key.expires_at
        key.expires_at = overlap_ends
        key.save(update_fields=["expires_at", "updated_at"])
        audit.record(
            action="shortened_key",
            actor=by,
            target=key.integration,
            summary=f"Key {key.prefix} now ends {local_date(overlap_ends)}, replaced by {issued.key.prefix}",
            changes={"key": key.prefix, "expires_at": [before.isoformat(), overlap_ends.isoformat()]},
        )
    return issued


@transaction.atomic
def revoke_key(*, by: User, key: ApiKey) -> ApiKey:
    """Stop the key working at once."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise Refused(f"Key {key.prefix} was revoked already")
    key.revoked_at, key.revoked_by = timezone.now(), by
    key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit.record(
        action="revoked_key",
        actor=by,
        target=key.integration,
        summary=f"Key {key.prefix} of {key.integration.name} revoked",
        changes={"key": key.prefix},
    )
    return key


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after the day, in the trust's time zone: a key expiring on a day works all of it."""
    following = day + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(following, dt.time.min))
