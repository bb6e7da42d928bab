"""The auditor: services call `record` for every change and every view of a sensitive record."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from candour.core.audit_heads import HeadsFileAltered, record_head, recorded_heads
from candour.core.formatting import local_date
from candour.core.keys import audit_keys
from candour.core.models import AuditChainHead, AuditEvent, AuditVerification, DeferredAuditEvent

GENESIS_HASH = "0" * 64
# Values of these fields never reach the log, only the fact that they changed.
SECRET_FIELD_MARKERS = ("password", "secret", "token", "code_hash", "narrative", "note", "body", "text")


def _canonical(event: AuditEvent) -> bytes:
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
        "key_id": event.key_id,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def hash_of(event: AuditEvent) -> str:
    """The event's seal: an HMAC under the audit key it names, so only a holder of the key can make one."""
    return hmac.new(audit_keys()[event.key_id], _canonical(event), hashlib.sha256).hexdigest()


def redact(changes: dict) -> dict:
    """Keep which fields changed; drop the values of anything secret or sensitive."""
    return {
        name: ("[changed]" if any(marker in name.lower() for marker in SECRET_FIELD_MARKERS) else value)
        for name, value in changes.items()
    }


def audit_value(value):
    """How a value reads in the audit log: objects by their public id, dates and times as ISO text."""
    if hasattr(value, "public_id"):
        return str(value.public_id)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _is_secret(instance: models.Model, name: str) -> bool:
    from candour.core.encryption import EncryptedTextField

    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a plain attribute, not a model field
        field = None
    return isinstance(field, EncryptedTextField) or any(
        marker in name.lower() for marker in SECRET_FIELD_MARKERS
    )


def apply_changes(instance: models.Model, values: dict) -> dict:
    """Set each field on the instance; give {field: [before, after]} for those that changed, as the audit
    log should hold them: encrypted or secret fields say only that they changed."""
    changed = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            changed[name] = (
                "[changed]" if _is_secret(instance, name) else [audit_value(old), audit_value(new)]
            )
            setattr(instance, name, new)
    return changed


def _describe(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    identifier = getattr(target, "public_id", None) or target.pk
    return target._meta.label, str(identifier)


@transaction.atomic
def record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    summary: str = "",
    changes: dict | None = None,
    system: str = "",
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain. `system` names a job acting without a user; `occurred_at` lets
    anonymous reporting record only the day."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    object_type, object_id = _describe(target)
    event = AuditEvent(
        sequence=head.sequence + 1,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        actor_label=(actor.display_name if actor else system or "anonymous")[:120],
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:255],
        changes=json.loads(json.dumps(redact(changes or {}), default=str)),
        previous_hash=head.last_hash,
    )
    event.hash = hash_of(event)
    event.save()
    head.sequence, head.last_hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "last_hash"])
    return event


def record_anonymous(
    *, action: str, target: models.Model, changes: dict | None = None, day: dt.date | None = None
) -> None:
    """Hold an anonymous reporter's action for the nightly flush (see DeferredAuditEvent). `day` is the day
    it happened, when it is written later (speak-up writes what anonymous reporters send in batches)."""
    object_type, object_id = _describe(target)
    DeferredAuditEvent.objects.create(
        day=day or timezone.now().astimezone(dt.UTC).date(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=json.loads(json.dumps(redact(changes or {}), default=str)),
    )


@transaction.atomic
def flush_deferred(*, before: dt.date) -> int:
    """Append held anonymous events from days before `before` to the chain, shuffled, at midnight UTC."""
    held = list(DeferredAuditEvent.objects.select_for_update().filter(day__lt=before))
    secrets.SystemRandom().shuffle(held)
    for event in held:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        appended = AuditEvent(
            sequence=head.sequence + 1,
            occurred_at=dt.datetime.combine(event.day, dt.time(), tzinfo=dt.UTC),
            actor_label="anonymous reporter",
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            changes=event.changes,
            previous_hash=head.last_hash,
        )
        appended.hash = hash_of(appended)
        appended.save()
        head.sequence, head.last_hash = appended.sequence, appended.hash
        head.save(update_fields=["sequence", "last_hash"])
    DeferredAuditEvent.objects.filter(pk__in=[event.pk for event in held]).delete()
    return len(held)


def viewed(*, actor, target: models.Model, summary: str = "") -> AuditEvent:
    """Record that someone opened a sensitive record."""
    return record(action="viewed", actor=actor, target=target, summary=summary)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_sequence: int | None
    reason: str = ""
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None and not self.reason


@transaction.atomic
def verify_and_keep_result() -> ChainReport:
    """Walk the chain and keep the result, so administrators see tampering on their home page; record the
    head of a chain that holds outside the database, so it cannot later be cut back or rebuilt unseen."""
    report = verify_chain()
    AuditVerification.objects.create(
        ran_at=timezone.now(),
        events_checked=report.checked,
        intact=report.intact,
        first_broken_sequence=report.first_broken_sequence,
        reason=report.reason,
    )
    if report.intact and report.checked:
        record_head(sequence=report.checked, last_hash=report.last_hash)
    return report


def verify_chain() -> ChainReport:
    """Walk the chain from the start to its head; the first event whose seal or link does not hold, or that
    differs from (or falls short of) a head recorded outside the database, is reported."""
    try:
        recorded = {head.sequence: head for head in recorded_heads()}
    except HeadsFileAltered as altered:
        return ChainReport(0, None, str(altered))
    # The head first: events appended while we walk are left for the next check, not taken as removed.
    head = AuditChainHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.order_by("sequence")
    if head is not None:
        events = events.filter(sequence__lte=head.sequence)
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    for event in events.iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "an event is missing")
        if event.previous_hash != expected_previous:
            return ChainReport(checked, event.sequence, "the link to the previous event is broken")
        if event.key_id not in audit_keys().keys:
            return ChainReport(
                checked, event.sequence, f"it names audit key {event.key_id!r}, not configured"
            )
        if not hmac.compare_digest(hash_of(event), event.hash):
            return ChainReport(checked, event.sequence, "the event was altered after it was written")
        if event.sequence in recorded and recorded[event.sequence].hash != event.hash:
            when = local_date(recorded[event.sequence].recorded_at)
            return ChainReport(checked, event.sequence, f"it differs from the head recorded on {when}")
        expected_previous, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    last_recorded = max(recorded.values(), key=lambda head: head.sequence, default=None)
    if last_recorded and last_recorded.sequence > checked:
        return ChainReport(
            checked,
            checked + 1,
            f"events were removed: the log ends at event {checked}, but event {last_recorded.sequence} "
            f"was recorded on {local_date(last_recorded.recorded_at)}",
        )
    if head is None and checked:
        return ChainReport(checked, checked + 1, "the record of the chain's head was removed")
    if head is not None and (head.sequence, head.last_hash) != (checked, expected_previous):
        return ChainReport(checked, checked + 1, "events after the last one checked were removed")
    return ChainReport(checked, None, last_hash=expected_previous)
