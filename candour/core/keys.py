"""Secret keys given as settings, each entry "key_id:base64key", newest first: the first one encrypts or
seals, and every one of them decrypts or verifies, so a key is rotated by putting a new one first."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
# The id is stored beside what each key made, so it is short and has no separator in it.
KEY_ID_MAX_LENGTH = 32


@dataclass(frozen=True)
class KeyList:
    setting: str
    primary_id: str
    keys: dict[str, bytes]

    def __getitem__(self, key_id: str) -> bytes:
        if key_id not in self.keys:
            raise ImproperlyConfigured(f"Key {key_id!r} is not in {self.setting}; it is needed here.")
        return self.keys[key_id]


def parse_key_list(entries: list[str] | tuple[str, ...], *, setting: str) -> KeyList:
    if not entries:
        raise ImproperlyConfigured(f"{setting} is empty: give at least one key_id:base64key.")
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, _, encoded = entry.partition(":")
        if not key_id or not encoded:
            raise ImproperlyConfigured(f"Each key in {setting} is written key_id:base64key.")
        if len(key_id) > KEY_ID_MAX_LENGTH:
            raise ImproperlyConfigured(f"Key ids in {setting} are at most {KEY_ID_MAX_LENGTH} characters.")
        raw = base64.urlsafe_b64decode(encoded)
        if len(raw) != KEY_BYTES:
            raise ImproperlyConfigured(f"Key {key_id!r} in {setting} must be 32 bytes (256 bits).")
        keys[key_id] = raw
    return KeyList(setting=setting, primary_id=entries[0].partition(":")[0], keys=keys)


def new_key(key_id: str) -> str:
    """A fresh entry for either key list."""
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()}"


@cache
def _audit_keys_for(entries: tuple[str, ...]) -> KeyList:
    return parse_key_list(entries, setting="CANDOUR_AUDIT_KEYS")


def audit_keys() -> KeyList:
    """The keys that seal audit events and the recorded heads of their chain (docs/adr/0021)."""
    return _audit_keys_for(tuple(settings.CANDOUR_AUDIT_KEYS))


def audit_sealing_key_id() -> str:
    """The key a new audit event is sealed with: the first of CANDOUR_AUDIT_KEYS."""
    return audit_keys().primary_id
