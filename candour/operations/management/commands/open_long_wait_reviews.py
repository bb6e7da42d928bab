"""manage.py open_long_wait_reviews: after a change of threshold, open the harm reviews of the stored
incidents that are now long waits (the scheduler does it every night too)."""

from django.core.management.base import BaseCommand

from candour.operations.services import sweep_long_waits


class Command(BaseCommand):
    help = (
        "Open a harm review for every stored incident that is a long wait under the thresholds in force and "
        "has none. Running it again opens nothing."
    )

    def handle(self, *args, **options):
        opened = sweep_long_waits()
        self.stdout.write(f"{opened} harm review{'' if opened == 1 else 's'} of long waits opened")
