"""Learning measures: apprenticeships, each for an organisation unit and a period. A unit's apprentices are
those placed at its stations. Shares are percentages, with no value when there is nothing to divide by."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.learning.models import Apprenticeship, ProgressReview
from candour.learning.queries.apprenticeships import planned_off_the_job_hours, with_progress
from candour.people.measures import stations_under
from candour.people.models import OrgUnit

Status = Apprenticeship.Status
Answer = ProgressReview.Answer


def _share(numerator: int, denominator: int) -> MeasureValue:
    return MeasureValue(100 * numerator / denominator if denominator else None, numerator, denominator)


def _reviews_at(unit: OrgUnit) -> QuerySet[ProgressReview]:
    return ProgressReview.objects.filter(apprenticeship__station_id__in=stations_under(unit))


@register(
    key="learning.reviews_on_time",
    title="Apprentice progress reviews on time",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Progress reviews due in the period that were held by their due date, as a percentage of "
    "those due (a review not yet held counts once its due date has passed).",
)
def reviews_on_time(unit: OrgUnit, period: Period) -> MeasureValue:
    today = timezone.localdate()
    due = _reviews_at(unit).filter(due_on__gte=period.start, due_on__lt=period.end)
    # A review still ahead of its due date can yet be on time, so it is not counted either way.
    counted = due.filter(Q(held_on__isnull=False) | Q(due_on__lt=today))
    on_time = counted.filter(held_on__lte=F("due_on")).count()
    return _share(on_time, counted.count())


@register(
    key="learning.off_the_job_on_track",
    title="Apprentices on track with off-the-job training",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Apprentices in learning at the end of the period whose logged off-the-job hours meet the "
    "6 hours a week rule (pro rata below 30 contracted hours), as a percentage of those in learning.",
)
def off_the_job_on_track(unit: OrgUnit, period: Period) -> MeasureValue:
    on = period.last_day
    # Status is today's; one that moved provider after the period still counts as in learning then.
    in_learning = Apprenticeship.objects.filter(
        Q(status=Status.IN_LEARNING) | Q(status=Status.TRANSFERRED, transferred_on__gt=on),
        station_id__in=stations_under(unit),
        start_date__lte=on,
        planned_end_date__gt=on,
    )
    rows = with_progress(in_learning, on).values(
        "start_date", "planned_end_date", "contracted_hours_per_week", "logged"
    )
    total = on_track = 0
    for row in rows:
        total += 1
        planned = planned_off_the_job_hours(
            start=row["start_date"],
            planned_end=row["planned_end_date"],
            contracted_hours_per_week=row["contracted_hours_per_week"],
            on=on,
        )
        on_track += row["logged"] >= planned
    return _share(on_track, total)


@register(
    key="learning.apprentices_feel_safe",
    title="Apprentices who say they feel safe",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Progress reviews held in the period in which the apprentice answered yes to 'Do you feel "
    "safe at work and on placement?', as a percentage of reviews with an answer. Not shown for fewer "
    "than 5 answers, so that no apprentice's answer can be worked out.",
)
def apprentices_feel_safe(unit: OrgUnit, period: Period) -> MeasureValue:
    answered = (
        _reviews_at(unit).filter(held_on__gte=period.start, held_on__lt=period.end).exclude(feels_safe="")
    )
    total = answered.count()
    if total < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None)
    return _share(answered.filter(feels_safe=Answer.YES).count(), total)
