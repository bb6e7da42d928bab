"""Staff voice measures: one per question series (a measure key of yes/no and agreement questions), the
percentage of answers that were favourable (yes; agree or strongly agree), by the month answers were given.

Answers are kept by area, never by station, so a station has no value. Small numbers are suppressed in the
measure itself: a unit and period with fewer than CANDOUR_SMALL_NUMBER_THRESHOLD answers has no value, and
an area's value, or the trust's, is withheld too when it and the others would let a small area's be worked
out (`core.suppression`, ADR 0019).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from django.db.models import Count, Max, Q

from candour.core.measures import Direction, Measure, MeasureValue, Period, register_source
from candour.core.suppression import suppress, threshold
from candour.people.models import OrgUnit
from candour.voice.models import Agreement, Answer, Question, QuestionKind, YesNo

CHOICE_KINDS = (QuestionKind.YES_NO, QuestionKind.AGREEMENT)
FAVOURABLE = Q(question__kind=QuestionKind.YES_NO, choice=YesNo.YES) | Q(
    question__kind=QuestionKind.AGREEMENT, choice__gte=Agreement.AGREE
)


def share(favourable: int, answered: int) -> float | None:
    return 100 * favourable / answered if answered else None


def _trust_of(unit: OrgUnit) -> int | None:
    return unit.pk if unit.kind == OrgUnit.Kind.TRUST else unit.parent_id


def counts_by_area(key: str, trust_id: int, start: dt.date, end: dt.date) -> dict[dt.date, dict]:
    """For each month in [start, end): answers and favourable answers by area (None: trust-wide roles), over
    every pulse of the trust that asked the question. One query."""
    rows = (
        Answer.objects.filter(question__measure_key=key, response__month__gte=start, response__month__lt=end)
        .filter(Q(response__pulse__unit_id=trust_id) | Q(response__pulse__unit__parent_id=trust_id))
        .values_list("response__month", "response__area_id")
        .annotate(answered=Count("pk"), favourable=Count("pk", filter=FAVOURABLE))
    )
    months: dict[dt.date, dict] = defaultdict(dict)
    for month, area_id, answered, favourable in rows:
        months[month][area_id] = (answered, favourable)
    return months


SMALL, PROTECTING = "small", "protecting"
# The key of the trust's count beside its areas' (area keys are their ids, and None for trust-wide roles).
TRUST = "trust"


def withheld(answered: dict) -> frozenset:
    """Which areas' counts of answers, and whether the trust's (`TRUST`), their total, must not be shown."""
    return suppress({**answered, TRUST: sum(answered.values())}, [(TRUST, list(answered))])


def _value(unit: OrgUnit, by_area: dict, areas: list[int]) -> tuple[MeasureValue, str]:
    """The unit's value and, when it is withheld, why: too few answers (SMALL), or to stop a smaller
    group's being worked out from it (PROTECTING). No answers at all is a count of none, not withheld."""
    answered = {area: by_area.get(area, (0, 0))[0] for area in {*areas, *by_area}}
    if unit.kind == OrgUnit.Kind.TRUST:
        count = sum(answered.values())
        favourable = sum(good for _, good in by_area.values())
    else:
        count, favourable = by_area.get(unit.pk, (0, 0))
    if not count:
        return MeasureValue(None, 0, 0), ""
    if count < threshold():
        return MeasureValue(None), SMALL
    if (TRUST if unit.kind == OrgUnit.Kind.TRUST else unit.pk) in withheld(answered):
        return MeasureValue(None), PROTECTING
    return MeasureValue(share(favourable, count), favourable, count), ""


def _areas_of(trust_id: int) -> list[int]:
    return list(
        OrgUnit.objects.filter(parent_id=trust_id, kind=OrgUnit.Kind.AREA).values_list("pk", flat=True)
    )


def series(key: str, unit: OrgUnit, periods: list[Period]) -> list[tuple[MeasureValue, str]]:
    """The measure for each month given (each a calendar month), with why a value is withheld (see
    `_value`), in two queries."""
    if unit.kind == OrgUnit.Kind.STATION or not periods:
        return [(MeasureValue(None), "") for _ in periods]
    trust_id = _trust_of(unit)
    months = counts_by_area(key, trust_id, periods[0].start, periods[-1].end)
    areas = _areas_of(trust_id)
    return [_value(unit, months.get(period.start, {}), areas) for period in periods]


def compute(key: str, unit: OrgUnit, period: Period) -> MeasureValue:
    """The share favourable among answers given in the period's months, at the unit."""
    if unit.kind == OrgUnit.Kind.STATION:
        return MeasureValue(None)
    trust_id = _trust_of(unit)
    by_area: dict = defaultdict(lambda: (0, 0))
    for month in counts_by_area(key, trust_id, period.start, period.end).values():
        for area, (answered, favourable) in month.items():
            by_area[area] = (by_area[area][0] + answered, by_area[area][1] + favourable)
    return _value(unit, dict(by_area), _areas_of(trust_id))[0]


@register_source
def question_measures() -> list[Measure]:
    """A measure per question series; its title is the question's words. One query."""
    rows = (
        Question.objects.filter(kind__in=CHOICE_KINDS)
        .exclude(measure_key="")
        .values("measure_key")
        .annotate(text=Max("text"), kind=Max("kind"))
        .order_by("measure_key")
    )
    return [
        Measure(
            key=row["measure_key"],
            title=row["text"],
            unit="%",
            direction=Direction.HIGHER_IS_BETTER,
            description=_description(row["text"], row["kind"]),
            compute=partial(compute, row["measure_key"]),
        )
        for row in rows
    ]


def _description(text: str, kind: str) -> str:
    favourable = "yes" if kind == QuestionKind.YES_NO else "agree or strongly agree"
    return (
        f"Staff voice: the percentage of people answering “{text}” in pulse surveys who said {favourable}, "
        "by the month they answered, in the unit's areas. Anonymous answers are kept by area, not station. "
        f"No value is shown for fewer than {threshold()} answers, or where it would reveal a smaller group's."
    )
