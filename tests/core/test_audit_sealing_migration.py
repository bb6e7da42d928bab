"""Keying the audit chain seals an unkeyed chain that holds, and refuses one that does not."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candour.core import audit
from tests.support.audit import tamper

BEFORE_KEYS = [("core", "0005_throttles")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


def _unkeyed_chain(apps, count: int, *, altered: int | None = None) -> None:
    """Events hashed as before the key, the way the release before this one wrote them."""
    AuditEvent, AuditChainHead = (
        apps.get_model("core", "AuditEvent"),
        apps.get_model("core", "AuditChainHead"),
    )
    previous = audit.GENESIS_HASH
    for sequence in range(1, count + 1):
        event = AuditEvent(
            sequence=sequence,
            occurred_at=dt.datetime(2026, 5, 1, 9, sequence, tzinfo=dt.UTC),
            actor_label="seed_demo",
            action="seeded",
            summary=f"event {sequence}",
            changes={},
            previous_hash=previous,
        )
        payload = {
            "sequence": sequence,
            "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
            "actor": None,
            "actor_label": event.actor_label,
            "action": event.action,
            "object_type": "",
            "object_id": "",
            "summary": "tampered" if sequence == altered else event.summary,
            "changes": {},
            "previous_hash": previous,
        }
        event.hash = previous = hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        event.save()
    AuditChainHead.objects.create(pk=1, sequence=count, last_hash=previous)


@pytest.mark.django_db(transaction=True)
def test_migrating_seals_an_unkeyed_chain_with_the_audit_key():
    _unkeyed_chain(_migrate(BEFORE_KEYS), 3)

    _migrate()

    report = audit.verify_chain()
    assert report.intact and report.checked == 3


@pytest.mark.django_db(transaction=True)
def test_migrating_refuses_to_seal_a_chain_that_is_already_broken():
    _unkeyed_chain(_migrate(BEFORE_KEYS), 3, altered=2)

    with pytest.raises(RuntimeError, match="broken at event 2"):
        _migrate()

    tamper("DELETE FROM core_auditevent")
    tamper("DELETE FROM core_auditchainhead")
    _migrate()
