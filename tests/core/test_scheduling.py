"""Periodic jobs are enqueued once per interval, however many schedulers run."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from candour.core.models import AuditVerification
from candour.core.scheduling import enqueue_due_jobs
from candour.core.tasks import verify_audit_chain

START = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)


def test_jobs_run_on_first_tick_then_wait_for_their_interval(db):
    with time_machine.travel(START, tick=False):
        first = enqueue_due_jobs()
        again = enqueue_due_jobs()
    with time_machine.travel(START + dt.timedelta(hours=24), tick=False):
        next_day = enqueue_due_jobs()

    assert "core.verify_audit_chain" in first
    assert again == []
    assert "core.verify_audit_chain" in next_day


def test_enqueued_jobs_wait_in_the_database_for_the_worker(db):
    enqueue_due_jobs()

    assert DBTaskResult.objects.filter(task_path="candour.core.tasks.verify_audit_chain").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_job_and_keeps_its_result():
    enqueue_due_jobs()

    call_command("db_worker", batch=True, verbosity=0)

    assert AuditVerification.objects.get().intact


def test_scheduler_command_checks_once(db, capsys):
    call_command("run_scheduler", once=True)

    assert "Enqueued core.verify_audit_chain" in capsys.readouterr().out


def test_verification_records_a_broken_chain(db, monkeypatch):
    from candour.core import audit

    monkeypatch.setattr(audit, "verify_chain", lambda: audit.ChainReport(3, 4, "the event was altered"))

    assert verify_audit_chain.call() is False
    assert AuditVerification.objects.get().first_broken_sequence == 4
