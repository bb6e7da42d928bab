"""Proof per shift: each vehicle's shifts with and without a completed daily check, by station and month.

A vehicle has a day and a night shift every day it is on the register; each begins at the time the trust's
shift pattern gives (settings, as no pattern is national), and counts once it has begun. A check is the
crew's record for one vehicle, day and shift (ADR 0032). The vehicles are those based at the station now:
the register keeps no history of moves, nor of time off road. A month is judged only once it is complete
(ADR 26); until then its counts are shown as so far.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from candour.core.measures import Period
from candour.core.months import complete_months, month_of
from candour.fleet.models import Shift, Vehicle, VehicleCheck
from candour.fleet.queries.overdue import fleet_scope
from candour.people.models import OrgUnit

# How many complete months back the pages offer.
MONTHS_OFFERED = 12


def shift_start(day: dt.date, shift: str) -> dt.datetime:
    """When a shift begins: the day shift at CANDOUR_FLEET_DAY_SHIFT_STARTS, the night shift at
    CANDOUR_FLEET_NIGHT_SHIFT_STARTS (local time), on its day."""
    starts = (
        settings.CANDOUR_FLEET_DAY_SHIFT_STARTS
        if shift == Shift.DAY
        else settings.CANDOUR_FLEET_NIGHT_SHIFT_STARTS
    )
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(starts)))


def shifts_of(vehicle: Vehicle, period: Period, now: dt.datetime) -> list[tuple[dt.date, str]]:
    """The vehicle's shifts in the period that had begun by now, from when it was put on the register,
    oldest first."""
    found = []
    day = period.start
    while day < period.end:
        for shift in (Shift.DAY, Shift.NIGHT):
            begins = shift_start(day, shift)
            if vehicle.created_at <= begins <= now:
                found.append((day, shift))
        day += dt.timedelta(days=1)
    return found


def _checks(vehicles, period: Period) -> dict[int, dict[tuple[dt.date, str], VehicleCheck]]:
    found: dict[int, dict] = defaultdict(dict)
    checks = VehicleCheck.objects.filter(
        vehicle__in=vehicles, shift_date__gte=period.start, shift_date__lt=period.end
    ).select_related("done_by")
    for check in checks:
        found[check.vehicle_id][(check.shift_date, check.shift)] = check
    return found


def months_offered(today: dt.date) -> list[Period]:
    """This month and the complete months before it that the pages offer, newest first."""
    return [month_of(today), *reversed(complete_months(today, MONTHS_OFFERED))]


def month_asked(value: str | None, today: dt.date) -> Period | None:
    """The month asked for as YYYY-MM, if it is one offered; the last complete month when none is asked."""
    offered = months_offered(today)
    if not value:
        return offered[1]
    return next((month for month in offered if f"{month.start:%Y-%m}" == value), None)


def is_complete(month: Period, today: dt.date) -> bool:
    return month.end <= today


@dataclass(frozen=True)
class Shifts:
    """A count of shifts, and how many of them had a completed check."""

    shifts: int
    checked: int

    @property
    def missed(self) -> int:
        return self.shifts - self.checked

    @property
    def percent_exact(self) -> float | None:
        return 100 * self.checked / self.shifts if self.shifts else None


@dataclass(frozen=True)
class StationShifts:
    station: OrgUnit
    vehicles: int
    day: Shifts
    night: Shifts

    @property
    def all(self) -> Shifts:
        return Shifts(self.day.shifts + self.night.shifts, self.day.checked + self.night.checked)


@dataclass(frozen=True)
class VehicleShifts:
    vehicle: Vehicle
    day: Shifts
    night: Shifts

    @property
    def all(self) -> Shifts:
        return Shifts(self.day.shifts + self.night.shifts, self.day.checked + self.night.checked)


def _by_shift(vehicle: Vehicle, period: Period, now: dt.datetime, checks: dict) -> dict[str, Shifts]:
    counts = {}
    shifts = shifts_of(vehicle, period, now)
    for kind in (Shift.DAY, Shift.NIGHT):
        mine = [key for key in shifts if key[1] == kind]
        counts[kind] = Shifts(len(mine), sum(1 for key in mine if key in checks))
    return counts


def _vehicles(user, station: OrgUnit | None = None) -> QuerySet[Vehicle]:
    found = Vehicle.objects.for_scope(fleet_scope(user))
    if station is not None:
        found = found.filter(station=station)
    return found.select_related("station", "station__parent").order_by("call_sign")


def shifts_by_station(user, month: Period, now: dt.datetime) -> list[StationShifts]:
    """Each of the user's stations with vehicles: its vehicles' day and night shifts in the month, and how
    many had a completed check. Two queries, whatever the month."""
    vehicles = list(_vehicles(user))
    checks = _checks(vehicles, month)
    by_station: dict[int, list[dict[str, Shifts]]] = defaultdict(list)
    stations: dict[int, OrgUnit] = {}
    for vehicle in vehicles:
        stations[vehicle.station_id] = vehicle.station
        by_station[vehicle.station_id].append(_by_shift(vehicle, month, now, checks[vehicle.pk]))
    rows = []
    for station_id, counts in by_station.items():
        day = Shifts(sum(c[Shift.DAY].shifts for c in counts), sum(c[Shift.DAY].checked for c in counts))
        night = Shifts(
            sum(c[Shift.NIGHT].shifts for c in counts), sum(c[Shift.NIGHT].checked for c in counts)
        )
        rows.append(StationShifts(stations[station_id], len(counts), day, night))
    return sorted(rows, key=lambda row: (row.station.parent.name, row.station.name))


def shifts_at_station(user, station: OrgUnit, month: Period, now: dt.datetime) -> list[VehicleShifts]:
    """Each vehicle at the station: its day and night shifts in the month, and how many had a check."""
    vehicles = list(_vehicles(user, station))
    checks = _checks(vehicles, month)
    rows = []
    for vehicle in vehicles:
        counts = _by_shift(vehicle, month, now, checks[vehicle.pk])
        rows.append(VehicleShifts(vehicle, counts[Shift.DAY], counts[Shift.NIGHT]))
    return rows


@dataclass(frozen=True)
class ShiftRow:
    vehicle: Vehicle
    day: dt.date
    shift: Shift
    check: VehicleCheck | None


SHIFT_VIEWS = {"": "Shifts", "checked": "Shifts with a completed check", "missed": "Shifts with no check"}


def shift_rows(
    user,
    month: Period,
    now: dt.datetime,
    *,
    station: OrgUnit | None = None,
    vehicle: Vehicle | None = None,
    shift: str = "",
    show: str = "",
) -> list[ShiftRow]:
    """The shifts in the month of the user's vehicles (at a station, or one vehicle), newest first and by
    call sign, each with its check or none; `shift` narrows them to day or night shifts, `show` to those
    checked or missed."""
    vehicles = [vehicle] if vehicle is not None else list(_vehicles(user, station))
    checks = _checks(vehicles, month)
    rows = [
        ShiftRow(each, day, Shift(kind), checks[each.pk].get((day, kind)))
        for each in vehicles
        for day, kind in shifts_of(each, month, now)
        if not shift or kind == shift
    ]
    if show == "checked":
        rows = [row for row in rows if row.check is not None]
    elif show == "missed":
        rows = [row for row in rows if row.check is None]
    order = {Shift.DAY: 0, Shift.NIGHT: 1}
    return sorted(rows, key=lambda row: (-row.day.toordinal(), -order[row.shift], row.vehicle.call_sign))


def vehicle_in_scope(user, vehicle_id) -> Vehicle | None:
    return _vehicles(user).filter(public_id=vehicle_id).first()


def checks_per_shift(vehicles: list[Vehicle], period: Period, now: dt.datetime) -> Shifts:
    """All these vehicles' shifts in the period that had begun by now, and how many had a check."""
    checks = _checks(vehicles, period)
    shifts = checked = 0
    for vehicle in vehicles:
        mine = shifts_of(vehicle, period, now)
        shifts += len(mine)
        checked += sum(1 for key in mine if key in checks[vehicle.pk])
    return Shifts(shifts, checked)
