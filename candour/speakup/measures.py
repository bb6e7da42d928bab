"""Measures the speak-up app publishes (DESIGN.md "Measures"), each for an organisation unit and a period.

A unit's concerns are those at its stations; the trust's also include concerns that name no station.
Shares are percentages, and have no value when there is nothing to divide by.
"""

from __future__ import annotations

import statistics

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.people.measures import headcount, stations_under
from candour.people.models import OrgUnit
from candour.speakup.models import Concern, Identity, Kind, SpeakUpAgain, Task, Threshold


def concerns_at(unit: OrgUnit) -> QuerySet[Concern]:
    where = Q(station_id__in=stations_under(unit))
    if unit.kind == OrgUnit.Kind.TRUST:
        where |= Q(station__isnull=True)
    return Concern.objects.filter(where)


def _received(unit: OrgUnit, period: Period) -> QuerySet[Concern]:
    return concerns_at(unit).filter(received_on__gte=period.start, received_on__lt=period.end)


def _share(numerator: int, denominator: int) -> MeasureValue:
    return MeasureValue(100 * numerator / denominator if denominator else None, numerator, denominator)


# (title, improvement direction, why that direction) for each kind's rate.
KIND_RATES = {
    Kind.LOW_LEVEL: (
        "Low-level concerns",
        Direction.HIGHER_IS_BETTER,
        "Higher is better: low-level concerns raised early are how patterns are found before harm, and "
        "inspectors found them going unraised.",
    ),
    Kind.EXPERIENCED: (
        "Concerns about behaviour experienced or witnessed",
        Direction.NEITHER,
        "A rise may mean more is happening or more people feel safe to say so; read it beside the staff "
        "survey.",
    ),
    Kind.PATIENT_SAFEGUARDING: (
        "Patient safeguarding referrals",
        Direction.NEITHER,
        "Referrals follow the patients crews meet; neither more nor fewer is better in itself.",
    ),
    Kind.PATIENT_SAFETY: (
        "Patient safety or quality concerns",
        Direction.NEITHER,
        "A rise may mean more risk or more willingness to speak up; read it beside incidents.",
    ),
    Kind.WORKER_WELLBEING: (
        "Worker safety or wellbeing concerns",
        Direction.NEITHER,
        "A rise may mean more risk or more willingness to speak up; read it beside sickness absence.",
    ),
    Kind.PREVENT: (
        "Prevent concerns",
        Direction.NEITHER,
        "Prevent concerns are rare and follow events; neither more nor fewer is better in itself.",
    ),
}


def _register_rate(kind: str, title: str, direction: Direction, why: str) -> None:
    def compute(unit: OrgUnit, period: Period) -> MeasureValue:
        concerns = _received(unit, period).filter(kind=kind).count()
        staff = headcount(unit, period).value
        return MeasureValue(100 * concerns / staff if staff else None, concerns, staff)

    register(
        key=f"speakup.{kind}_concerns_per_100_staff",
        title=f"{title} per 100 staff",
        unit="per 100 staff",
        direction=direction,
        description=f"{title} received in the period at the unit, per 100 people employed there on the "
        f"period's last day (as people.headcount counts them). {why}",
    )(compute)


for kind, (title, direction, why) in KIND_RATES.items():
    _register_rate(kind.value, title, direction, why)


@register(
    key="speakup.low_level_share",
    title="Concerns judged low level",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the concerns received in the period and triaged, the percentage judged low level (below "
    "the harm threshold). Higher is better: concerns are being raised before they reach harm.",
)
def low_level_share(unit: OrgUnit, period: Period) -> MeasureValue:
    triaged = _received(unit, period).exclude(threshold="")
    return _share(triaged.filter(threshold=Threshold.LOW_LEVEL).count(), triaged.count())


@register(
    key="speakup.anonymous_share",
    title="Concerns raised anonymously",
    unit="%",
    direction=Direction.LOWER_IS_BETTER,
    description="The percentage of concerns received in the period that were raised anonymously. Lower is "
    "better: people who trust that they will not suffer for speaking up give their name (2022/23 national "
    "share: 9.3%).",
)
def anonymous_share(unit: OrgUnit, period: Period) -> MeasureValue:
    received = _received(unit, period)
    return _share(received.filter(identity=Identity.ANONYMOUS).count(), received.count())


@register(
    key="speakup.apprentice_concerns",
    title="Concerns raised by apprentices",
    unit="concerns",
    direction=Direction.NEITHER,
    description="Concerns received in the period from people who said they were apprentices (named reporters "
    "from their staff record, anonymous ones as they told us). Read beside the apprentice headcount.",
)
def apprentice_concerns(unit: OrgUnit, period: Period) -> MeasureValue:
    count = _received(unit, period).filter(reporter_is_apprentice=True).count()
    return MeasureValue(count, numerator=count)


@register(
    key="speakup.median_days_to_triage",
    title="Median days to triage",
    unit="days",
    direction=Direction.LOWER_IS_BETTER,
    description="For concerns triaged in the period, the median number of calendar days from receipt to "
    "triage. The denominator is the number of concerns triaged.",
)
def median_days_to_triage(unit: OrgUnit, period: Period) -> MeasureValue:
    pairs = concerns_at(unit).filter(triaged_on__gte=period.start, triaged_on__lt=period.end)
    days = [(triaged - received).days for received, triaged in pairs.values_list("received_on", "triaged_on")]
    return MeasureValue(statistics.median(days) if days else None, None, len(days))


@register(
    key="speakup.open_overdue_share",
    title="Open cases overdue",
    unit="%",
    direction=Direction.LOWER_IS_BETTER,
    description="Of the cases open at the end of the period (or today, if it has not ended), the percentage "
    "with triage past its due date or a case task past its due date and not done.",
)
def open_overdue_share(unit: OrgUnit, period: Period) -> MeasureValue:
    day = min(period.last_day, timezone.localdate())
    open_then = concerns_at(unit).filter(received_on__lte=day).exclude(closed_on__lte=day)
    triage_late = Q(triage_due_on__lt=day) & (Q(triaged_on__isnull=True) | Q(triaged_on__gt=day))
    task_late = Exists(Task.objects.filter(concern=OuterRef("pk"), due_on__lt=day).exclude(done_on__lte=day))
    return _share(open_then.filter(triage_late | task_late).count(), open_then.count())


@register(
    key="speakup.closed_with_feedback_share",
    title="Closed cases with feedback given",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the cases closed in the period, the percentage where the person who raised it was told "
    "the outcome.",
)
def closed_with_feedback_share(unit: OrgUnit, period: Period) -> MeasureValue:
    closed = concerns_at(unit).filter(closed_on__gte=period.start, closed_on__lt=period.end)
    return _share(closed.filter(feedback_given_on__isnull=False).count(), closed.count())


@register(
    key="speakup.would_speak_up_again_share",
    title="Would speak up again",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description='Of the people given feedback in the period who answered "Given your experience, would you '
    'speak up again?", the percentage who said yes.',
)
def would_speak_up_again_share(unit: OrgUnit, period: Period) -> MeasureValue:
    answered = (
        concerns_at(unit)
        .filter(feedback_given_on__gte=period.start, feedback_given_on__lt=period.end)
        .exclude(speak_up_again="")
    )
    return _share(answered.filter(speak_up_again=SpeakUpAgain.YES).count(), answered.count())
