"""Sensitive text encrypted at rest with AES-256-GCM, each value bound to its place.

Keys come from settings.CANDOUR_ENCRYPTION_KEYS as "key_id:base64key", newest first: the first encrypts,
all of them decrypt, so keys rotate without downtime (see `manage.py rotate_encryption_keys`).
AES-GCM rather than Fernet because a Fernet token carries its creation time, and an anonymous report
must not reveal when it was written (docs/adr/0003-aes-gcm-for-text-at-rest.md).

Each value is sealed with its model, field and row's public id as associated data, so a ciphertext copied to
another row or column does not open there (docs/adr/0021). A model holding encrypted text therefore needs an
id before it is saved: a `public_id` field, or a UUID primary key.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from candour.core.keys import parse_key_list

# enc1 values, sealed before values were bound to their place, are read only by the migration that bound
# them (core 0010); nothing else opens them, so one copied in from an old backup does not open anywhere.
PREFIX = "enc2"
NONCE_BYTES = 12


class Ciphertext(str):
    """Encrypted text as the database holds it: sealed to one field of one row."""


class MisplacedCiphertext(ValueError):
    """Encrypted text that does not open where it is: altered, or moved from another row or field."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, AESGCM]

    def seal(self, plaintext: str, *, bound_to: str) -> Ciphertext:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.keys[self.primary_id].encrypt(nonce, plaintext.encode(), bound_to.encode())
        return Ciphertext(f"{PREFIX}:{self.primary_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}")

    def open(self, token: str, *, bound_to: str) -> str:
        prefix, key_id, body = [*token.split(":", 2), "", ""][:3]
        if prefix == PREFIX and key_id not in self.keys:
            raise ImproperlyConfigured(
                f"Encryption key {key_id!r} is not configured; it is needed to read data."
            )
        try:
            if prefix != PREFIX:
                raise ValueError(f"not an {PREFIX} value")
            raw = base64.urlsafe_b64decode(body)
            opened = self.keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], bound_to.encode())
        except (InvalidTag, ValueError) as error:
            raise MisplacedCiphertext(f"The encrypted value of {bound_to} does not open there") from error
        return opened.decode()

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


class _OpenedOnRead(DeferredAttribute):
    """The field's attribute on an instance: what was loaded stays sealed until it is first read, because
    only the instance knows the row it belongs to."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = keyring().open(value, bound_to=self.field.place(instance))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """A text field whose database value is ciphertext bound to its row and field; Python code sees plain
    text. Values are sealed as their instance is saved (save, create, bulk_create): a plain value given to
    `QuerySet.update` or `bulk_update` has no row to be bound to, and is refused."""

    descriptor_class = _OpenedOnRead

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return Ciphertext(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        return keyring().seal(str(value), bound_to=self.place(model_instance))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, Ciphertext):
            return value
        raise ValueError(
            f"{self.model._meta.label}.{self.name} is encrypted for its row: save it through its instance "
            "(save, create or bulk_create), not QuerySet.update or bulk_update."
        )

    def get_internal_type(self) -> str:
        return "TextField"

    def place(self, instance: models.Model) -> str:
        """Where a value belongs, sealed into it as associated data: model, field and the row's id."""
        id_field = _row_id_field(self.model)
        row_id = id_field.to_python(getattr(instance, id_field.attname))
        if row_id is None:
            raise ValueError(f"{self.model._meta.label} needs its id before its encrypted text is sealed")
        return f"{self.model._meta.label}.{self.name}:{row_id}"

    def reseal(self, instance: models.Model, plaintext: str) -> Ciphertext:
        """This value sealed for this row now, under the newest key (for rotation and migrations)."""
        return keyring().seal(plaintext, bound_to=self.place(instance))

    def stored(self, instance: models.Model) -> str | None:
        """The value as loaded from the database, still sealed, without opening it."""
        value = instance.__dict__.get(self.attname)
        return value if isinstance(value, Ciphertext) else None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if _row_id_field(self.model) is None:
            errors.append(
                checks.Error(
                    f"{self.model._meta.label} holds encrypted text but has no id before it is saved.",
                    hint="Give it a public_id UUIDField (candour.core.base.BaseModel has one) or a UUID "
                    "primary key: encrypted text is bound to its row by that id.",
                    obj=self,
                    id="candour.E001",
                )
            )
        return errors


def _row_id_field(model: type[models.Model]) -> models.Field | None:
    """The id a row has from the moment it is made: its public_id, else a UUID primary key."""
    try:
        public_id = model._meta.get_field("public_id")
    except FieldDoesNotExist:
        public_id = None
    if isinstance(public_id, models.UUIDField):
        return public_id
    return model._meta.pk if isinstance(model._meta.pk, models.UUIDField) else None


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) pair in the project that holds encrypted text."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
