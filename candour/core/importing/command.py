"""The shape every feed's management command shares: read a file, report every bad row, fail loudly."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """Subclasses set `help`, `file_help` and `importer` (a use case taking `by` and `file`)."""

    file_help = "the CSV file"
    importer: Callable = None

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=self.file_help)

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as upload:
                result = self.importer(by=None, file=upload)
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
