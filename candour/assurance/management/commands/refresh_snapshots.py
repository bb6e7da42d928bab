"""manage.py refresh_snapshots: recompute kept measure values, for analysts and after an import."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from candour.assurance.services.snapshots import (
    SnapshotFailed,
    months_ending,
    refresh_snapshots,
    snapshot_units,
)
from candour.core.measures import UnknownMeasure, all_measures, get


class Command(BaseCommand):
    help = (
        "Recompute every registered measure for the trust and each area, month by month, ending with this "
        "month, and keep the values that pages, charts and reports read. Nothing is kept if a measure fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=_positive,
            default=settings.CANDOUR_CHART_MONTHS,
            metavar="N",
            help=f"how many months, ending with this one (default: {settings.CANDOUR_CHART_MONTHS})",
        )
        parser.add_argument(
            "--measure",
            action="append",
            default=[],
            metavar="KEY",
            help="only this measure (repeat for more); default: every registered measure",
        )
        parser.add_argument(
            "--missing-only", action="store_true", help="compute only the months not kept yet"
        )

    def handle(self, *args, months, measure, missing_only, verbosity, **options):
        try:
            measures = [get(key) for key in measure] if measure else all_measures()
        except UnknownMeasure as error:
            raise CommandError(str(error)) from None
        periods = months_ending(timezone.localdate(), months)
        units = snapshot_units()
        if not units:
            raise CommandError("There is no trust in the database yet, so there is nothing to measure.")

        def progress(each, count):
            if verbosity >= 2:
                self.stdout.write(f"  {each.key}: {count} values")

        started = time.perf_counter()
        try:
            written = refresh_snapshots(
                months=periods, units=units, measures=measures, missing_only=missing_only, progress=progress
            )
        except SnapshotFailed as error:
            raise CommandError(f"{error}. Nothing was kept.") from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Kept {written:,} values: {len(measures)} measures for {len(units)} units over {months} months "
            f"({periods[0].label} to {periods[-1].label}) in {seconds:.1f} s."
        )


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(f"--months must be a whole number of 1 or more, not {text!r}")
    return number
