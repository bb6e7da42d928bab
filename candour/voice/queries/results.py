"""A pulse's results: counts by question, area and month, suppressed so that no small number can be read
or worked out (`core.suppression`), trends, and free text shown only where enough answered."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from candour.core.charts import spc_chart
from candour.core.measures import MeasureSeries, MeasureValue, Period, SeriesPoint
from candour.core.measures import get as get_measure
from candour.core.suppression import suppress, threshold, would_be_all_hidden
from candour.people.models import OrgUnit
from candour.voice import measures
from candour.voice.audience import area_ids_of, audience
from candour.voice.models import (
    Agreement,
    Answer,
    Pulse,
    Question,
    QuestionKind,
    Response,
    YesNo,
)
from candour.voice.queries.answering import questions_of

TRUST_WIDE_LABEL = "Roles held across the trust"


def _labels(kind: str) -> dict[int, str]:
    return dict(YesNo.choices if kind == QuestionKind.YES_NO else Agreement.choices)


@dataclass(frozen=True)
class Group:
    """A slice of the answers to a question: how many answered and what they said, or why it is withheld
    (`measures.SMALL`: too few; `measures.PROTECTING`: it would give a smaller group away)."""

    label: str
    responses: int | None
    favourable: float | None = None
    distribution: list[tuple[str, float]] = field(default_factory=list)
    response_rate: float | None = None
    withheld: str = ""


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: MeasureValue
    withheld: str


@dataclass(frozen=True)
class QuestionResults:
    question: Question
    overall: Group
    by_area: list[Group]
    by_month: list[Group]
    trend: list[TrendPoint]
    trend_unit: OrgUnit

    @property
    def chart(self):
        """The series as an SPC chart."""
        points = [
            SeriesPoint(p.period, p.value.value, p.value.numerator, p.value.denominator) for p in self.trend
        ]
        measure = get_measure(self.question.measure_key)
        return spc_chart(
            MeasureSeries(measure, tuple(points)), title=f"{measure.title}, {self.trend_unit.name}"
        )


@dataclass(frozen=True)
class FreeText:
    question: Question | None
    texts: list[str]
    withheld: str = ""


@dataclass(frozen=True)
class Results:
    pulse: Pulse
    area: OrgUnit | None
    area_choices: list[OrgUnit]
    restricted: bool
    summary: Group
    audience: int
    questions: list[QuestionResults]
    free_text: FreeText


def _months(pulse: Pulse, seen: set[dt.date]) -> list[dt.date]:
    last = min(pulse.closes_on, timezone.localdate())
    month, months = pulse.opens_on.replace(day=1), set(seen)
    while month <= last:
        months.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(months)


def _withheld(count: int) -> str:
    return measures.SMALL if count < threshold() else measures.PROTECTING


def _with_margins(counts: dict, rows: list, columns: list) -> tuple[dict, list]:
    """A rows x columns table of counts as ("cell", row, column), with its ("row", row) and ("column",
    column) totals and the grand total ("all",), and the sums a reader can check between them."""
    values: dict = {("cell", row, column): counts.get((row, column), 0) for row in rows for column in columns}
    for row in rows:
        values[("row", row)] = sum(values[("cell", row, column)] for column in columns)
    for column in columns:
        values[("column", column)] = sum(values[("cell", row, column)] for row in rows)
    values[("all",)] = sum(values[("row", row)] for row in rows)
    totals = [(("row", row), [("cell", row, column) for column in columns]) for row in rows]
    totals += [(("column", column), [("cell", row, column) for row in rows]) for column in columns]
    totals += [(("all",), [("row", row) for row in rows]), (("all",), [("column", c) for c in columns])]
    return values, totals


# The one row of a pulse's table when its months are put together.
ALL_MONTHS = "all months"


class _Table:
    """A pulse's responses by month and area with their totals, which of them must not be shown
    (`core.suppression`), and what each question's answers were in each cell. When a month would be all
    hidden, the months are put together (`by_month` is false): one row, the whole pulse, keeps the areas
    readable instead of hiding most of the table."""

    def __init__(self, pulse: Pulse, area_ids: list[int], area_units: dict[int, OrgUnit]):
        rows = Response.objects.filter(pulse=pulse).values_list("month", "area_id").annotate(n=Count("pk"))
        counts = {(month, area_id): n for month, area_id, n in rows}
        self.columns = sorted(
            {*area_ids, *(area_id for _, area_id in counts)},
            key=lambda pk: (pk is None, area_units[pk].name if pk in area_units else str(pk)),
        )
        self.months = _months(pulse, {month for month, _ in counts})
        self.by_month = not any(
            would_be_all_hidden(counts.get((month, column), 0) for column in self.columns)
            for month in self.months
        )
        if not self.by_month:
            together: dict = defaultdict(int)
            for (_, column), n in counts.items():
                together[(ALL_MONTHS, column)] += n
            counts = together
        self.counts, totals = _with_margins(
            counts, self.months if self.by_month else [ALL_MONTHS], self.columns
        )
        self.hidden = suppress(self.counts, totals)
        self.choices: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        answers = (
            Answer.objects.filter(response__pulse=pulse, question__kind__in=measures.CHOICE_KINDS)
            .values_list("question_id", "response__month", "response__area_id", "choice")
            .annotate(n=Count("pk"))
        )
        for question_id, month, area_id, choice, n in answers:
            self.choices[question_id][(month, area_id)][choice] += n

    def group(
        self, label: str, key: tuple, cells, question: Question | None = None, audience: int = 0
    ) -> Group:
        """The group whose count the grid keeps under `key`, made of `cells`."""
        count = self.counts.get(key, 0)
        if key in self.hidden:
            return Group(label, None, withheld=_withheld(count))
        rate = 100 * count / audience if audience else None
        if question is None or not count:
            return Group(label, count, response_rate=rate)
        said: dict[int, int] = defaultdict(int)
        for cell in cells:
            for choice, n in self.choices[question.pk].get(cell, {}).items():
                said[choice] += n
        answered = sum(said.values())
        if not answered:
            return Group(label, count, response_rate=rate)
        labels = _labels(question.kind)
        if question.kind == QuestionKind.YES_NO:
            good, order = said.get(YesNo.YES, 0), [YesNo.YES, YesNo.NO]
        else:
            good, order = (
                sum(n for choice, n in said.items() if choice >= Agreement.AGREE),
                sorted(labels)[::-1],
            )
        distribution = [(labels[choice], 100 * said.get(choice, 0) / answered) for choice in order]
        return Group(label, count, measures.share(good, answered), distribution, rate)

    def raw(self, key: tuple) -> int:
        return self.counts.get(key, 0)


def _trend(question: Question, unit: OrgUnit) -> list[TrendPoint]:
    """The question's series at the unit, month by month from the first pulse of the trust that asked it (at
    most the chart's span), suppressed as the measure is."""
    trust_id = unit.pk if unit.kind == OrgUnit.Kind.TRUST else unit.parent_id
    first = (
        Pulse.objects.filter(Q(unit_id=trust_id) | Q(unit__parent_id=trust_id))
        .filter(questions__measure_key=question.measure_key)
        .order_by("opens_on")
        .values_list("opens_on", flat=True)
        .first()
    )
    today = timezone.localdate()
    periods = Period.month(today.year, today.month).previous_months(settings.CANDOUR_CHART_MONTHS)
    periods = [period for period in periods if first and period.end > first]
    values = measures.series(question.measure_key, unit, periods)
    return [TrendPoint(period, value, why) for period, (value, why) in zip(periods, values, strict=True)]


def _free_text(pulse: Pulse, question: Question | None, area: OrgUnit | None, table: _Table) -> FreeText:
    """Comments, decrypted, in a random order and with nothing about where or when, for a group of at least
    the threshold; for one area, only when the other areas together are none or also at least that many,
    so that comparing with the whole pulse's cannot single out a small group's."""
    if question is None:
        return FreeText(None, [])
    everyone = table.raw(("all",))
    here = everyone if area is None else table.raw(("column", area.pk))
    key = ("all",) if area is None else ("column", area.pk)
    rest = everyone - here
    if key in table.hidden or here < threshold() or 0 < rest < threshold():
        where = "in this area, and in the other areas together" if area else "in total"
        return FreeText(
            question, [], f"Comments are shown only when {threshold()} or more people have answered {where}."
        )
    answers = Answer.objects.filter(response__pulse=pulse, question=question)
    if area is not None:
        answers = answers.filter(response__area=area)
    texts = [answer.text for answer in answers.only("text")]
    # A new order every time: neither the order they were written in nor their keys says anything.
    secrets.SystemRandom().shuffle(texts)
    return FreeText(question, texts)


def results(
    pulse: Pulse, *, area: OrgUnit | None = None, allowed_areas: list[OrgUnit] | None = None
) -> Results:
    """A pulse's results: per question, for all its areas or for one, by area and by month, with no group
    smaller than the threshold shown and none that subtraction could give back (`core.suppression`).
    `allowed_areas` limits a reader who may see some areas only to one of those at a time."""
    restricted = allowed_areas is not None
    if restricted and area not in allowed_areas:
        area = allowed_areas[0] if allowed_areas else None
    area_ids = area_ids_of(pulse)
    area_units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=area_ids)}
    table = _Table(pulse, area_ids, area_units)
    missing = {pk for pk in table.columns if pk is not None and pk not in area_units}
    area_units |= {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=missing)}
    months, columns = table.months, table.columns
    audience_by_area = _audience_by_area(pulse)

    def area_label(pk) -> str:
        return area_units[pk].name if pk is not None else TRUST_WIDE_LABEL

    if area is None and restricted:
        summary = Group("No areas", None, withheld=measures.SMALL)
    elif area is None:
        every = [(m, a) for m in months for a in columns]
        summary = table.group("All areas", ("all",), every, audience=sum(audience_by_area.values()))
    else:
        summary = table.group(area.name, ("column", area.pk), [], audience=audience_by_area.get(area.pk, 0))

    found = []
    for question in questions_of(pulse):
        if question.kind not in measures.CHOICE_KINDS:
            continue
        if area is None:
            overall = table.group("All areas", ("all",), [(m, a) for m in months for a in columns], question)
            by_area = [
                table.group(
                    area_label(a),
                    ("column", a),
                    [(m, a) for m in months],
                    question,
                    audience_by_area.get(a, 0),
                )
                for a in columns
            ]
            by_month = [
                table.group(f"{m:%B %Y}", ("row", m), [(m, a) for a in columns], question) for m in months
            ]
        else:
            cells = [(m, area.pk) for m in months]
            overall = table.group(area.name, ("column", area.pk), cells, question)
            by_area = []
            by_month = [
                table.group(f"{m:%B %Y}", ("cell", m, area.pk), [(m, area.pk)], question) for m in months
            ]
        if not table.by_month:
            by_month = []
        unit = area or pulse.unit
        found.append(QuestionResults(question, overall, by_area, by_month, _trend(question, unit), unit))

    free_question = next((q for q in questions_of(pulse) if q.kind == QuestionKind.FREE_TEXT), None)
    free_text = _free_text(pulse, free_question, area, table)
    if restricted and area is None:
        free_text = FreeText(free_question, [], "")
    choices = allowed_areas if restricted else [area_units[a] for a in columns if a is not None]
    return Results(
        pulse,
        area,
        choices,
        restricted,
        summary,
        sum(audience_by_area.values()) if area is None else audience_by_area.get(area.pk, 0),
        found,
        free_text,
    )


def _audience_by_area(pulse: Pulse) -> dict[int, int]:
    """The audience per area (`audience.audience`), in one query."""
    rows = audience(pulse).values("station__parent_id").annotate(n=Count("pk"))
    return {row["station__parent_id"]: row["n"] for row in rows}
