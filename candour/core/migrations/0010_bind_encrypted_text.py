"""Bind every encrypted value to its place: re-encrypt each enc1 value (sealed with no associated data) as
enc2, sealed to its model, field and row's public id (docs/adr/0021), under the newest key. The enc1 format
is frozen here, the one place that still reads or writes it."""

import base64
import os

from django.db import migrations

from candour.core.encryption import Ciphertext, EncryptedTextField, keyring

UNBOUND = "enc1"
NONCE_BYTES = 12
BATCH = 1000


def _open_unbound(ring, token: str) -> str:
    _, key_id, body = token.split(":", 2)
    raw = base64.urlsafe_b64decode(body)
    return ring.keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


def _seal_unbound(ring, plaintext: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, plaintext.encode(), None)
    return f"{UNBOUND}:{ring.primary_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def _rewrite(apps, change) -> None:
    """Give `change(field, instance, token)` every stored value; write back what it returns."""
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if not fields:
            continue
        rows, last_pk = model._base_manager.order_by("pk"), None
        while batch := list((rows if last_pk is None else rows.filter(pk__gt=last_pk))[:BATCH]):
            for instance in batch:
                changes = {
                    field.attname: new
                    for field in fields
                    if (token := field.stored(instance)) and (new := change(field, instance, token))
                }
                if changes:
                    model._base_manager.filter(pk=instance.pk).update(**changes)
            last_pk = batch[-1].pk


def bind(apps, schema_editor):
    ring = keyring()

    def bound(field, instance, token):
        if token.startswith(f"{UNBOUND}:"):
            return field.reseal(instance, _open_unbound(ring, token))
        return None

    _rewrite(apps, bound)


def unbind(apps, schema_editor):
    ring = keyring()

    def unbound(field, instance, token):
        if token.startswith(f"{UNBOUND}:"):
            return None
        return Ciphertext(_seal_unbound(ring, getattr(instance, field.attname)))

    _rewrite(apps, unbound)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_outbox"),
        ("learning", "0003_apprenticeship_status_changed_on"),
        ("people", "0002_core_services"),
        ("speakup", "0006_public_ids_for_encrypted_rows"),
        ("voice", "0001_initial"),
    ]
    operations = [migrations.RunPython(bind, unbind)]
