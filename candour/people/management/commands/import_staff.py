"""manage.py import_staff FILE.csv: bring in the staff roster exported from the HR system."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from candour.people.importers import import_staff_roster


class Command(BaseCommand):
    help = (
        "Import the staff roster CSV (UTF-8) exported from the HR system; nothing is saved if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the roster CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as roster:
                result = import_staff_roster(by=None, file=roster)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.error_count > len(result.errors):
                self.stderr.write(f"... and {result.error_count - len(result.errors)} more problems.")
            problems = f"{result.error_count} problem{'' if result.error_count == 1 else 's'}"
            raise CommandError(f"{problems} in {file}; nothing was imported.")
        self.stdout.write(
            f"Read {result.rows_read} rows from {file}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
