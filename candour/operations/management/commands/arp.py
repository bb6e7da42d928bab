"""manage.py arp: response times by month, area and category from one row per incident, as AmbSYS counts
them, with the app's own clock rules and centiles."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from candour.core import exports
from candour.operations.arp.centiles import CentileMethod
from candour.operations.arp.incidents import (
    COLUMNS,
    MeasuredIncident,
    measure,
    parse_incident,
    response_table,
)

OUTPUT_COLUMNS = ("Month", "Area", "Category", "Incidents", "TotalSeconds", "MeanSeconds", "Centile90Seconds")


class Command(BaseCommand):
    help = (
        "Read a CSV file with one row per incident (columns " + ", ".join(COLUMNS) + ") and write to "
        "standard output, as CSV, the incidents with a clock stop, their total and mean seconds and their "
        "90th centile per month (of call connect, in Europe/London), area and category, and for the whole "
        "trust as the area All. A bad row is named by its line, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file of incidents")
        parser.add_argument(
            "--centile",
            choices=[method.value for method in CentileMethod],
            default=None,
            help="how the 90th centile is taken (default: the CANDOUR_ARP_CENTILE_METHOD setting)",
        )

    def handle(self, *args, file, centile, verbosity, **options):
        method = CentileMethod(centile or settings.CANDOUR_ARP_CENTILE_METHOD)
        # Every row is read and measured before anything is written, so a bad row leaves the output empty.
        # The table takes each incident's seconds as it is read, so only the seconds are held, not the rows.
        problems: list[str] = []
        table = response_table(_read_incidents(file, problems), method)
        if problems:
            raise CommandError("\n".join(problems))
        output = io.StringIO()
        writer = exports.csv_writer(output, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for row in table:
            figures = row.figures
            writer.writerow(
                [
                    row.month,
                    row.area,
                    row.category,
                    figures.incidents,
                    figures.total_seconds,
                    figures.mean_seconds,
                    figures.centile90_seconds,
                ]
            )
        self.stdout.write(output.getvalue(), ending="")
        if verbosity:
            self.stderr.write(f"90th centile: {method.description}")


def _read_incidents(file: Path, problems: list[str]) -> Iterator[MeasuredIncident]:
    """Every good incident of the file measured; each bad line, and why, is added to `problems`."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                raise CommandError(f"{file}, line 1: the file is empty")
            missing = [column for column in COLUMNS if column not in reader.fieldnames]
            if missing:
                raise CommandError(f"{file}, line 1: missing column(s) {', '.join(missing)}")
            first_seen: dict[str, int] = {}
            for record in reader:
                try:
                    incident = parse_incident(record)
                    earlier = first_seen.setdefault(incident.incident_id, reader.line_num)
                    if earlier != reader.line_num:
                        raise ValueError(f"incident {incident.incident_id} is already on line {earlier}")
                    measured = measure(incident)
                except ValueError as error:
                    problems.append(f"{file}, line {reader.line_num}: {error}")
                    continue
                yield measured
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"Cannot read {file}: {error}") from error
