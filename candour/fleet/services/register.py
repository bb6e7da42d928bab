"""The asset register: vehicles, equipment and their maintenance schedules."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from candour.core import audit
from candour.core.months import add_months
from candour.core.refusals import Refused
from candour.fleet.models import (
    VEHICLE_ONLY_KINDS,
    Asset,
    AssetKind,
    LolerCategory,
    LolerInterval,
    MaintenanceKind,
    MaintenanceSchedule,
    UsageUnit,
    Vehicle,
    VehicleType,
    in_a_sentence,
)
from candour.fleet.services.cleaning import start_deep_clean_due
from candour.fleet.services.notices import apply_notices_to
from candour.people.models import OrgUnit


def _require_station(unit: OrgUnit, field: str) -> None:
    if unit.kind != OrgUnit.Kind.STATION:
        raise Refused(f"{unit.name} is not a station: choose the station it belongs to", field=field)


@transaction.atomic
def add_vehicle(
    *,
    by,
    call_sign: str,
    registration: str,
    vehicle_type: VehicleType | str,
    station: OrgUnit,
    make: str,
    model: str,
    serial_number: str,
    asset_tag: str,
    odometer_miles: int | None = None,
) -> Vehicle:
    """Put a vehicle on the register, based at a station, with its own asset for service and MOT."""
    _require_station(station, "station")
    registration = registration.replace(" ", "").upper()
    if Vehicle.objects.filter(call_sign=call_sign).exists():
        raise Refused(
            f"A vehicle with the call sign {call_sign} is already on the register", field="call_sign"
        )
    if Vehicle.objects.filter(registration=registration).exists():
        raise Refused(f"A vehicle registered {registration} is already on the register", field="registration")
    asset = _new_asset(
        by=by,
        kind=AssetKind.VEHICLE,
        make=make,
        model=model,
        serial_number=serial_number,
        asset_tag=asset_tag,
        station=station,
        usage_unit=UsageUnit.MILES,
        usage_reading=odometer_miles,
    )
    vehicle = Vehicle.objects.create(
        asset=asset,
        call_sign=call_sign,
        registration=registration,
        vehicle_type=vehicle_type,
        station=station,
    )
    start_deep_clean_due(vehicle)
    audit.record(
        action="added_vehicle",
        actor=by,
        target=vehicle,
        summary=f"{call_sign} at {station.name}",
        changes={"call_sign": call_sign, "registration": registration, "station": station.code},
    )
    return vehicle


@transaction.atomic
def add_equipment(
    *,
    by,
    kind: AssetKind | str,
    make: str,
    model: str,
    serial_number: str,
    asset_tag: str,
    on_vehicle: Vehicle | None = None,
    store: OrgUnit | None = None,
    loler_category: str = "",
    usage_unit: str = "",
) -> Asset:
    """Put a medical device or piece of lifting equipment on the register, on a vehicle or in a store."""
    if kind == AssetKind.VEHICLE:
        raise Refused("Add a vehicle as a vehicle, with its call sign and registration", field="kind")
    if (on_vehicle is None) == (store is None):
        raise Refused("Say where it is: on one vehicle, or in one station's store", field="on_vehicle")
    if store is not None:
        _require_station(store, "store")
    problem = loler_category_problem(kind, loler_category)
    if problem:
        raise Refused(problem, field="loler_category")
    asset = _new_asset(
        by=by,
        kind=kind,
        make=make,
        model=model,
        serial_number=serial_number,
        asset_tag=asset_tag,
        on_vehicle=on_vehicle,
        store=store,
        station=on_vehicle.station if on_vehicle else store,
        loler_category=loler_category,
        usage_unit=usage_unit,
    )
    audit.record(
        action="added_asset",
        actor=by,
        target=asset,
        summary=f"{asset} ({asset.location})",
        changes={"kind": str(kind), "asset_tag": asset_tag, "station": asset.station.code},
    )
    return asset


def _new_asset(*, by, asset_tag: str, **fields) -> Asset:
    asset_tag = asset_tag.strip()
    if not asset_tag:
        raise Refused("Enter the asset tag", field="asset_tag")
    if Asset.objects.filter(asset_tag=asset_tag).exists():
        raise Refused(f"The asset tag {asset_tag} is already on the register", field="asset_tag")
    asset = Asset.objects.create(asset_tag=asset_tag, **fields)
    apply_notices_to(asset, by=by)
    return asset


def loler_category_problem(kind: str, loler_category: str) -> str:
    """Lifting equipment needs its LOLER category (its examination interval depends on it), and only it
    has one; "" when the two agree. The register import checks its rows with this too."""
    if kind == AssetKind.LIFTING_EQUIPMENT and not loler_category:
        return "Choose what the lifting equipment lifts: its LOLER examination interval depends on it"
    if kind != AssetKind.LIFTING_EQUIPMENT and loler_category:
        return "Only lifting equipment has a LOLER category"
    return ""


def loler_interval_problem(category: str, interval_months: int, *, allowed: int | None = None) -> str:
    """An interval longer than LOLER allows for the category (reference data), or "". The register import
    passes `allowed` to save a query per row."""
    allowed = allowed if allowed is not None else loler_months(category)
    if interval_months <= allowed:
        return ""
    label = LolerCategory(category).label.lower()
    return (
        f"LOLER requires a thorough examination of {label} at least every {allowed} months, "
        f"not every {interval_months}"
    )


def first_due(
    starts_on: dt.date, interval_months: int | None, usage_interval: int | None, reading: int | None
) -> tuple[dt.date | None, int | None]:
    """A new schedule's first due date and usage: one interval after it starts (commissioning or the last
    known service), and one usage interval past the reading now."""
    return (
        add_months(starts_on, interval_months) if interval_months else None,
        (reading or 0) + usage_interval if usage_interval else None,
    )


def loler_months(category: str) -> int:
    """The longest interval LOLER allows between thorough examinations for this category (reference data)."""
    return LolerInterval.objects.get(category=category).months


@transaction.atomic
def add_schedule(
    *,
    by,
    asset: Asset,
    kind: MaintenanceKind | str,
    starts_on: dt.date,
    interval_months: int | None = None,
    usage_interval: int | None = None,
) -> MaintenanceSchedule:
    """Give an asset a maintenance schedule, first due one interval after `starts_on` (its commissioning
    or last known service). A LOLER schedule's interval comes from the reference data unless shorter."""
    problems = _schedule_problems(asset, kind, interval_months, usage_interval)
    if problems:
        raise Refused.from_problems(problems)
    if kind == MaintenanceKind.LOLER and interval_months is None:
        interval_months = loler_months(asset.loler_category)
    next_due_on, next_due_usage = first_due(starts_on, interval_months, usage_interval, asset.usage_reading)
    schedule = MaintenanceSchedule.objects.create(
        asset=asset,
        kind=kind,
        interval_months=interval_months,
        usage_interval=usage_interval,
        next_due_on=next_due_on,
        next_due_usage=next_due_usage,
    )
    audit.record(
        action="added_maintenance_schedule",
        actor=by,
        target=schedule,
        summary=str(schedule),
        changes={
            "kind": str(kind),
            "interval_months": interval_months,
            "usage_interval": usage_interval,
            "next_due_on": schedule.next_due_on,
        },
    )
    return schedule


def _schedule_problems(asset, kind, interval_months, usage_interval) -> dict[str, str]:
    problems: dict[str, str] = {}
    label = in_a_sentence(kind)
    if interval_months is None and usage_interval is None and kind != MaintenanceKind.LOLER:
        problems["interval_months"] = (
            "Enter how often it is due: every so many months, or so much use, or both"
        )
    if interval_months is not None and interval_months < 1:
        problems["interval_months"] = "The interval must be at least 1 month"
    if usage_interval is not None and (usage_interval < 1 or not asset.usage_unit):
        problems["usage_interval"] = (
            "This asset has no usage counted, so it cannot be due by use"
            if not asset.usage_unit
            else "The usage interval must be at least 1"
        )
    if kind in VEHICLE_ONLY_KINDS and asset.kind != AssetKind.VEHICLE:
        problems["kind"] = f"Only a vehicle has a {label} schedule"
    if kind == MaintenanceKind.LOLER:
        if asset.kind != AssetKind.LIFTING_EQUIPMENT:
            problems["kind"] = "Only lifting equipment has a LOLER thorough examination"
        elif interval_months is not None and (
            problem := loler_interval_problem(asset.loler_category, interval_months)
        ):
            problems["interval_months"] = problem
    if MaintenanceSchedule.objects.filter(asset=asset, kind=kind).exists():
        problems["kind"] = f"{asset.asset_tag} already has a {label} schedule"
    return problems
