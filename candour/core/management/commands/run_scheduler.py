import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from candour.core.scheduling import enqueue_due_jobs, registered_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they fall due. Run one beside the task worker (more are harmless)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit")

    def handle(self, *args, once, **options):
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        self.stdout.write(f"Scheduler watching {len(registered_jobs())} periodic jobs")
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"Enqueued {name}")
            if once or stopping.wait(settings.CANDOUR_SCHEDULE_TICK_SECONDS):
                return
