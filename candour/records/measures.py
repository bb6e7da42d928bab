"""Record measures the records app publishes, for a unit and a month, so the assurance catalogue charts them
with SPC: completeness and paper records' custody (issue 13).

A unit's records are those of its stations (a private provider's crew, with no station, is in no unit's).
Months are UK months, by when the record was created, as the completeness page counts them. A share or a
median over fewer records than the small-number threshold has no value; its count is kept, so the chart
says why (ADR 0026).
"""

from __future__ import annotations

import statistics

from django.conf import settings

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.people.measures import stations_under
from candour.people.models import OrgUnit
from candour.records.models import CustodyStep, Medium, PatientRecord
from candour.records.queries.completeness import created_in, finished_in
from candour.records.queries.custody import step_at


def _at(unit: OrgUnit):
    return PatientRecord.objects.filter(station_id__in=stations_under(unit))


def _created_in(unit: OrgUnit, period: Period):
    return created_in(_at(unit), period)


def _share(numerator: int, denominator: int) -> MeasureValue:
    if denominator < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None, None, denominator)
    return MeasureValue(100 * numerator / denominator, numerator, denominator)


@register(
    key="records.complete_share",
    title="Records with every mandatory element",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the final and amended records created in the period at the unit's stations, the "
    "percentage with every mandatory element of the set in force on the day each was created. The "
    "denominator is the number of those records; with fewer than the small-number threshold there is no "
    "value.",
)
def complete_share(unit: OrgUnit, period: Period) -> MeasureValue:
    records = finished_in(_at(unit), period)
    return _share(records.filter(complete=True).count(), records.count())


@register(
    key="records.paper_share",
    title="Records on paper",
    unit="%",
    direction=Direction.LOWER_IS_BETTER,
    description="Of the records created in the period at the unit's stations, the percentage made on paper "
    "rather than in the ePCR. Lower is better: a paper record has to travel to the records office.",
)
def paper_share(unit: OrgUnit, period: Period) -> MeasureValue:
    records = _created_in(unit, period)
    return _share(records.filter(medium=Medium.PAPER).count(), records.count())


@register(
    key="records.median_days_to_records_office",
    title="Median days for a paper record to reach the records office",
    unit="days",
    direction=Direction.LOWER_IS_BETTER,
    description="For paper records created in the period at the unit's stations and received at the records "
    "office, the median number of days (to one decimal place) from completion on scene (or, without that "
    "step, the record's creation) to receipt. The denominator is the number of records received.",
)
def median_days_to_records_office(unit: OrgUnit, period: Period) -> MeasureValue:
    pairs = (
        _created_in(unit, period)
        .filter(medium=Medium.PAPER)
        .annotate(
            completed=step_at(CustodyStep.COMPLETED_ON_SCENE),
            received=step_at(CustodyStep.RECEIVED_AT_RECORDS_OFFICE),
        )
        .filter(received__isnull=False)
        .values_list("started_at", "completed", "received")
    )
    days = [
        (received - (completed or started)).total_seconds() / 86_400 for started, completed, received in pairs
    ]
    if len(days) < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
        return MeasureValue(None, None, len(days))
    return MeasureValue(round(statistics.median(days), 1), None, len(days))


@register(
    key="records.lost_per_10000_incidents",
    title="Lost records per 10,000 incidents",
    unit="per 10,000 incidents",
    direction=Direction.LOWER_IS_BETTER,
    description="Records created in the period at the unit's stations and since marked lost, per 10,000 "
    "incidents with a record created in the period there (distinct incident references in the record "
    "index). The numerator is the lost records, the denominator the incidents.",
)
def lost_per_10000_incidents(unit: OrgUnit, period: Period) -> MeasureValue:
    records = _created_in(unit, period)
    incidents = records.values("incident_reference").distinct().count()
    lost = records.filter(lost_at__isnull=False).count()
    if incidents == 0:
        return MeasureValue(None, lost, 0)
    return MeasureValue(10_000 * lost / incidents, lost, incidents)
