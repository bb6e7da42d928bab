"""Periodic jobs without the host's cron: `manage.py run_scheduler` enqueues each registered task when due.

A job runs either once per interval (`every`: housekeeping, whenever it falls) or at a time of day in the
service's time zone (`daily`, `weekly`: digests at 07:00, the nightly verification), so people get their
emails in the morning whenever the scheduler was started. A time-of-day job first runs at its next time after
a scheduler first sees it; one missed while no scheduler ran is run once when one is back, never twice.
CANDOUR_SCHEDULE_AT moves a time-of-day job to the trust's own time.

Each job's last run is kept in the database under a row lock, so two schedulers (or a restart) never
enqueue the same job twice in one period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core.models import ScheduledJobRun

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Every:
    """Once per interval, counted from when it last ran; the first time at once."""

    interval: dt.timedelta

    def due(self, last: dt.datetime | None, now: dt.datetime) -> bool:
        return last is None or last + self.interval <= now

    def __str__(self) -> str:
        return f"every {self.interval}"


@dataclass(frozen=True)
class AtTimeOfDay:
    """At a local time of day (the service's TIME_ZONE, so 07:00 stays 07:00 across the clock changes) on
    the given weekdays (0 is Monday; all seven by default)."""

    time: dt.time
    weekdays: frozenset[int] = field(default=frozenset(range(7)))

    def latest(self, now: dt.datetime) -> dt.datetime:
        """The most recent time it was meant to run, at or before `now`."""
        zone = timezone.get_default_timezone()
        today = now.astimezone(zone).date()
        for back in range(8):
            day = today - dt.timedelta(days=back)
            if day.weekday() in self.weekdays:
                # A time the clocks skip (spring forward) is read as the hour before the change, so it runs.
                planned = dt.datetime.combine(day, self.time, tzinfo=zone)
                if planned <= now:
                    return planned
        raise AssertionError("a weekly schedule always has an occurrence in the last eight days")

    def due(self, last: dt.datetime | None, now: dt.datetime) -> bool:
        # Never run before: wait for the next planned time rather than run at whatever time we started.
        return last is not None and last < self.latest(now)

    def __str__(self) -> str:
        named = ", ".join(WEEKDAYS[day] for day in sorted(self.weekdays))
        days = "every day" if len(self.weekdays) == 7 else named
        return f"{days} at {self.time:%H:%M} {settings.TIME_ZONE}"


Schedule = Every | AtTimeOfDay


def parse_time_of_day(text: str) -> AtTimeOfDay:
    """`07:00` (every day) or `monday 07:00`; refused loudly if it is neither."""
    *day, clock = text.strip().lower().split()
    if len(day) > 1 or (day and day[0] not in WEEKDAYS):
        raise ValueError(f"{text!r}: give a time such as 07:00, or a day and a time such as monday 07:00")
    time = dt.time.fromisoformat(clock)
    return AtTimeOfDay(time, frozenset({WEEKDAYS.index(day[0])}) if day else frozenset(range(7)))


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    default_schedule: Schedule

    @property
    def schedule(self) -> Schedule:
        override = settings.CANDOUR_SCHEDULE_AT.get(self.name)
        if override and isinstance(self.default_schedule, AtTimeOfDay):
            return parse_time_of_day(override)
        return self.default_schedule


_jobs: dict[str, PeriodicJob] = {}


def _register(schedule: Schedule, name: str | None):
    def decorate(task):
        job_name = name or task.module_path
        _jobs[job_name] = PeriodicJob(job_name, task, schedule)
        return task

    return decorate


def every(interval: dt.timedelta, *, name: str | None = None):
    """Register a task to run once per interval."""
    return _register(Every(interval), name)


def daily(at: str, *, name: str | None = None):
    """Register a task to run every day at a local time, such as "07:00"."""
    return _register(parse_time_of_day(at), name)


def weekly(on: str, at: str, *, name: str | None = None):
    """Register a task to run once a week, on a day at a local time, such as ("monday", "07:00")."""
    return _register(parse_time_of_day(f"{on} {at}"), name)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job that has fallen due since it was last enqueued; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        with transaction.atomic():
            run, created = ScheduledJobRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued_at": now}
            )
            if job.schedule.due(None if created else run.last_enqueued_at, now):
                job.task.enqueue()
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
                enqueued.append(job.name)
    return enqueued
