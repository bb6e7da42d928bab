"""An asset's page and a vehicle's page: schedules with their due state, results, and what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q

from candour.fleet.models import Asset, MaintenanceResult, MaintenanceSchedule, Vehicle
from candour.fleet.queries.overdue import fleet_scope

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

    @property
    def is_flagged(self) -> bool:
        return bool(self.overdue_items)


def vehicle_page(vehicle: Vehicle, today: dt.date) -> VehiclePage:
    """The vehicle's own schedules, every overdue item on it (its own or its equipment's), and its
    equipment each marked overdue or not."""
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
        vehicle=vehicle, schedules=_rows(own, today), overdue_items=list(overdue), equipment=list(equipment)
    )
