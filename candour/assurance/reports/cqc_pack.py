"""The CQC inspection evidence pack for one key question: our self-judgement (the self-assessed rating of
each core service and the trust, beside the evidence and CQC's last rating), then each quality statement's
self-assessments with their narratives and evidence links, its measures as SPC charts, the candour gap, and
the action plans that answer findings on the key question."""

from __future__ import annotations

from dataclasses import dataclass

from candour.assurance.queries.framework import KeyQuestionEvidence, key_question_evidence
from candour.assurance.queries.plans import PlanSummary, plan_summaries, units_under
from candour.assurance.queries.reports import plans_for_key_question
from candour.assurance.reports import Outline, ReportContext, Step
from candour.assurance.reports.readings import charts_for
from candour.core.charts import ChartView
from candour.core.measures import exists, get


@dataclass(frozen=True)
class LinkedEvidence:
    title: str
    location: str


def evidence(context: ReportContext, parts: dict) -> KeyQuestionEvidence:
    return key_question_evidence(context.run.key_question, on=context.on, window=context.evidence)


def charts(context: ReportContext, parts: dict) -> dict[str, ChartView]:
    """Each registered measure bound to the key question's statements, charted once."""
    keys = sorted(
        {
            bound.key
            for pack in parts["evidence"].statements
            for bound in pack.evidence.measures
            if bound.measure is not None
        }
    )
    return {chart.measure.key: chart for chart in charts_for(keys, context)}


def links(context: ReportContext, parts: dict) -> dict[int, list[LinkedEvidence]]:
    """Each assessment's evidence links in words: a measure by its title, a document by its title and where
    to find it."""
    found: dict[int, list[LinkedEvidence]] = {}
    for pack in parts["evidence"].statements:
        for row in pack.assessments:
            if row.assessment is None:
                continue
            found[row.assessment.pk] = [
                LinkedEvidence(_measure_title(link.measure_key), "Measure")
                if link.measure_key
                else LinkedEvidence(link.document_title, link.document_location)
                for link in row.links
            ]
    return found


def _measure_title(key: str) -> str:
    return get(key).title if exists(key) else f"{key} (no longer published)"


def plans(context: ReportContext, parts: dict) -> list[PlanSummary]:
    related = plans_for_key_question(context.run.key_question)
    every = plan_summaries(scope_units=units_under(context.unit), on=context.on)
    return [plan for plan in every if plan.public_id in related]


def outline(context: ReportContext) -> Outline:
    return Outline(
        title="CQC inspection evidence pack",
        subtitle=context.unit.name,
        template="assurance/reports/cqc_pack.jinja",
        steps=[
            Step("Ratings and self-assessments", "evidence", evidence),
            Step("Measures and their SPC charts", "charts", charts),
            Step("Evidence links", "links", links),
            Step("Action plans", "plans", plans),
        ],
    )
