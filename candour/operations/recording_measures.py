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
from django.db.models import Exists, OuterRef, Q

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


def _calls(unit: OrgUnit, period: Period) -> tuple[int, int]:
    """(calls, of which recorded) connected in the period in the unit."""
    calls = (
        CadCall.objects.filter(_in_unit(unit), month__gte=period.start, month__lt=period.end)
        .exclude(_closed_as(NOT_A_CALL))
        .annotate(found_later=_closed_as(RECORDED_AFTER_ALL))
    )
    total = calls.count()
    recorded = calls.filter(Q(recording__isnull=False) | Q(found_later=True)).count()
    return total, recorded


@register(
    key="operations.calls_recorded_percent",
    title="999 calls verified as recorded",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Calls in the CAD's call log that connected in the period, at the unit's stations (by the "
    "incident that lists each call; calls no incident lists count at trust level), matched to a recording or "
    "found recorded when their exception was worked, as a percentage of all calls but test calls and "
    "duplicates. Fewer calls than the small-number threshold give no value. Every call should be recorded.",
)
def calls_recorded_percent(unit: OrgUnit, period: Period) -> MeasureValue:
    total, recorded = _calls(unit, period)
    if total < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None, recorded, total)
    return MeasureValue(round(100 * recorded / total, 1), recorded, total)


@register(
    key="operations.unrecorded_calls",
    title="999 calls with no recording",
    unit="calls",
    direction=Direction.LOWER_IS_BETTER,
    description="Calls that connected in the period at the unit's stations with no recording matched and "
    "none found when their exception was worked (test calls and duplicates left out).",
)
def unrecorded_calls(unit: OrgUnit, period: Period) -> MeasureValue:
    total, recorded = _calls(unit, period)
    return MeasureValue(total - recorded, total - recorded, total)


@register(
    key="operations.old_recording_exceptions",
    title="Call recording exceptions open over the limit",
    unit="exceptions",
    direction=Direction.LOWER_IS_BETTER,
    description="Call recording exceptions at the unit's stations (for the trust, also those with no "
    "station) still open at the end of the period that had been open for more than the trust's limit "
    "(a setting, 7 days unless the trust sets another).",
)
def old_recording_exceptions(unit: OrgUnit, period: Period) -> MeasureValue:
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=dt.UTC)
    old_before = end - dt.timedelta(days=settings.CANDOUR_RECORDING_EXCEPTION_OLD_DAYS)
    count = (
        RecordingException.objects.filter(_in_unit(unit), raised_at__lt=old_before)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .count()
    )
    return MeasureValue(count, count, None)
