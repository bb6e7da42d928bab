"""Periodic jobs without the host's cron: `manage.py run_scheduler` enqueues each registered task when due.

Each job's last run is kept in the database under a row lock, so two schedulers (or a restart) never
enqueue the same job twice in one interval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from candour.core.models import ScheduledJobRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    interval: dt.timedelta


_jobs: dict[str, PeriodicJob] = {}


def every(interval: dt.timedelta, *, name: str | None = None):
    """Register a task to run once per interval."""

    def decorate(task):
        job_name = name or task.module_path
        _jobs[job_name] = PeriodicJob(job_name, task, interval)
        return task

    return decorate


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        with transaction.atomic():
            run, created = ScheduledJobRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued_at": now}
            )
            if created or run.last_enqueued_at + job.interval <= now:
                job.task.enqueue()
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
                enqueued.append(job.name)
    return enqueued
