"""The Ofsted monitoring-visit readiness pack for one theme (such as effective safeguarding arrangements):
the last visit's judgement, our self-judgement on the insufficient / reasonable / significant progress scale,
and the evidence since the visit: the theme's measures charted from the visit's month, and the plans that
answer the theme."""

from __future__ import annotations

from candour.assurance.queries.ofsted import ThemeReadiness, theme_readiness
from candour.assurance.queries.plans import PlanSummary, plan_summaries, units_under
from candour.assurance.queries.reports import plans_for_theme
from candour.assurance.reports import Outline, ReportContext, Step
from candour.assurance.reports.readings import charts_for
from candour.core.charts import ChartView


def readiness(context: ReportContext, parts: dict) -> ThemeReadiness:
    return theme_readiness(context.run.monitoring_theme, on=context.on)


def charts(context: ReportContext, parts: dict) -> list[ChartView]:
    """The theme's measures from the month of the last visit (or over the usual span, with no visit) to the
    last complete month."""
    found: ThemeReadiness = parts["readiness"]
    keys = [series.measure.key for series in found.series]
    if found.last_visit is None:
        return charts_for(keys, context)
    visited = found.last_visit.visited_on
    months = (context.until.year - visited.year) * 12 + context.until.month - visited.month + 1
    return charts_for(keys, context, months=max(months, 1))


def plans(context: ReportContext, parts: dict) -> list[PlanSummary]:
    related = plans_for_theme(context.run.monitoring_theme)
    every = plan_summaries(scope_units=units_under(context.unit), on=context.on)
    return [plan for plan in every if plan.public_id in related]


def outline(context: ReportContext) -> Outline:
    return Outline(
        title="Ofsted monitoring-visit readiness pack",
        subtitle=context.unit.name,
        template="assurance/reports/ofsted_pack.jinja",
        steps=[
            Step("Judgements", "readiness", readiness),
            Step("Evidence since the last visit", "charts", charts),
            Step("Action plans", "plans", plans),
        ],
    )
