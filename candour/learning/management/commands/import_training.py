"""manage.py import_training FILE.csv: bring in the learning system's export of training records."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from candour.learning.importers import import_training_records


class Command(BaseCommand):
    help = (
        "Import training records (CSV, UTF-8: staff_number, subject_code, completed_on, hours, provider) "
        "exported from the learning system; nothing is saved if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the training records CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as records:
                result = import_training_records(by=None, file=records)
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
