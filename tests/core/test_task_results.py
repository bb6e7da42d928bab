"""Finished task results are pruned on a schedule; waiting and running ones, and recent ones, are kept."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from candour.core.scheduling import Every, registered_jobs
from candour.core.tasks import clear_expired_sessions, prune_task_results

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def _result(status: str, finished_days_ago: int | None) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=clear_expired_sessions.enqueue().id)
    result.status = status
    if finished_days_ago is not None:
        result.finished_at = NOW - dt.timedelta(days=finished_days_ago)
    result.save()
    return result


@pytest.mark.django_db(transaction=True)
def test_finished_results_older_than_the_setting_are_pruned_by_the_worker(settings):
    settings.CANDOUR_TASK_RESULTS_KEEP_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        old_success = _result(TaskResultStatus.SUCCESSFUL, 31)
        old_failure = _result(TaskResultStatus.FAILED, 45)
        recent = _result(TaskResultStatus.SUCCESSFUL, 29)
        waiting = _result(TaskResultStatus.READY, None)
        running = _result(TaskResultStatus.RUNNING, None)
        waiting.run_after = timezone.now() + dt.timedelta(days=1)  # not for this worker run
        waiting.save()
        running.started_at = NOW - dt.timedelta(days=90)
        running.save()

        pruning = prune_task_results.enqueue()
        call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    kept = {str(result_id) for result_id in DBTaskResult.objects.values_list("id", flat=True)}
    assert {str(recent.id), str(waiting.id), str(running.id), pruning.id} <= kept
    assert not {str(old_success.id), str(old_failure.id)} & kept
    assert DBTaskResult.objects.get(id=pruning.id).return_value == 2


def test_results_are_pruned_every_day():
    [job] = [job for job in registered_jobs() if job.name == "core.prune_task_results"]

    assert job.schedule == Every(dt.timedelta(days=1))
