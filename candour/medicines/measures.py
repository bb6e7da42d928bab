"""The measures the medicines app publishes (DESIGN.md "Measures"), for a unit and a period."""

from __future__ import annotations

from django.conf import settings

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.medicines.models import EntryKind, RegisterEntry
from candour.medicines.queries.reconciliation import UNMATCHED, checked_window
from candour.people.models import OrgUnit


@register(
    key="medicines.administrations_matched_share",
    title="Controlled drug administrations matched to patient records",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the controlled drug administrations recorded in the registers of premises at or under "
    "the unit, dated in the period and checked against the ePCR's medicines export (from the first day it "
    "covers, once it has had its grace days to bring the records), the percentage matched to a patient "
    "record's dose: the same incident, drug and clinician at the time the register dates it. With fewer "
    "administrations checked than the small-number threshold there is no value. Higher is better: a dose no "
    "patient record accounts for is a possible diversion.",
)
def administrations_matched_share(unit: OrgUnit, period: Period) -> MeasureValue:
    window = checked_window()
    last = min(period.last_day, window.last)
    if window.first is None or last < max(period.start, window.first):
        return MeasureValue(None, None, 0)
    checked = RegisterEntry.objects.filter(
        kind=EntryKind.ADMINISTERED,
        part__premises__unit__in=OrgUnit.objects.under(unit),
        occurred_on__gte=max(period.start, window.first),
        occurred_on__lte=last,
    )
    total = checked.count()
    matched = total - checked.filter(UNMATCHED).count()
    if total < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None, None, total)
    return MeasureValue(100 * matched / total, matched, total)
