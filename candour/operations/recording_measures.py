"""Call recording measures (docs/adr/0035), for a unit and a month.

A call belongs to the station of the incident that lists it; a call no incident lists (a hoax, a caller who
rang off) is counted at trust level only. A call counts as recorded when the reconciliation matched it to a
recording, or when its exception was closed because the recording was found after all (in the archive, or
nothing was wrong). A call whose exception was closed as a test call or a duplicate is not a 999 call and is
left out. A month with fewer calls than the small-number threshold has no share (ADR 0026).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.operations.models import CadCall, RecordingException
from candour.operations.services.recordings import NOT_A_CALL, RECORDED_AFTER_ALL
from candour.people.measures import stations_under
from candour.people.models import OrgUnit


def _in_unit(unit: OrgUnit) -> Q:
    within = Q(station_id__in=stations_under(unit))
    return within | Q(station__isnull=True) if unit.kind == OrgUnit.Kind.TRUST else within


def _closed_as(reasons) -> Exists:
    return Exists(RecordingException.objects.filter(call=OuterRef("pk"), close_reason__in=reasons))


def _calls_between(unit: OrgUnit, start: dt.date, end: dt.date):
    """The unit's calls connected in the months from `start` to before `end`, but test calls and
    duplicates, each marked with whether it was found recorded when its exception was worked."""
    return (
        CadCall.objects.filter(_in_unit(unit), month__gte=start, month__lt=end)
        .exclude(_closed_as(NOT_A_CALL))
        .annotate(found_later=_closed_as(RECORDED_AFTER_ALL))
    )


_COUNTS = {
    "total": Count("pk"),
    "recorded": Count("pk", filter=Q(recording__isnull=False) | Q(found_later=True)),
}


def _calls(unit: OrgUnit, period: Period) -> tuple[int, int]:
    """(calls, of which recorded) connected in the period in the unit."""
    counts = _calls_between(unit, period.start, period.end).aggregate(**_COUNTS)
    return counts["total"], counts["recorded"]


def _calls_by_month(unit: OrgUnit, periods) -> dict[dt.date, tuple[int, int]]:
    """What `_calls` gives for each month (by its first day), in one grouped query."""
    start, end = min(period.start for period in periods), max(period.end for period in periods)
    rows = _calls_between(unit, start, end).values("month").annotate(**_COUNTS)
    counted = {row["month"]: (row["total"], row["recorded"]) for row in rows}
    return {period.start: counted.get(period.start, (0, 0)) for period in periods}


def _share(total: int, recorded: int) -> MeasureValue:
    if total < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None, recorded, total)
    return MeasureValue(round(100 * recorded / total, 1), recorded, total)


def _unrecorded(total: int, recorded: int) -> MeasureValue:
    return MeasureValue(total - recorded, total - recorded, total)


def _span_of(value):
    def span(unit: OrgUnit, periods) -> dict:
        return {month: value(*counts) for month, counts in _calls_by_month(unit, periods).items()}

    return span


@register(
    key="operations.calls_recorded_percent",
    title="999 calls verified as recorded",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Calls in the CAD's call log that connected in the period, at the unit's stations (by the "
    "incident that lists each call; calls no incident lists count at trust level), matched to a recording or "
    "found recorded when their exception was worked, as a percentage of all calls but test calls and "
    "duplicates. Fewer calls than the small-number threshold give no value. Every call should be recorded.",
    span=_span_of(_share),
)
def calls_recorded_percent(unit: OrgUnit, period: Period) -> MeasureValue:
    return _share(*_calls(unit, period))


@register(
    key="operations.unrecorded_calls",
    title="999 calls with no recording",
    unit="calls",
    direction=Direction.LOWER_IS_BETTER,
    description="Calls that connected in the period at the unit's stations with no recording matched and "
    "none found when their exception was worked (test calls and duplicates left out).",
    span=_span_of(_unrecorded),
)
def unrecorded_calls(unit: OrgUnit, period: Period) -> MeasureValue:
    return _unrecorded(*_calls(unit, period))


def _old_exceptions_by_month(unit: OrgUnit, periods) -> dict[dt.date, MeasureValue]:
    """What `old_recording_exceptions` gives for each month, from one query of the exceptions that could
    count in any of them."""
    ends = {period.start: _judged_at(period) for period in periods}
    first_end = min(end for end, _ in ends.values())
    latest_old_before = max(old_before for _, old_before in ends.values())
    spans = list(
        RecordingException.objects.filter(_in_unit(unit), raised_at__lt=latest_old_before)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first_end))
        .values_list("raised_at", "closed_at")
    )
    values = {}
    for month, (end, old_before) in ends.items():
        count = sum(
            1 for raised, closed in spans if raised < old_before and (closed is None or closed >= end)
        )
        values[month] = MeasureValue(count, count, None)
    return values


def _judged_at(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """(the end of the period, the moment before which an exception still open then is over the limit)."""
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=dt.UTC)
    return end, end - dt.timedelta(days=settings.CANDOUR_RECORDING_EXCEPTION_OLD_DAYS)


@register(
    key="operations.old_recording_exceptions",
    title="Call recording exceptions open over the limit",
    unit="exceptions",
    direction=Direction.LOWER_IS_BETTER,
    description="Call recording exceptions at the unit's stations (for the trust, also those with no "
    "station) still open at the end of the period that had been open for more than the trust's limit "
    "(a setting, 7 days unless the trust sets another).",
    span=_old_exceptions_by_month,
)
def old_recording_exceptions(unit: OrgUnit, period: Period) -> MeasureValue:
    end, old_before = _judged_at(period)
    count = (
        RecordingException.objects.filter(_in_unit(unit), raised_at__lt=old_before)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .count()
    )
    return MeasureValue(count, count, None)
