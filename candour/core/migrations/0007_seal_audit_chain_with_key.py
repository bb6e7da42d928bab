"""Seal the audit chain with the audit key: each event's hash becomes an HMAC under the first of
CANDOUR_AUDIT_KEYS (docs/adr/0021). The chain is checked before it is rewritten: one that is already broken
is not sealed, since a seal would vouch for whatever was done to it. The hashing is frozen here as it was."""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

from candour.core.keys import parse_key_list

GENESIS_HASH = "0" * 64
BATCH = 2000


def _payload(event, keyed: bool) -> bytes:
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "changes": event.changes,
        "previous_hash": event.previous_hash,
    }
    if keyed:
        payload["key_id"] = event.key_id
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def _unkeyed(event, keys) -> str:
    return hashlib.sha256(_payload(event, keyed=False)).hexdigest()


def _keyed(event, keys) -> str:
    return hmac.new(keys.keys[event.key_id], _payload(event, keyed=True), hashlib.sha256).hexdigest()


def _refuse(sequence: int):
    raise RuntimeError(
        f"The audit log is broken at event {sequence}, so it is not rewritten: that would vouch for it. "
        "Investigate with `manage.py verify_audit_chain` on the release that wrote it, and restore the log "
        "from a backup before migrating."
    )


def _rewrite(apps, schema_editor, *, check, make, key_id: str) -> None:
    """Walk the chain, refusing at the first event `check` does not vouch for; rehash each with `make`."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    keys = parse_key_list(settings.CANDOUR_AUDIT_KEYS, setting="CANDOUR_AUDIT_KEYS")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    old_previous, new_previous, expected, batch = GENESIS_HASH, GENESIS_HASH, 1, []
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=BATCH):
        if event.sequence != expected or event.previous_hash != old_previous or check(event, keys) != event.hash:
            _refuse(expected)
        old_previous, expected = event.hash, expected + 1
        event.previous_hash, event.key_id = new_previous, key_id or event.key_id
        event.hash = new_previous = make(event, keys)
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash", "key_id"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash", "key_id"])
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.sequence, head.last_hash) != (expected - 1, old_previous):
        _refuse(expected)
    AuditChainHead.objects.filter(pk=1).update(sequence=expected - 1, last_hash=new_previous)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def seal(apps, schema_editor):
    primary = parse_key_list(settings.CANDOUR_AUDIT_KEYS, setting="CANDOUR_AUDIT_KEYS").primary_id
    _rewrite(apps, schema_editor, check=_unkeyed, make=_keyed, key_id=primary)


def unseal(apps, schema_editor):
    _rewrite(apps, schema_editor, check=_keyed, make=_unkeyed, key_id="")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_auditevent_key_id")]
    operations = [migrations.RunPython(seal, unseal)]
