"""The text of a key, and the keyed hash that is all Candour keeps of it (docs/adr/0029).

A key reads `cnd_<prefix>_<secret>`: the prefix (not secret) finds the stored row and tells keys apart on
screen; the secret is 256 random bits. A key is random, not chosen by a person, so a slow password hash buys
nothing: HMAC-SHA256 under a key derived from SECRET_KEY makes the stored hash useless without the server's
secret, and costs microseconds on every call. SECRET_KEY_FALLBACKS are tried too, so rotating SECRET_KEY the
Django way leaves every API key working.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

from candour.api.models import PREFIX_LENGTH

SALT = "candour.api.key"
SHAPE = re.compile(rf"^cnd_(?P<prefix>[0-9a-f]{{{PREFIX_LENGTH}}})_(?P<secret>[A-Za-z0-9_-]{{43}})$")
# A hash compared against when no key has the prefix, so that a wrong prefix costs the same as a wrong secret.
_NOBODY = "0" * 64


@dataclass(frozen=True)
class NewKey:
    """A key as it is shown once: the whole text, and the prefix kept beside its hash."""

    text: str
    prefix: str
    hashed: str


def new_key() -> NewKey:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    text = f"cnd_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(text=text, prefix=prefix, hashed=hash_of(text))


def hash_of(text: str, secret: str | bytes | None = None) -> str:
    return salted_hmac(SALT, text, secret=secret or settings.SECRET_KEY, algorithm="sha256").hexdigest()


def prefix_of(text: str) -> str | None:
    """The prefix of something shaped like a key, or None."""
    shape = SHAPE.match(text or "")
    return shape["prefix"] if shape else None


def matches(text: str, stored_hash: str | None) -> bool:
    """Whether the key's hash is the stored one, compared in constant time under every current secret."""
    stored = stored_hash or _NOBODY
    secrets_in_use = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    found = False
    for secret in secrets_in_use:
        found |= hmac.compare_digest(hash_of(text, secret), stored)
    return found and stored_hash is not None
