from django.core.management.base import BaseCommand, CommandError

from candour.core.audit import verify_chain
from candour.core.audit_heads import latest_head
from candour.core.formatting import local_datetime


class Command(BaseCommand):
    help = (
        "Check every audit event's seal and link, and the chain against the heads recorded outside the "
        "database; fail at the first thing that does not hold."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            where = f" at event {report.first_broken_sequence}" if report.first_broken_sequence else ""
            raise CommandError(
                f"Audit chain broken{where}: {report.reason} ({report.checked} events checked before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
        head = latest_head()
        if head:
            self.stdout.write(
                f"Its head was last recorded outside the database at event {head.sequence}, "
                f"{local_datetime(head.recorded_at)}, seal {head.hash}."
            )
