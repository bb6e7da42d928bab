from django.core.management.base import BaseCommand, CommandError

from candour.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check every audit event's hash and link; fail at the first event that does not hold."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event {report.first_broken_sequence}: {report.reason} "
                f"({report.checked} events checked before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
