"""An asset's page and a vehicle's page: schedules with their due state, results, and what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from candour.fleet.access import CHECK_VEHICLES, RECORD_MAINTENANCE
from candour.fleet.models import (
    Asset,
    Defect,
    MaintenanceResult,
    MaintenanceSchedule,
    Shift,
    Vehicle,
    VehicleCheck,
)
from candour.fleet.queries.cleaning import cleans_due, deep_clean_overdue, recent_cleans
from candour.fleet.queries.overdue import fleet_scope
from candour.people.access import scope_of

RESULTS_PER_PAGE = 25


@dataclass(frozen=True)
class ScheduleRow:
    schedule: MaintenanceSchedule
    is_overdue: bool


def _rows(schedules, today: dt.date) -> list[ScheduleRow]:
    return [ScheduleRow(schedule, schedule.is_overdue(today)) for schedule in schedules]


def asset_for(user, asset_id) -> Asset | None:
    """An asset the user may see, by public id; None for anything else (so its page is a 404)."""
    return (
        Asset.objects.for_scope(fleet_scope(user))
        .select_related("station", "on_vehicle", "store", "vehicle")
        .filter(public_id=asset_id)
        .first()
    )


def vehicle_for(user, vehicle_id) -> Vehicle | None:
    return (
        Vehicle.objects.for_scope(fleet_scope(user))
        .select_related("station", "asset")
        .filter(public_id=vehicle_id)
        .first()
    )


@dataclass(frozen=True)
class AssetPage:
    asset: Asset
    schedules: list[ScheduleRow]
    results: Page

    @property
    def is_overdue(self) -> bool:
        return any(row.is_overdue for row in self.schedules)


def asset_page(asset: Asset, today: dt.date, *, page: str | None = None) -> AssetPage:
    """The asset with each schedule's due state, and its results newest first, a page at a time."""
    schedules = list(asset.schedules.order_by("kind"))
    for schedule in schedules:
        schedule.asset = asset
    results = MaintenanceResult.objects.filter(asset=asset).select_related("schedule", "recorded_by")
    return AssetPage(
        asset=asset,
        schedules=_rows(schedules, today),
        results=Paginator(results.order_by("-done_on", "-created_at"), RESULTS_PER_PAGE).get_page(page),
    )


@dataclass(frozen=True)
class VehiclePage:
    vehicle: Vehicle
    schedules: list[ScheduleRow]
    overdue_items: list[MaintenanceSchedule]
    equipment: list[Asset]
    open_defects: list[Defect]
    recent_checks: list[VehicleCheck]
    cleans: list = field(default_factory=list)
    recent_cleans: list = field(default_factory=list)
    deep_clean_overdue: bool = False

    @property
    def is_flagged(self) -> bool:
        return bool(self.overdue_items) or self.deep_clean_overdue


def vehicle_page(vehicle: Vehicle, today: dt.date) -> VehiclePage:
    """The vehicle's own schedules, every overdue item on it (its own or its equipment's), its equipment
    each marked overdue or not, its open defects and its last fortnight of daily checks."""
    own = list(vehicle.asset.schedules.order_by("kind"))
    for schedule in own:
        schedule.asset = vehicle.asset
    overdue = (
        MaintenanceSchedule.objects.overdue(today)
        .filter(Q(asset=vehicle.asset) | Q(asset__on_vehicle=vehicle))
        .select_related("asset")
        .order_by("next_due_on", "asset__asset_tag")
    )
    equipment = Asset.objects.filter(on_vehicle=vehicle).with_overdue(today).order_by("asset_tag")
    return VehiclePage(
        vehicle=vehicle,
        schedules=_rows(own, today),
        overdue_items=list(overdue),
        equipment=list(equipment),
        open_defects=list(
            vehicle.defects.open().select_related("raised_by").order_by("-unsafe", "created_at")
        ),
        recent_checks=list(vehicle.checks.select_related("done_by").order_by("-shift_date", "-shift")[:14]),
        cleans=cleans_due(vehicle, timezone.now()),
        recent_cleans=recent_cleans(vehicle),
        deep_clean_overdue=deep_clean_overdue(vehicle, today),
    )


def check_scope(user):
    return scope_of(user, CHECK_VEHICLES)


def vehicles_to_check(user, today: dt.date) -> QuerySet[Vehicle]:
    """The vehicles the user may check, each marked flagged, and whether today's day and night checks are
    in."""
    checks = VehicleCheck.objects.filter(vehicle=OuterRef("pk"), shift_date=today)
    return (
        Vehicle.objects.for_scope(check_scope(user))
        .with_flag(today)
        .annotate(
            day_checked=Exists(checks.filter(shift=Shift.DAY)),
            night_checked=Exists(checks.filter(shift=Shift.NIGHT)),
        )
        .select_related("station")
        .order_by("station__name", "call_sign")
    )


def vehicle_to_check(user, vehicle_id) -> Vehicle | None:
    return (
        Vehicle.objects.for_scope(check_scope(user))
        .select_related("station", "asset")
        .filter(public_id=vehicle_id)
        .first()
    )


def defect_to_clear(user, defect_id) -> Defect | None:
    """An open or cleared defect on a vehicle the user looks after for the fleet team."""
    return (
        Defect.objects.filter(vehicle__station_id__in=scope_of(user, RECORD_MAINTENANCE).unit_ids)
        .select_related("vehicle", "vehicle__station", "raised_by")
        .filter(public_id=defect_id)
        .first()
    )
