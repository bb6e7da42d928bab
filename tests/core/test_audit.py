"""The audit log is append-only and hash-chained: any edit or removal is detected."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from candour.core import audit
from candour.core.models import AuditEvent
from candour.people.roles import Role
from tests.support.audit import tamper


@pytest.fixture
def chain(make_user):
    user = make_user(Role.SAFEGUARDING_LEAD)
    return [audit.record(action="viewed", actor=user, target=user, summary=f"look {n}") for n in range(5)]


def test_events_link_each_to_the_one_before(chain):
    assert chain[0].previous_hash == audit.GENESIS_HASH
    assert all(later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(chain))
    assert audit.verify_chain().intact


def test_editing_one_event_breaks_the_chain_at_that_event(chain):
    tamper(
        "UPDATE core_auditevent SET summary = %s WHERE sequence = %s", ["nothing to see", chain[2].sequence]
    )

    report = audit.verify_chain()

    assert report.first_broken_sequence == chain[2].sequence
    with pytest.raises(CommandError, match=f"broken at event {chain[2].sequence}"):
        call_command("verify_audit_chain")


def test_removing_the_last_event_is_detected(chain):
    tamper("DELETE FROM core_auditevent WHERE sequence = %s", [chain[-1].sequence])

    assert not audit.verify_chain().intact


def test_removing_an_event_in_the_middle_is_detected(chain):
    tamper("DELETE FROM core_auditevent WHERE sequence = %s", [chain[1].sequence])

    assert audit.verify_chain().reason == "an event is missing"


def test_the_application_cannot_change_or_delete_events(chain):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=chain[0].pk).update(summary="x")
    with pytest.raises(PermissionError):
        chain[0].delete()
    chain[0].summary = "x"
    with pytest.raises(PermissionError):
        chain[0].save()


@pytest.mark.parametrize(
    "sql", ["UPDATE core_auditevent SET summary = 'nothing to see'", "DELETE FROM core_auditevent"]
)
def test_the_database_refuses_raw_sql_that_changes_or_deletes_events(chain, sql):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)

    assert AuditEvent.objects.count() == len(chain)


def test_secret_values_never_reach_the_log(make_user):
    user = make_user()
    event = audit.record(
        action="updated", actor=user, target=user, changes={"password": "hunter2", "email": "a@b"}
    )

    assert event.changes == {"password": "[changed]", "email": "a@b"}


def test_a_system_job_names_itself(db):
    event = audit.record(action="seeded", system="seed_demo")

    assert event.actor is None
    assert event.actor_label == "seed_demo"


def test_verify_command_reports_an_intact_chain(chain, capsys):
    call_command("verify_audit_chain")

    assert "intact: 5 events" in capsys.readouterr().out
