import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connections

from candour.core.scheduling import AtTimeOfDay, enqueue_due_jobs, registered_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they fall due. Run one beside the task worker (more are harmless)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit")

    def handle(self, *args, once, **options):
        self._check_schedule_overrides()
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        self.stdout.write(f"Scheduler watching {len(registered_jobs())} periodic jobs")
        while True:
            self.tick()
            if once or stopping.wait(settings.CANDOUR_SCHEDULE_TICK_SECONDS):
                return

    def tick(self) -> None:
        """One look at the jobs. A dropped connection is noticed and made again first (as the task worker
        does); a database that cannot be reached costs this tick only, and the next tries again."""
        try:
            close_old_connections()
            for name in enqueue_due_jobs():
                self.stdout.write(f"Enqueued {name}")
        except DatabaseError as error:
            logger.warning("Scheduler could not reach the database: %s", error)
            self.stderr.write(
                f"The database could not be reached ({error}); "
                f"trying again in {settings.CANDOUR_SCHEDULE_TICK_SECONDS} s"
            )
            # A connection left broken would fail every later tick too: the next one connects afresh.
            for connection in connections.all(initialized_only=True):
                connection.close()

    def _check_schedule_overrides(self) -> None:
        jobs = {job.name: job for job in registered_jobs()}
        for name in settings.CANDOUR_SCHEDULE_AT:
            job = jobs.get(name)
            if job is None or not isinstance(job.default_schedule, AtTimeOfDay):
                raise CommandError(f"CANDOUR_SCHEDULE_AT names {name!r}: no job of that name runs at a time")
            try:
                job.schedule  # noqa: B018 - parsed here so that a mistyped time stops the scheduler at once
            except ValueError as error:
                raise CommandError(f"CANDOUR_SCHEDULE_AT: {error}") from error
