"""The one-way token that says "this person has answered this pulse" without saying which answers are theirs.

An HMAC-SHA256 of (pulse, person) keyed from the server's SECRET_KEY with a salt of its own, so it is not the
key that encrypts free text, and a token from one pulse says nothing about another. Previous secret keys
(SECRET_KEY_FALLBACKS) are still checked, so rotating the secret while a pulse is open does not let anyone
answer twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "candour.voice.response-token"


def _token(pulse_public_id: uuid.UUID, respondent_public_id: uuid.UUID, secret: str) -> str:
    message = f"{pulse_public_id}:{respondent_public_id}"
    return salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()


def token_for(pulse_public_id: uuid.UUID, respondent_public_id: uuid.UUID) -> str:
    """The token stored when someone answers: under the current secret key."""
    return _token(pulse_public_id, respondent_public_id, settings.SECRET_KEY)


def tokens_for(pulse_public_id: uuid.UUID, respondent_public_id: uuid.UUID) -> list[str]:
    """Every token this person's answer may have been stored under: the current key's, then older keys'."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_token(pulse_public_id, respondent_public_id, secret) for secret in secrets]
