"""The board assurance report for the trust: a summary, the measures the board follows as SPC charts read in
words, the candour gap, ratings self-assessed beside evidence and inspection, action-plan status (slipping
plans first) and the top risks."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.conf import settings

from candour.assurance.queries.framework import RatingsGrid, ratings_grid
from candour.assurance.queries.gap import GAP_MEASURE, GapReport, candour_gap, flag_trend
from candour.assurance.queries.plans import PlanSummary, plan_summaries, units_under
from candour.assurance.queries.reports import measure_targets
from candour.assurance.queries.risks import RiskRow, top_risks
from candour.assurance.reports import Outline, ReportContext, Step
from candour.assurance.reports.readings import (
    MeasureGroup,
    charts_for,
    grouped_by_app,
    is_concern,
    is_improvement,
)
from candour.core.charts import ChartView, spc_chart
from candour.core.measures import all_measures

TITLE = "Board assurance report"
TOP_RISKS = 10


@dataclass(frozen=True)
class Measures:
    groups: list[MeasureGroup]
    without_values: list[ChartView]  # registered, but nothing to chart in the span (listed, not drawn)

    @property
    def charts(self) -> list[ChartView]:
        return [chart for group in self.groups for chart in group.charts]


@dataclass(frozen=True)
class CandourGap:
    report: GapReport
    trend: ChartView


@dataclass(frozen=True)
class Risks:
    top: list[RiskRow]
    above_appetite: list[RiskRow]  # every open risk whose current score is above its target
    open_count: int


@dataclass(frozen=True)
class Summary:
    measures: int
    concerns: list[ChartView]
    improvements: list[ChartView]
    gap_flags: int
    plans_off_track: list[PlanSummary]
    risks_above_appetite: list[RiskRow]
    risks_open: int


def board_measure_keys(targeted: set[str]) -> list[str]:
    """The registered measures the board follows (CANDOUR_BOARD_REPORT_MEASURES), and any an open plan
    targets; the candour gap's own measure has its section."""
    patterns = settings.CANDOUR_BOARD_REPORT_MEASURES
    return [
        measure.key
        for measure in all_measures()
        if measure.key != GAP_MEASURE
        and (measure.key in targeted or any(fnmatchcase(measure.key, pattern) for pattern in patterns))
    ]


def measures(context: ReportContext, parts: dict) -> Measures:
    targets = measure_targets(context.unit, on=context.on)
    charts = charts_for(board_measure_keys(set(targets)), context, targets=targets)
    return Measures(
        grouped_by_app(chart for chart in charts if chart.known_rows),
        [chart for chart in charts if not chart.known_rows],
    )


def gap(context: ReportContext, parts: dict) -> CandourGap:
    trend = flag_trend(on=context.on, months=context.months)
    return CandourGap(candour_gap(on=context.on, window=context.evidence), spc_chart(trend))


def ratings(context: ReportContext, parts: dict) -> RatingsGrid:
    return ratings_grid(on=context.on, window=context.evidence)


def plans(context: ReportContext, parts: dict) -> list[PlanSummary]:
    return plan_summaries(scope_units=units_under(context.unit), on=context.on)


def risks(context: ReportContext, parts: dict) -> Risks:
    # Every open risk, ranked: the board sees the top ones, and how many of all are above their target.
    ranked = top_risks(limit=None, on=context.on, scope_units=units_under(context.unit))
    return Risks(ranked[:TOP_RISKS], [risk for risk in ranked if not risk.at_target], len(ranked))


def summary(context: ReportContext, parts: dict) -> Summary:
    charts = parts["measures"].charts
    return Summary(
        measures=len(charts),
        concerns=[chart for chart in charts if is_concern(chart)],
        improvements=[chart for chart in charts if is_improvement(chart)],
        gap_flags=len(parts["gap"].report.flagged),
        plans_off_track=[plan for plan in parts["plans"] if plan.counts.slipping],
        risks_above_appetite=parts["risks"].above_appetite,
        risks_open=parts["risks"].open_count,
    )


def outline(context: ReportContext) -> Outline:
    return Outline(
        title=TITLE,
        subtitle=context.unit.name,
        template="assurance/reports/board_report.jinja",
        steps=[
            Step("Measures and their SPC charts", "measures", measures),
            Step("The candour gap", "gap", gap),
            Step("Ratings", "ratings", ratings),
            Step("Action plans", "plans", plans),
            Step("Risks", "risks", risks),
            Step("Summary", "summary", summary),
        ],
    )
