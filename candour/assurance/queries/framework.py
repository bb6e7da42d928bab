"""Assurance queries: the CQC framework. Read models for the ratings grid, a key question's statements, a
statement's page, the ratings history and the CQC evidence pack.

Everything about the framework is read once into a `FrameworkData` (a few small queries: the trust has 34
statements, a few core services, and a few thousand assessments over the years), then each date is
worked out in memory with the pure rules in `candour.assurance.aggregation` and `candour.assurance.evidence`.
Evidence comes from measure snapshots, never recomputed: the trust's values over the complete months before
the day (`CANDOUR_EVIDENCE_MONTHS`, docs/adr/0026), never the month under way, which on its first day holds
a day's data at most. A value from fewer cases than `CANDOUR_EVIDENCE_MINIMUM_CASES` is too few to judge.

STANDARDS.md §2: "level 1 = core service x key question; level 2 = core service aggregate; level 3 = trust
aggregate, except trust well-led, which comes from its own assessment" and "a regulatory breach caps the
rating at RI". Ratings here, for each slot:

- self-assessed: the default from the managers' statement scores by the aggregation rules, capped by any
  breach open that day, then replaced by the override in force (with its reason);
- evidence-based: the same rules over the statements' evidence scores (no override: it is what the
  measures say), capped by open breaches, which are facts too;
- inspected: the latest rating CQC published on or before the day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings

from candour.assurance import aggregation
from candour.assurance.aggregation import Bands, Outcome, Override
from candour.assurance.evidence import (
    ThresholdError,
    Thresholds,
    WindowValue,
    evidence_score,
    gap,
    is_flagged,
    over_months,
)
from candour.assurance.models import (
    EvidenceLink,
    InspectionRating,
    KeyQuestion,
    MeasureBinding,
    MeasureSnapshot,
    QualityStatement,
    Rating,
    RatingOverride,
    RegulatoryBreach,
    SelfAssessment,
)
from candour.core.measures import Measure, Period, UnknownMeasure, get
from candour.core.months import add_months, complete_months, evidence_window, months_in, window_ending
from candour.people.models import CoreService, OrgUnit

TRUST_SLUG = "trust"


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def service_key(service: CoreService | None) -> int | None:
    return service.pk if service else None


def service_slug(service: CoreService | None) -> str:
    return service.slug if service else TRUST_SLUG


def service_label(service: CoreService | None) -> str:
    return service.name if service else "Trust"


def core_service_for_slug(slug: str) -> CoreService | None:
    """The core service a URL names, None for the trust; raises CoreService.DoesNotExist otherwise."""
    return None if slug == TRUST_SLUG else CoreService.objects.get(slug=slug)


# Evidence for one statement in one month


@dataclass(frozen=True)
class BoundMeasure:
    binding: MeasureBinding
    measure: Measure | None
    value: float | None
    score: int | None
    cases: float | None = None  # what the value is from; None for a count
    too_few: bool = False  # a value from fewer cases than the minimum: shown, not scored

    @property
    def key(self) -> str:
        return self.binding.measure_key

    @property
    def title(self) -> str:
        return self.measure.title if self.measure else f"{self.key} (no longer registered)"

    @property
    def unit(self) -> str:
        return self.measure.unit if self.measure else ""

    @property
    def thresholds(self) -> tuple[float, float, float]:
        b = self.binding
        return b.score_2_from, b.score_3_from, b.score_4_from


@dataclass(frozen=True)
class StatementEvidence:
    period: Period  # the complete months the evidence is judged on
    measures: tuple[BoundMeasure, ...]

    @cached_property
    def score(self) -> Decimal | None:
        return evidence_score(measure.score for measure in self.measures)

    @property
    def is_bound(self) -> bool:
        return bool(self.measures)


# Loading


@dataclass
class FrameworkData:
    """Everything the framework's rules read, loaded once, up to a day."""

    until: dt.date
    statements: list[QualityStatement]
    services: list[CoreService]
    assessments: list[SelfAssessment]  # newest first
    bindings: list[MeasureBinding]
    measures: dict[str, Measure | None]
    # (measure key, month) -> the trust's value that month and the cases it is from
    values: dict[tuple[str, dt.date], tuple[float | None, float | None]]
    inspections: list[InspectionRating]  # newest first
    overrides: list[RatingOverride]  # newest first
    breaches: list[RegulatoryBreach]
    bands: Bands = field(default_factory=Bands.from_settings)
    _evidence: dict[Period, dict[int, StatementEvidence]] = field(default_factory=dict, repr=False)

    @cached_property
    def statements_by_question(self) -> dict[str, list[QualityStatement]]:
        grouped: dict[str, list[QualityStatement]] = defaultdict(list)
        for statement in self.statements:
            grouped[statement.key_question].append(statement)
        return grouped

    def assessments_on(self, day: dt.date) -> dict[tuple[int, int | None], SelfAssessment]:
        """The assessment in force on the day for each (statement, core service or None for the trust)."""
        in_force: dict[tuple[int, int | None], SelfAssessment] = {}
        for assessment in self.assessments:  # newest first, so the first seen is in force
            if assessment.assessed_on <= day:
                in_force.setdefault((assessment.quality_statement_id, assessment.core_service_id), assessment)
        return in_force

    def evidence_in(self, day: dt.date) -> dict[int, StatementEvidence]:
        """Each statement's evidence as it is judged on the day: over the complete months before it."""
        return self.evidence_for(evidence_window(day))

    def evidence_for(self, window: Period) -> dict[int, StatementEvidence]:
        """Each statement's evidence over a span of whole months."""
        if window not in self._evidence:
            self._evidence[window] = self._evidence_for(window)
        return self._evidence[window]

    def value_over(self, key: str, window: Period) -> WindowValue:
        return over_months(self.values.get((key, month.start), (None, None)) for month in months_in(window))

    def _evidence_for(self, window: Period) -> dict[int, StatementEvidence]:
        minimum = settings.CANDOUR_EVIDENCE_MINIMUM_CASES
        found: dict[int, list[BoundMeasure]] = defaultdict(list)
        for binding in self.bindings:
            measure = self.measures.get(binding.measure_key)
            reading = self.value_over(binding.measure_key, window)
            too_few = reading.too_few(minimum)
            score = None
            if measure is not None and reading.value is not None and not too_few:
                thresholds = Thresholds(binding.score_2_from, binding.score_3_from, binding.score_4_from)
                with contextlib.suppress(ThresholdError):  # the measure's direction changed since binding
                    score = thresholds.score(reading.value, measure.direction)
            found[binding.quality_statement_id].append(
                BoundMeasure(binding, measure, reading.value, score, reading.cases, too_few)
            )
        return {
            statement.pk: StatementEvidence(window, tuple(found.get(statement.pk, ())))
            for statement in self.statements
        }

    def inspected_on(self, day: dt.date) -> dict[tuple[int | None, str], InspectionRating]:
        latest: dict[tuple[int | None, str], InspectionRating] = {}
        for rating in self.inspections:
            if rating.published_on <= day:
                latest.setdefault((rating.core_service_id, rating.key_question), rating)
        return latest

    def overrides_on(self, day: dt.date) -> dict[tuple[int | None, str], Override]:
        latest: dict[tuple[int | None, str], Override] = {}
        for override in self.overrides:
            if override.decided_on <= day:
                latest.setdefault(
                    (override.core_service_id, override.key_question),
                    Override(override.rating, override.reason),
                )
        return latest

    def breaches_on(self, day: dt.date) -> dict[tuple[int | None, str], list[RegulatoryBreach]]:
        open_: dict[tuple[int | None, str], list[RegulatoryBreach]] = defaultdict(list)
        for breach in self.breaches:
            if breach.found_on <= day and (breach.resolved_on is None or breach.resolved_on > day):
                open_[(breach.core_service_id, breach.key_question)].append(breach)
        return open_


def _measures_for(keys: Iterable[str]) -> dict[str, Measure | None]:
    found: dict[str, Measure | None] = {}
    for key in keys:
        try:
            found[key] = get(key)
        except UnknownMeasure:
            found[key] = None
    return found


def trust_unit() -> OrgUnit | None:
    return OrgUnit.objects.trust()


def load(*, until: dt.date, since: dt.date | None = None, unit: OrgUnit | None = None) -> FrameworkData:
    """Read the framework up to a day, with the trust's (or the unit's) snapshots of bound measures for the
    months from `since` (default: `until`) to the month of `until`, and the evidence months before `since`
    that judging it looks back on."""
    bindings = list(MeasureBinding.objects.order_by("quality_statement__display_order", "measure_key"))
    keys = sorted({binding.measure_key for binding in bindings})
    values: dict[tuple[str, dt.date], tuple[float | None, float | None]] = {}
    trust = unit or trust_unit()
    if keys and trust is not None:
        values = {
            (key, month): (value, cases)
            for key, month, value, cases in MeasureSnapshot.objects.filter(
                measure_key__in=keys,
                unit=trust,
                month__gte=add_months(month_of(since or until), -settings.CANDOUR_EVIDENCE_MONTHS),
                month__lte=month_of(until),
            ).values_list("measure_key", "month", "value", "denominator")
        }
    return FrameworkData(
        until=until,
        statements=list(QualityStatement.objects.all()),
        services=list(CoreService.objects.all()),
        assessments=list(
            SelfAssessment.objects.filter(assessed_on__lte=until)
            .select_related("assessed_by")
            .order_by("-assessed_on", "-created_at")
        ),
        bindings=bindings,
        measures=_measures_for(keys),
        values=values,
        inspections=list(
            InspectionRating.objects.filter(published_on__lte=until).order_by("-published_on", "-created_at")
        ),
        overrides=list(
            RatingOverride.objects.filter(decided_on__lte=until).order_by("-decided_on", "-created_at")
        ),
        breaches=list(RegulatoryBreach.objects.filter(found_on__lte=until)),
    )


# The ratings grid


@dataclass(frozen=True)
class Cell:
    """One slot of the grid: a core service's (or the trust's) key question, or its overall rating."""

    service: CoreService | None
    key_question: str  # "" is overall
    self_assessed: Outcome
    evidence_rating: Rating | None
    inspected: InspectionRating | None
    breaches: tuple[RegulatoryBreach, ...] = ()
    self_percentage: int | None = None
    evidence_percentage: int | None = None
    statements_scored: int = 0
    statements_total: int = 0
    statements_with_evidence: int = 0

    @property
    def label(self) -> str:
        return KeyQuestion(self.key_question).label if self.key_question else "Overall"

    @property
    def is_trust_own(self) -> bool:
        """Scored from statements in this slot (every service key question, and the trust's well-led)."""
        return self.service is not None or self.key_question == KeyQuestion.WELL_LED


@dataclass(frozen=True)
class GridRow:
    service: CoreService | None
    cells: tuple[Cell, ...]
    overall: Cell

    @property
    def label(self) -> str:
        return service_label(self.service)

    @property
    def slug(self) -> str:
        return service_slug(self.service)


@dataclass(frozen=True)
class RatingsGrid:
    on: dt.date
    evidence: Period  # the complete months the evidence-based ratings are judged on
    key_questions: tuple[tuple[str, str], ...]
    services: tuple[GridRow, ...]
    trust: GridRow

    @property
    def rows(self) -> tuple[GridRow, ...]:
        return (*self.services, self.trust)

    @property
    def overrides(self) -> list[Cell]:
        return [
            cell for row in self.rows for cell in (*row.cells, row.overall) if cell.self_assessed.overridden
        ]

    @property
    def open_breaches(self) -> list[RegulatoryBreach]:
        seen: dict[int, RegulatoryBreach] = {}
        for row in self.rows:
            for cell in row.cells:
                for breach in cell.breaches:
                    seen.setdefault(breach.pk, breach)
        return sorted(seen.values(), key=lambda breach: breach.found_on)

    def cell(self, service: CoreService | None, key_question: str) -> Cell:
        row = next(row for row in self.rows if service_key(row.service) == service_key(service))
        if not key_question:
            return row.overall
        return next(cell for cell in row.cells if cell.key_question == key_question)


def _scored_cell(
    data: FrameworkData,
    service: CoreService | None,
    key_question: str,
    *,
    assessments: dict[tuple[int, int | None], SelfAssessment],
    evidence: dict[int, StatementEvidence],
    inspected: dict,
    overrides: dict,
    breaches: dict,
) -> Cell:
    """A slot rated from its statements: a core service's key question, or the trust's own well-led."""
    statements = data.statements_by_question[key_question]
    slot = (service_key(service), key_question)
    in_force = [assessments.get((s.id, slot[0])) for s in statements]
    scores = [assessment.score for assessment in in_force if assessment is not None]
    evidence_scores = [evidence[s.id].score for s in statements if evidence[s.id].score is not None]
    open_breaches = tuple(breaches.get(slot, ()))
    self_percentage = aggregation.key_question_percentage(scores)
    evidence_percentage = aggregation.key_question_percentage(evidence_scores)
    default = aggregation.rating_for_percentage(self_percentage, data.bands)
    capped = aggregation.cap_for_breach(default, breached=bool(open_breaches))
    return Cell(
        service=service,
        key_question=key_question,
        self_assessed=aggregation.apply_override(
            capped, overrides.get(slot), capped_by_breach=capped != default
        ),
        evidence_rating=aggregation.cap_for_breach(
            aggregation.rating_for_percentage(evidence_percentage, data.bands), breached=bool(open_breaches)
        ),
        inspected=inspected.get(slot),
        breaches=open_breaches,
        self_percentage=self_percentage,
        evidence_percentage=evidence_percentage,
        statements_scored=len(scores),
        statements_total=len(statements),
        statements_with_evidence=len(evidence_scores),
    )


def _combined_cell(
    service: CoreService | None,
    key_question: str,
    parts: list[Cell],
    *,
    inspected: dict,
    overrides: dict,
    breaches: dict,
) -> Cell:
    """A slot rated from others by the principles: a service overall, a trust key question, trust overall."""
    slot = (service_key(service), key_question)
    if key_question:
        open_breaches = tuple(breaches.get(slot, ()))
    else:
        # Overall: a breach open in any of the slot's own key questions caps it.
        open_breaches = tuple(b for part in parts if part.service == service for b in part.breaches)
    default = aggregation.combine(part.self_assessed.rating for part in parts)
    capped = aggregation.cap_for_breach(default, breached=bool(open_breaches))
    evidence = aggregation.cap_for_breach(
        aggregation.combine(part.evidence_rating for part in parts), breached=bool(open_breaches)
    )
    return Cell(
        service=service,
        key_question=key_question,
        self_assessed=aggregation.apply_override(
            capped, overrides.get(slot), capped_by_breach=capped != default
        ),
        evidence_rating=evidence,
        inspected=inspected.get(slot),
        breaches=open_breaches if key_question else (),
    )


def grid_on(data: FrameworkData, day: dt.date, window: Period | None = None) -> RatingsGrid:
    """The whole grid as it stood on a day (the day must not be after `data.until`), its evidence judged on
    `window` (by default the complete months before the day)."""
    window = window or evidence_window(day)
    context = {
        "inspected": data.inspected_on(day),
        "overrides": data.overrides_on(day),
        "breaches": data.breaches_on(day),
    }
    assessments = data.assessments_on(day)
    evidence = data.evidence_for(window)
    rows = []
    for service in data.services:
        cells = tuple(
            _scored_cell(data, service, kq, assessments=assessments, evidence=evidence, **context)
            for kq in KeyQuestion.values
        )
        rows.append(GridRow(service, cells, _combined_cell(service, "", list(cells), **context)))
    trust_cells = []
    for kq in KeyQuestion.values:
        if kq == KeyQuestion.WELL_LED:
            trust_cells.append(
                _scored_cell(data, None, kq, assessments=assessments, evidence=evidence, **context)
            )
        else:
            parts = [row.cells[KeyQuestion.values.index(kq)] for row in rows]
            trust_cells.append(_combined_cell(None, kq, parts, **context))
    trust = GridRow(None, tuple(trust_cells), _combined_cell(None, "", trust_cells, **context))
    return RatingsGrid(
        on=day,
        evidence=window,
        key_questions=tuple(KeyQuestion.choices),
        services=tuple(rows),
        trust=trust,
    )


def ratings_grid(*, on: dt.date, window: Period | None = None) -> RatingsGrid:
    """Every core service x key question, each core service, and the trust, as they stood on a day, the
    evidence judged on `window` (by default the complete months before the day)."""
    window = window or evidence_window(on)
    return grid_on(load(until=on, since=window.start), on, window)


def breaches() -> list[RegulatoryBreach]:
    """Every regulatory breach recorded, the open ones first, newest found first."""
    return list(RegulatoryBreach.objects.select_related("core_service").order_by("resolved_on", "-found_on"))


def open_breaches() -> list[RegulatoryBreach]:
    """The breaches not yet resolved: each caps its key question's rating."""
    return [breach for breach in breaches() if breach.resolved_on is None]


# A key question's statements, and one statement


@dataclass(frozen=True)
class StatementRow:
    statement: QualityStatement
    service: CoreService | None
    assessment: SelfAssessment | None
    evidence: StatementEvidence
    links: tuple[EvidenceLink, ...] = ()

    @property
    def self_score(self) -> int | None:
        return self.assessment.score if self.assessment else None

    @property
    def evidence_score(self) -> Decimal | None:
        return self.evidence.score

    @property
    def gap(self) -> Decimal | None:
        return gap(self.self_score, self.evidence_score)

    @property
    def flagged(self) -> bool:
        return is_flagged(self.gap, settings.CANDOUR_CANDOUR_GAP_FLAG_POINTS)


def _links_for(assessments: Iterable[SelfAssessment]) -> dict[int, tuple[EvidenceLink, ...]]:
    grouped: dict[int, list[EvidenceLink]] = defaultdict(list)
    for link in EvidenceLink.objects.filter(assessment__in=[a.pk for a in assessments]).order_by("pk"):
        grouped[link.assessment_id].append(link)
    return {key: tuple(links) for key, links in grouped.items()}


def _statement_rows(
    data: FrameworkData,
    day: dt.date,
    statements: list[QualityStatement],
    services: list[CoreService | None],
    window: Period,
) -> list[StatementRow]:
    assessments = data.assessments_on(day)
    evidence = data.evidence_for(window)
    chosen = [
        (statement, service, assessments.get((statement.pk, service_key(service))))
        for statement in statements
        for service in services
    ]
    links = _links_for(a for _, _, a in chosen if a)
    return [
        StatementRow(
            statement,
            service,
            assessment,
            evidence[statement.pk],
            links.get(assessment.pk, ()) if assessment else (),
        )
        for statement, service, assessment in chosen
    ]


@dataclass(frozen=True)
class KeyQuestionPage:
    service: CoreService | None
    key_question: str
    cell: Cell
    statements: list[StatementRow]
    evidence: Period  # the complete months the evidence is judged on

    @property
    def label(self) -> str:
        return KeyQuestion(self.key_question).label


def key_question_page(service: CoreService | None, key_question: str, *, on: dt.date) -> KeyQuestionPage:
    """A core service's key question (or the trust's well-led): its ratings and each statement."""
    data = load(until=on)
    statements = data.statements_by_question[key_question]
    window = evidence_window(on)
    return KeyQuestionPage(
        service=service,
        key_question=key_question,
        cell=grid_on(data, on, window).cell(service, key_question),
        statements=_statement_rows(data, on, statements, [service], window),
        evidence=window,
    )


@dataclass(frozen=True)
class TrendMonth:
    period: Period
    self_score: int | None
    evidence_score: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        return gap(self.self_score, self.evidence_score)

    @property
    def flagged(self) -> bool:
        return is_flagged(self.gap, settings.CANDOUR_CANDOUR_GAP_FLAG_POINTS)


@dataclass(frozen=True)
class StatementPage:
    row: StatementRow
    history: list[SelfAssessment]
    trend: list[TrendMonth]  # newest first

    @property
    def statement(self) -> QualityStatement:
        return self.row.statement

    @property
    def months_flagged(self) -> int:
        return sum(month.flagged for month in self.trend)


def statement_page(statement: QualityStatement, service: CoreService | None, *, on: dt.date) -> StatementPage:
    """A statement for a core service (or the trust): the assessment in force, its evidence and gap, every
    earlier assessment, and complete month by complete month the score in force at the month's end against
    the evidence judged at that month's end (the month under way is judged once it is over)."""
    periods = complete_months(on, settings.CANDOUR_CHART_MONTHS)
    data = load(until=on, since=periods[0].start)
    (row,) = _statement_rows(data, on, [statement], [service], evidence_window(on))
    slot = (statement.pk, service_key(service))
    history = [a for a in data.assessments if (a.quality_statement_id, a.core_service_id) == slot]
    trend = []
    for period in reversed(periods):
        assessment = data.assessments_on(period.last_day).get(slot)
        evidence = data.evidence_for(window_ending(period))[statement.pk].score
        trend.append(TrendMonth(period, assessment.score if assessment else None, evidence))
    return StatementPage(row=row, history=history, trend=trend)


# The CQC evidence pack


@dataclass(frozen=True)
class StatementEvidencePack:
    statement: QualityStatement
    evidence: StatementEvidence
    assessments: list[StatementRow]  # one per core service (and the trust for well-led), assessed or not


@dataclass(frozen=True)
class KeyQuestionEvidence:
    key_question: str
    on: dt.date
    evidence: Period  # the complete months the evidence is judged on
    ratings: list[Cell]  # each core service's, then the trust's
    statements: list[StatementEvidencePack]

    @property
    def label(self) -> str:
        return KeyQuestion(self.key_question).label


def key_question_evidence(
    key_question: str, *, on: dt.date, window: Period | None = None
) -> KeyQuestionEvidence:
    """Everything the trust holds on one key question on a day, for the CQC evidence pack: the ratings of
    each core service and the trust, and per statement the bound measures with their values and scores, and
    each service's narrative, evidence links and gap."""
    key_question = KeyQuestion(key_question).value
    window = window or evidence_window(on)
    data = load(until=on, since=window.start)
    grid = grid_on(data, on, window)
    services: list[CoreService | None] = list(data.services)
    if key_question == KeyQuestion.WELL_LED:
        services.append(None)
    statements = data.statements_by_question[key_question]
    rows = _statement_rows(data, on, statements, services, window)
    return KeyQuestionEvidence(
        key_question=key_question,
        on=on,
        evidence=window,
        ratings=[grid.cell(row.service, key_question) for row in grid.rows],
        statements=[
            StatementEvidencePack(
                statement,
                next(row.evidence for row in rows if row.statement == statement),
                [row for row in rows if row.statement == statement],
            )
            for statement in statements
        ],
    )


# Ratings over time


@dataclass(frozen=True)
class HistoryRow:
    day: dt.date
    events: tuple[str, ...]
    cell: Cell
    evidence: Period  # the complete months before the day that its evidence-based rating is judged on


@dataclass(frozen=True)
class HistoryTable:
    key_question: str
    rows: list[HistoryRow]

    @property
    def label(self) -> str:
        return KeyQuestion(self.key_question).label if self.key_question else "Overall"


def rating_history(service: CoreService | None, *, on: dt.date) -> list[HistoryTable]:
    """Self-assessed, evidence-based and inspected ratings of a core service (or the trust) side by side,
    per key question and overall, at each date something changed: a self-assessment in that key question,
    a published inspection rating, an override or a breach. Newest first."""
    earliest = min(
        [a.assessed_on for a in SelfAssessment.objects.order_by("assessed_on")[:1]]
        + [r.published_on for r in InspectionRating.objects.order_by("published_on")[:1]]
        + [on]
    )
    data = load(until=on, since=earliest)
    by_statement = {s.pk: s.key_question for s in data.statements}
    events: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    relevant = {service_key(service)} if service else {None, *(s.pk for s in data.services)}
    for assessment in data.assessments:
        if assessment.core_service_id in relevant:
            kq = by_statement[assessment.quality_statement_id]
            events[(assessment.assessed_on, kq)].add("Self-assessment")
            events[(assessment.assessed_on, "")].add("Self-assessment")
    for rating in data.inspections:
        if rating.core_service_id == service_key(service):
            what = (
                f"CQC report {rating.report_reference}".strip() if rating.report_reference else "CQC report"
            )
            events[(rating.published_on, rating.key_question)].add(what)
    for override in data.overrides:
        if override.core_service_id == service_key(service):
            events[(override.decided_on, override.key_question)].add("Rating override")
    for breach in data.breaches:
        if breach.core_service_id == service_key(service):
            events[(breach.found_on, breach.key_question)].add("Breach found")
            events[(breach.found_on, "")].add("Breach found")
            if breach.resolved_on and breach.resolved_on <= on:
                events[(breach.resolved_on, breach.key_question)].add("Breach resolved")
                events[(breach.resolved_on, "")].add("Breach resolved")
    days = sorted({day for day, _ in events}, reverse=True)
    grids = {day: grid_on(data, day) for day in days}
    tables = []
    for kq in [*KeyQuestion.values, ""]:
        rows = [
            HistoryRow(
                day, tuple(sorted(events[(day, kq)])), grids[day].cell(service, kq), grids[day].evidence
            )
            for day in days
            if events.get((day, kq))
        ]
        tables.append(HistoryTable(kq, rows))
    return tables
