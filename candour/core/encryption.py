"""Sensitive text encrypted at rest with AES-256-GCM.

Keys come from settings.CANDOUR_ENCRYPTION_KEYS as "key_id:base64key", newest first: the first encrypts,
all of them decrypt, so keys rotate without downtime (see `manage.py rotate_encryption_keys`).
AES-GCM rather than Fernet because a Fernet token carries its creation time, and an anonymous report
must not reveal when it was written (docs/adr/0003-aes-gcm-for-text-at-rest.md).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from candour.core.keys import parse_key_list

PREFIX = "enc1"
NONCE_BYTES = 12


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, AESGCM]

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.keys[self.primary_id].encrypt(nonce, plaintext.encode(), None)
        return f"{PREFIX}:{self.primary_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        prefix, key_id, body = token.split(":", 2)
        if prefix != PREFIX:
            raise ValueError("not an encrypted value")
        if key_id not in self.keys:
            raise ImproperlyConfigured(
                f"Encryption key {key_id!r} is not configured; it is needed to read data."
            )
        raw = base64.urlsafe_b64decode(body)
        return self.keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()

    def key_id_of(self, token: str) -> str:
        return token.split(":", 2)[1]


def parse_keys(entries: list[str]) -> Keyring:
    key_list = parse_key_list(entries, setting="CANDOUR_ENCRYPTION_KEYS")
    return Keyring(
        primary_id=key_list.primary_id, keys={key_id: AESGCM(raw) for key_id, raw in key_list.keys.items()}
    )


@cache
def _keyring_for(entries: tuple[str, ...]) -> Keyring:
    return parse_keys(list(entries))


def keyring() -> Keyring:
    return _keyring_for(tuple(settings.CANDOUR_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """A text field whose database value is ciphertext; Python code sees plain text."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(value)

    def get_internal_type(self) -> str:
        return "TextField"


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) pair in the project that holds encrypted text."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
