"""Assurance queries: the candour gap. Where managers' self-assessment of a quality statement is more
optimistic than the evidence bound to it, by a whole point or more, it is flagged (STANDARDS.md §2 scores,
`candour.assurance.evidence` for the arithmetic).

Each comparison is one self-assessment in force (a core service's, or the trust's own for well-led) against
its statement's evidence score: the mean of its bound measures' scores from the trust's values over the
complete months evidence is judged on (never the month under way, docs/adr/0026), read from measure
snapshots. A statement with no bound measure, or none with a value from enough cases, has no evidence score
and is not compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from candour.assurance.evidence import gap, is_flagged
from candour.assurance.models import KeyQuestion, QualityStatement, SelfAssessment
from candour.assurance.queries.framework import (
    BoundMeasure,
    FrameworkData,
    StatementEvidence,
    load,
    service_label,
    service_slug,
)
from candour.core.measures import MeasureSeries, Period, SeriesPoint, get
from candour.core.months import complete_months, evidence_window, window_ending
from candour.people.models import CoreService

GAP_MEASURE = "assurance.candour_gap_flags"


@dataclass(frozen=True)
class GapRow:
    statement: QualityStatement
    core_service: CoreService | None
    assessment: SelfAssessment
    evidence: StatementEvidence
    flag_points: float

    @property
    def evidence_score(self) -> Decimal | None:
        return self.evidence.score

    @property
    def measures(self) -> tuple[BoundMeasure, ...]:
        """The bound measures, each with its value that month and the score it earns."""
        return self.evidence.measures

    @property
    def key_question(self) -> str:
        return self.statement.key_question

    @property
    def key_question_label(self) -> str:
        return KeyQuestion(self.statement.key_question).label

    @property
    def service_label(self) -> str:
        return service_label(self.core_service)

    @property
    def service_slug(self) -> str:
        return service_slug(self.core_service)

    @property
    def self_score(self) -> int:
        return self.assessment.score

    @property
    def gap(self) -> Decimal | None:
        return gap(self.self_score, self.evidence_score)

    @property
    def flagged(self) -> bool:
        return is_flagged(self.gap, self.flag_points)


@dataclass(frozen=True)
class ServiceGaps:
    core_service: CoreService | None
    rows: list[GapRow]

    @property
    def label(self) -> str:
        return service_label(self.core_service)


@dataclass(frozen=True)
class GapReport:
    on: dt.date
    evidence: Period  # the complete months the evidence is judged on
    flag_points: float
    rows: list[GapRow]  # every self-assessment in force on a statement with bound measures

    @property
    def compared(self) -> list[GapRow]:
        """Rows with both a self-assessed and an evidence score."""
        return [row for row in self.rows if row.gap is not None]

    @property
    def flagged(self) -> list[GapRow]:
        """Flagged rows, most optimistic first."""
        return sorted(
            (row for row in self.rows if row.flagged),
            key=lambda row: (-row.gap, row.statement.display_order, row.service_label),
        )

    @property
    def by_service(self) -> list[ServiceGaps]:
        """Flagged rows per core service (the trust's own last), each most optimistic first."""
        flagged = self.flagged
        order: list[CoreService | None] = []
        for row in sorted(flagged, key=lambda row: (row.core_service is None, row.service_label)):
            if row.core_service not in order:
                order.append(row.core_service)
        return [
            ServiceGaps(service, [row for row in flagged if row.core_service == service]) for service in order
        ]


def _rows(data: FrameworkData, day: dt.date, window: Period) -> list[GapRow]:
    """Every self-assessment in force at the day, on a statement with bound measures, with its evidence over
    the window."""
    evidence = data.evidence_for(window)
    statements = {statement.pk: statement for statement in data.statements}
    services = {service.pk: service for service in data.services}
    flag_points = settings.CANDOUR_CANDOUR_GAP_FLAG_POINTS
    rows = []
    for (statement_id, service_id), assessment in data.assessments_on(day).items():
        found = evidence[statement_id]
        if found.is_bound:
            rows.append(
                GapRow(
                    statement=statements[statement_id],
                    core_service=services.get(service_id),
                    assessment=assessment,
                    evidence=found,
                    flag_points=flag_points,
                )
            )
    return sorted(
        rows, key=lambda row: (row.statement.display_order, row.core_service is None, row.service_label)
    )


def candour_gap(*, on: dt.date, window: Period | None = None) -> GapReport:
    """The candour gap on a day: each self-assessment in force against its statement's evidence over the
    window (by default the complete months before the day), with the bound measures' values and scores;
    `flagged` lists the optimistic ones."""
    window = window or evidence_window(on)
    data = load(until=on, since=window.start)
    return GapReport(
        on=on,
        evidence=window,
        flag_points=settings.CANDOUR_CANDOUR_GAP_FLAG_POINTS,
        rows=_rows(data, on, window),
    )


@dataclass(frozen=True)
class MonthFlags:
    period: Period
    flagged: int
    compared: int


def flags_by_month(data: FrameworkData, periods: list[Period]) -> list[MonthFlags]:
    """For each month, the self-assessments in force at its end (or at `data.until`, for a month not yet
    over) flagged against the evidence of the months ending with it."""
    counts = []
    for period in periods:
        rows = _rows(data, min(period.last_day, data.until), window_ending(period))
        counts.append(
            MonthFlags(period, sum(row.flagged for row in rows), sum(row.gap is not None for row in rows))
        )
    return counts


def flag_trend(*, on: dt.date, months: int | None = None) -> MeasureSeries:
    """The number of flagged statements per complete month over the last months (24 by default), as a
    measure series for the SPC chart, worked out from snapshots so it always agrees with the flagged list
    beside it, whose evidence is the newest month charted."""
    months = months or settings.CANDOUR_CHART_MONTHS
    periods = complete_months(on, months)
    data = load(until=on, since=periods[0].start)
    points = tuple(
        SeriesPoint(month.period, month.flagged if month.compared else None, month.flagged, month.compared)
        for month in flags_by_month(data, periods)
    )
    return MeasureSeries(get(GAP_MEASURE), points)
