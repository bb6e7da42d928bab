"""Whoever can write to the database still cannot rewrite the audit log unseen: each event is sealed with a
key the database never holds, and the chain's head is recorded each day outside the database."""

import datetime as dt

import pytest
from django.conf import settings
from django.test.utils import override_settings

from candour.core import audit, tasks
from candour.core.keys import new_key
from candour.core.models import AuditChainHead, AuditEvent
from candour.people.roles import Role
from tests.support.audit import tamper


@pytest.fixture
def chain(make_user):
    user = make_user(Role.SAFEGUARDING_LEAD)
    return [audit.record(action="viewed", actor=user, target=user, summary=f"look {n}") for n in range(6)]


def as_attacker():
    """Candour's own code, run with a key of the attacker's making under the real key's name: they can read
    the code and the database, but not the environment the key lives in."""
    real_id = settings.CANDOUR_AUDIT_KEYS[0].partition(":")[0]
    return override_settings(CANDOUR_AUDIT_KEYS=[new_key(real_id)])


def move_head_to(event: AuditEvent | None) -> None:
    AuditChainHead.objects.filter(pk=1).update(
        sequence=event.sequence if event else 0, last_hash=event.hash if event else audit.GENESIS_HASH
    )


def test_the_chain_is_intact_after_the_nightly_check_records_its_head(chain):
    assert tasks.verify_audit_chain.call()

    assert audit.verify_chain().intact


def test_deleting_the_last_events_and_moving_the_head_back_is_detected(chain):
    tasks.verify_audit_chain.call()

    tamper("DELETE FROM core_auditevent WHERE sequence > %s", [chain[3].sequence])
    move_head_to(chain[3])

    report = audit.verify_chain()
    assert not report.intact
    assert "removed" in report.reason


def test_deleting_every_event_is_detected(chain):
    tasks.verify_audit_chain.call()

    tamper("DELETE FROM core_auditevent")
    move_head_to(None)

    report = audit.verify_chain()
    assert not report.intact
    assert report.first_broken_sequence == 1


def test_rewriting_a_middle_event_with_recomputed_hashes_is_detected(chain):
    events = list(AuditEvent.objects.order_by("sequence"))
    middle = events[2]
    middle.summary = "nothing to see"
    with as_attacker():
        previous = events[1].hash
        for event in events[2:]:
            event.previous_hash = previous
            event.hash = previous = audit.hash_of(event)
    for event in events[2:]:
        tamper(
            "UPDATE core_auditevent SET summary = %s, previous_hash = %s, hash = %s WHERE sequence = %s",
            [event.summary, event.previous_hash, event.hash, event.sequence],
        )
    move_head_to(events[-1])

    report = audit.verify_chain()
    assert report.first_broken_sequence == middle.sequence
    assert "altered" in report.reason


def test_appending_a_forged_back_dated_event_is_detected(chain):
    last = chain[-1]
    with as_attacker():
        forged = AuditEvent(
            sequence=last.sequence + 1,
            occurred_at=last.occurred_at - dt.timedelta(days=30),
            actor_label="Someone else",
            action="viewed",
            previous_hash=last.hash,
        )
        forged.hash = audit.hash_of(forged)
    forged.save()
    move_head_to(forged)

    report = audit.verify_chain()
    assert report.first_broken_sequence == forged.sequence
