"""Which key a call carries, if any key at all: found by its prefix, checked by its hash in constant time."""

from __future__ import annotations

from django.utils import timezone

from candour.api import tokens
from candour.api.models import ApiKey


def live_key_for(text: str) -> ApiKey | None:
    """The live key this text is, or None: wrong, revoked and expired keys are all simply not a key."""
    prefix = tokens.prefix_of(text)
    key = None
    if prefix is not None:
        key = ApiKey.objects.select_related("integration", "integration__trust").filter(prefix=prefix).first()
    # The hash is checked even when no key has the prefix, so that the answer takes as long either way.
    if not tokens.matches(text or "", key.hashed if key else None):
        return None
    return key if key.is_live(timezone.now()) else None
