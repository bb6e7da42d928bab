"""Measures the fleet app publishes (DESIGN.md "Measures"), for an organisation unit and a period.

A unit's bariatric requests and vehicles are those at its stations. A bariatric wait runs from the request
to a suitable resource on scene; with fewer waits in the period than the small-number threshold there is no
value, as for response times (its count is kept, so the chart says why). The 90th centile is by linear
interpolation (as PostgreSQL's percentile_cont), rounded half up, by `core.centiles` (ADR 0032).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from candour.core import suppression
from candour.core.centiles import CentileMethod, centile, mean_seconds, round_half_up
from candour.core.measures import Direction, MeasureValue, Period, register
from candour.fleet.models import BariatricRequest, CleanType, Vehicle, VehicleClean
from candour.fleet.queries.bariatric import start_of_day
from candour.fleet.queries.shifts import checks_per_shift
from candour.people.measures import stations_under
from candour.people.models import OrgUnit


def _waits(unit: OrgUnit, period: Period) -> list[int]:
    return list(
        BariatricRequest.objects.filter(
            station_id__in=stations_under(unit),
            requested_at__gte=start_of_day(period.start),
            requested_at__lt=start_of_day(period.end),
            wait_seconds__isnull=False,
        ).values_list("wait_seconds", flat=True)
    )


def _too_few(waits: list[int]) -> bool:
    return not waits or suppression.is_small(len(waits))


WAIT_DESCRIPTION = (
    "Bariatric requests at the unit's stations made in the period (Europe/London) with a suitable resource "
    "on scene, from the request to on scene, in whole seconds. The denominator is the number of such "
    "requests; with fewer than the small-number threshold there is no value. Lower is better; there is no "
    "national standard (STANDARDS.md §6), so compare areas with each other."
)


@register(
    key="fleet.bariatric_wait_mean_seconds",
    title="Bariatric mean wait",
    unit="seconds",
    direction=Direction.LOWER_IS_BETTER,
    description=f"{WAIT_DESCRIPTION} The mean is total seconds over requests, rounded half up.",
)
def bariatric_wait_mean(unit: OrgUnit, period: Period) -> MeasureValue:
    waits = _waits(unit, period)
    if _too_few(waits):
        return MeasureValue(None, None, len(waits))
    return MeasureValue(mean_seconds(sum(waits), len(waits)), sum(waits), len(waits))


@register(
    key="fleet.bariatric_wait_centile90_seconds",
    title="Bariatric 90th centile wait",
    unit="seconds",
    direction=Direction.LOWER_IS_BETTER,
    description=f"{WAIT_DESCRIPTION} The 90th centile is by linear interpolation between the closest ranks "
    "(as PostgreSQL's percentile_cont), rounded half up.",
)
def bariatric_wait_centile90(unit: OrgUnit, period: Period) -> MeasureValue:
    waits = _waits(unit, period)
    if _too_few(waits):
        return MeasureValue(None, None, len(waits))
    return MeasureValue(round_half_up(centile(waits, CentileMethod.LINEAR)), None, len(waits))


@register(
    key="fleet.deep_cleans_in_date_percent",
    title="Vehicles with their deep clean in date",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the vehicles at the unit's stations on the register at the end of the period (or now, "
    "for a period not yet over), the share whose last deep clean before then was within the trust's deep "
    "clean interval (a setting, 42 days unless the trust sets another). A vehicle never deep cleaned is not "
    "in date. Read "
    "from the cleans recorded, so a past month keeps its value.",
)
def deep_cleans_in_date(unit: OrgUnit, period: Period) -> MeasureValue:
    at = min(start_of_day(period.end), timezone.now())
    vehicles = Vehicle.objects.filter(station_id__in=stations_under(unit), created_at__lt=at)
    cleaned = VehicleClean.objects.filter(
        vehicle=OuterRef("pk"),
        clean_type=CleanType.DEEP,
        done_at__lt=at,
        done_at__gte=at - dt.timedelta(days=settings.CANDOUR_FLEET_DEEP_CLEAN_DAYS),
    )
    total = vehicles.count()
    in_date = vehicles.filter(Exists(cleaned)).count()
    return MeasureValue(100 * in_date / total if total else None, in_date, total)


@register(
    key="fleet.vehicle_checks_per_shift_percent",
    title="Vehicle checks completed per shift",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description="Of the day and night shifts in the period of the vehicles based at the unit's stations, "
    "counted from when each vehicle was put on the register and once each shift has begun (the trust's "
    "shift pattern, a setting: days from 07:00 and nights from 19:00 unless set otherwise), the share with a "
    "completed daily vehicle check. Vehicles are counted where they are based now, and a shift off road "
    "still counts, as the register keeps no history of either.",
)
def vehicle_checks_per_shift(unit: OrgUnit, period: Period) -> MeasureValue:
    vehicles = list(Vehicle.objects.filter(station_id__in=stations_under(unit)))
    counted = checks_per_shift(vehicles, period, timezone.now())
    return MeasureValue(counted.percent_exact, counted.checked, counted.shifts)
