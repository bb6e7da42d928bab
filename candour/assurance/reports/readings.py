"""Measures as the reports show them: the trust's monthly series from snapshots, each as an SPC chart whose
reading is also written out in words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps

from candour.assurance.queries.measures import series_for_many
from candour.assurance.reports import ReportContext
from candour.core.charts import ChartView, spc_chart
from candour.core.spc import VariationIcon

CONCERN = frozenset({VariationIcon.CONCERNING_HIGH, VariationIcon.CONCERNING_LOW})
IMPROVEMENT = frozenset({VariationIcon.IMPROVING_HIGH, VariationIcon.IMPROVING_LOW})
# Apps whose measures a board reads first: safeguarding and speaking up, then training, then staff voice.
APP_ORDER = ["speakup", "learning", "voice", "assurance", "people"]


@dataclass(frozen=True)
class MeasureGroup:
    title: str
    charts: list[ChartView]


def charts_for(
    keys: Sequence[str],
    context: ReportContext,
    *,
    targets: dict[str, float] | None = None,
    months: int | None = None,
) -> list[ChartView]:
    """Each measure's chart for the report's unit, in the order given; one query for all their snapshots.

    A key no longer registered raises `UnknownMeasure`: evidence that has lost its measure is an error to
    put right, not something to leave out of a report without a word."""
    targets = targets or {}
    series = series_for_many(keys, context.unit, months=months or context.months, until=context.until)
    return [spc_chart(series[key], target=targets.get(key)) for key in keys]


def grouped_by_app(charts: Iterable[ChartView]) -> list[MeasureGroup]:
    """Charts under the name of the app that publishes each measure (the key's first part)."""
    groups: dict[str, list[ChartView]] = defaultdict(list)
    for chart in charts:
        groups[chart.measure.key.split(".", 1)[0]].append(chart)
    ordered = sorted(groups, key=lambda label: (APP_ORDER.index(label) if label in APP_ORDER else 99, label))
    return [MeasureGroup(_app_name(label), groups[label]) for label in ordered]


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label.replace("_", " ").capitalize()


def is_concern(chart: ChartView) -> bool:
    return chart.variation in CONCERN


def is_improvement(chart: ChartView) -> bool:
    return chart.variation in IMPROVEMENT
