"""Periodic jobs: once per interval or at a local time of day, once per period however many schedulers run,
and a scheduler (or worker) whose database goes away carries on when it is back."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from candour.core import scheduling
from candour.core.models import AuditVerification, ScheduledJobRun
from candour.core.scheduling import AtTimeOfDay, Every, enqueue_due_jobs, parse_time_of_day, registered_jobs
from candour.core.tasks import verify_audit_chain
from tests.support.unreachable import database_unreachable

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)
VERIFY = "core.verify_audit_chain"
HOURLY = "tests.hourly"


@task()
def hourly_probe() -> None:
    """A job of these tests' own, so that they do not hang on any app's choice of interval."""


@pytest.fixture(autouse=True)
def _an_hourly_job(monkeypatch):
    job = scheduling.PeriodicJob(HOURLY, hourly_probe, Every(dt.timedelta(hours=1)))
    monkeypatch.setitem(scheduling._jobs, HOURLY, job)


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def _ticks(*moments: dt.datetime) -> list[list[str]]:
    enqueued = []
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            enqueued.append(enqueue_due_jobs())
    return enqueued


def test_interval_jobs_run_on_first_tick_then_wait_for_their_interval(db):
    first, again, later = _ticks(START, START + dt.timedelta(minutes=30), START + dt.timedelta(hours=1))

    assert HOURLY in first and HOURLY not in again and HOURLY in later


def test_a_daily_job_waits_for_its_time_rather_than_running_when_the_scheduler_starts(db):
    first, before, at_two, after = _ticks(
        START, _at(2026, 11, 2, 1, 59), _at(2026, 11, 2, 2, 0), _at(2026, 11, 2, 9)
    )

    assert VERIFY not in first and VERIFY not in before
    assert VERIFY in at_two and VERIFY not in after


def test_a_daily_job_runs_at_the_same_local_time_either_side_of_the_clock_change(db):
    # The clocks went back on 25 October 2026: 02:00 in London is 01:00 UTC before it and 02:00 UTC after.
    _ticks(_at(2026, 10, 23, 12))
    runs = _ticks(
        dt.datetime(2026, 10, 24, 0, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 24, 1, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 1, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.UTC),
    )

    assert [VERIFY in enqueued for enqueued in runs] == [False, True, False, True]


def test_a_run_missed_while_no_scheduler_ran_is_made_up_once(db):
    _ticks(START)
    back_after_three_days, again = _ticks(_at(2026, 11, 4, 10), _at(2026, 11, 4, 11))

    assert VERIFY in back_after_three_days and VERIFY not in again


def test_two_schedulers_enqueue_a_time_of_day_job_once(db):
    _ticks(START)
    one, other = _ticks(_at(2026, 11, 2, 2, 0, 5), _at(2026, 11, 2, 2, 0, 20))

    assert VERIFY in one and VERIFY not in other
    assert DBTaskResult.objects.filter(task_path="candour.core.tasks.verify_audit_chain").count() == 1


def test_a_weekly_schedule_falls_on_its_day_at_its_time():
    monday_seven = parse_time_of_day("monday 07:00")

    assert monday_seven == AtTimeOfDay(dt.time(7), frozenset({0}))
    assert monday_seven.latest(_at(2026, 11, 4, 12)) == _at(2026, 11, 2, 7)
    assert monday_seven.latest(_at(2026, 11, 9, 6, 59)) == _at(2026, 11, 2, 7)
    assert monday_seven.latest(_at(2026, 11, 9, 7)) == _at(2026, 11, 9, 7)
    assert str(monday_seven) == "monday at 07:00 Europe/London"


@pytest.mark.parametrize("text", ["7 o'clock", "someday 07:00", "monday tuesday 07:00", "25:00"])
def test_a_time_of_day_that_does_not_parse_is_refused(text):
    with pytest.raises(ValueError):
        parse_time_of_day(text)


def test_digests_verification_and_reconciliation_run_at_a_time_of_day():
    schedules = {job.name: job.schedule for job in registered_jobs()}

    for name in (
        "learning.send_training_reminders",
        "learning.chase_unread_briefings",
        "speakup.remind_overdue_tasks",
        "assurance.escalate_overdue_actions",
        VERIFY,
        "learning.reconcile_compliance",
    ):
        assert isinstance(schedules[name], AtTimeOfDay), name
    assert schedules["learning.send_training_reminders"] == parse_time_of_day("07:00")
    assert isinstance(schedules["speakup.notify_new_concerns"], Every)


def test_a_trust_moves_a_job_to_its_own_time(settings, db):
    settings.CANDOUR_SCHEDULE_AT = {VERIFY: "sunday 04:30"}
    _ticks(START)  # Sunday 1 November 2026, noon

    saturday, sunday_early, sunday_half_four = _ticks(
        _at(2026, 11, 7, 4, 30), _at(2026, 11, 8, 4, 29), _at(2026, 11, 8, 4, 30)
    )

    assert [VERIFY in run for run in (saturday, sunday_early, sunday_half_four)] == [False, False, True]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("override", [{"no.such_job": "07:00"}, {HOURLY: "07:00"}, {VERIFY: "half past"}])
def test_the_scheduler_refuses_an_override_it_cannot_follow(settings, override):
    settings.CANDOUR_SCHEDULE_AT = override

    with pytest.raises(CommandError, match="CANDOUR_SCHEDULE_AT"):
        call_command("run_scheduler", once=True)


@pytest.mark.django_db(transaction=True)
def test_enqueued_jobs_wait_in_the_database_and_the_worker_runs_them():
    _ticks(START)
    _ticks(_at(2026, 11, 2, 2))
    assert DBTaskResult.objects.filter(task_path="candour.core.tasks.verify_audit_chain").count() == 1

    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    assert AuditVerification.objects.get().intact


@pytest.mark.django_db(transaction=True)
def test_scheduler_command_checks_once(capsys):
    call_command("run_scheduler", once=True)

    assert f"Enqueued {HOURLY}" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_carries_on_through_a_database_it_cannot_reach():
    out, err = io.StringIO(), io.StringIO()

    with database_unreachable():
        call_command("run_scheduler", once=True, stdout=out, stderr=err)
    assert "The database could not be reached" in err.getvalue()
    assert not ScheduledJobRun.objects.exists()

    call_command("run_scheduler", once=True, stdout=out, stderr=err)
    assert f"Enqueued {HOURLY}" in out.getvalue()


def _drop_this_connection() -> None:
    """End this process's own database session from another one, as a server restart or a network cut
    would: the next query on it fails."""
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only a server's connection can drop; SQLite's is a file"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_reconnects_after_its_connection_drops():
    command_output = io.StringIO()
    connection.ensure_connection()
    _drop_this_connection()

    call_command("run_scheduler", once=True, stdout=command_output)

    assert f"Enqueued {HOURLY}" in command_output.getvalue()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_worker_reconnects_after_its_connection_drops():
    verify_audit_chain.enqueue()
    _drop_this_connection()

    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    assert AuditVerification.objects.get().intact


def test_verification_records_a_broken_chain(db, monkeypatch):
    from candour.core import audit

    monkeypatch.setattr(audit, "verify_chain", lambda: audit.ChainReport(3, 4, "the event was altered"))

    assert verify_audit_chain.call() is False
    assert AuditVerification.objects.get().first_broken_sequence == 4
