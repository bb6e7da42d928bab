"""manage.py spc: chart each metric in a CSV file with XmR limits and Making Data Count colours."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from candour.core import exports
from candour.core.spc import Direction, SpcConfig, xmr_chart

REQUIRED_COLUMNS = ("Metric", "Date", "Value")
OUTPUT_COLUMNS = ("Metric", "Date", "Value", "Mean", "UpperLimit", "LowerLimit", "Colour")


@dataclass(frozen=True)
class _Row:
    metric: str
    date: str
    text: str
    value: Decimal


class Command(BaseCommand):
    help = (
        "Read a CSV file with columns Metric, Date and Value, chart each metric as its own series, and "
        "write the rows to standard output with Mean, UpperLimit, LowerLimit and Colour added. "
        "The variation and assurance icons of each metric go to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file to chart")
        parser.add_argument(
            "--direction",
            choices=Direction.values,
            default=Direction.HIGHER_IS_BETTER,
            help="which way is improvement (default: high)",
        )
        parser.add_argument("--target", type=number, metavar="X", help="the target, for the assurance icon")
        parser.add_argument(
            "--baseline", type=int, metavar="K", help="fix the limits from the first K points of each metric"
        )
        parser.add_argument(
            "--recalculate-after",
            type=int,
            nargs="+",
            default=[],
            metavar="N",
            help="start new limits after point N of each metric (counting from 1)",
        )

    def handle(self, *args, file, direction, target, baseline, recalculate_after, verbosity, **options):
        rows = _read_rows(file)
        # Everything is charted before anything is written, so a failure leaves standard output empty.
        series: dict[str, list[Decimal]] = {}
        for row in rows:
            series.setdefault(row.metric, []).append(row.value)
        charts = {}
        for metric, values in series.items():
            try:
                charts[metric] = xmr_chart(
                    values,
                    config=SpcConfig.from_settings(),
                    direction=Direction(direction),
                    target=target,
                    baseline=baseline,
                    recalculate_after=recalculate_after,
                )
            except ValueError as error:
                raise CommandError(f"{metric}: {error}") from error

        output = io.StringIO()
        writer = exports.csv_writer(output, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        remaining_points = {metric: iter(chart.points) for metric, chart in charts.items()}
        for row in rows:
            point = next(remaining_points[row.metric])
            writer.writerow(
                [
                    row.metric,
                    row.date,
                    row.text,
                    point.mean,
                    "" if point.upper_limit is None else point.upper_limit,
                    "" if point.lower_limit is None else point.lower_limit,
                    point.colour,
                ]
            )
        self.stdout.write(output.getvalue(), ending="")
        if verbosity:
            for metric, chart in charts.items():
                self.stderr.write(f"{metric}: variation {chart.variation}, assurance {chart.assurance}")


def _read_rows(file: Path) -> list[_Row]:
    """Every row of the file, or a CommandError listing each bad line."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                raise CommandError(f"{file}, line 1: the file is empty")
            missing = [column for column in REQUIRED_COLUMNS if column not in reader.fieldnames]
            if missing:
                raise CommandError(f"{file}, line 1: missing column(s) {', '.join(missing)}")
            rows, problems = [], []
            for record in reader:
                try:
                    rows.append(_row(record))
                except ValueError as error:
                    problems.append(f"{file}, line {reader.line_num}: {error}")
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"Cannot read {file}: {error}") from error
    if problems:
        raise CommandError("\n".join(problems))
    if not rows:
        raise CommandError(f"{file}, line 2: there are no rows to chart")
    return rows


def _row(record: dict[str, str | None]) -> _Row:
    metric = (record["Metric"] or "").strip()
    text = (record["Value"] or "").strip()
    if not metric:
        raise ValueError("the Metric is missing")
    if not text:
        raise ValueError("the Value is missing")
    try:
        value = number(text)
    except ValueError as error:
        raise ValueError(f"the Value {error}") from None
    return _Row(metric, (record["Date"] or "").strip(), text, value)


def number(text: str) -> Decimal:
    """A finite decimal number; named for argparse, which says "invalid number value" when this fails."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value
