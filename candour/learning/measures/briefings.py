"""Learning measures: briefings. A unit's audience is the people at its stations when each briefing reached
them (the station copied onto the audience row), so later moves do not rewrite past figures. Each person's
deadline is their own: someone who joined the audience later has as long as everyone else had."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.learning.models import BriefingAudience
from candour.learning.queries.briefings import days_to_acknowledge, median_or_none
from candour.people.measures import stations_under
from candour.people.models import OrgUnit


def _midnight(day: dt.date) -> dt.datetime:
    """The start of a day in the trust's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@register(
    key="learning.briefing_acknowledged_share",
    title="Briefings acknowledged by their deadline",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="For people at the unit whose acknowledge-by date for a briefing fell in the period and has "
    "passed, the percentage who acknowledged it by that date. Higher is better: staff are updated with "
    "safeguarding knowledge in good time.",
)
def briefing_acknowledged_share(unit: OrgUnit, period: Period) -> MeasureValue:
    # A deadline still to come would give a share that rises later; it is counted once it has passed.
    last_deadline = min(period.end, timezone.localdate())
    counts = (
        BriefingAudience.objects.filter(
            station_id__in=stations_under(unit),
            due_on__gte=period.start,
            due_on__lt=last_deadline,
        )
        .annotate(acknowledged_on=TruncDate("acknowledged_at"))
        .aggregate(
            audience=Count("pk"),
            on_time=Count("pk", filter=Q(acknowledged_on__lte=F("due_on"))),
        )
    )
    audience, on_time = counts["audience"], counts["on_time"]
    return MeasureValue(100 * on_time / audience if audience else None, on_time, audience)


@register(
    key="learning.briefing_median_days_to_acknowledge",
    title="Median days to acknowledge a briefing",
    unit="days",
    direction=Direction.LOWER_IS_BETTER,
    description="For briefings acknowledged in the period by people at the unit, the median number of "
    "calendar days from the day it reached them to their acknowledgement. The denominator is the number of "
    "acknowledgements.",
)
def briefing_median_days_to_acknowledge(unit: OrgUnit, period: Period) -> MeasureValue:
    pairs = BriefingAudience.objects.filter(
        station_id__in=stations_under(unit),
        acknowledged_at__gte=_midnight(period.start),
        acknowledged_at__lt=_midnight(period.end),
    ).values_list("joined_on", "acknowledged_at")
    days = [days_to_acknowledge(joined_on, acknowledged_at) for joined_on, acknowledged_at in pairs]
    return MeasureValue(median_or_none(days), None, len(days))
