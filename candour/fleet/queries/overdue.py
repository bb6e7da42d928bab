"""What is overdue: by station, and the rows behind each number.

Each answer is a fixed handful of queries over schedules and assets, whatever the size of the register: a
schedule keeps its own next due date and usage, so the history of results is never read (ADR 0032).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from candour.fleet.access import VIEW_FLEET
from candour.fleet.models import Asset, AssetStatus, MaintenanceSchedule, Vehicle
from candour.people.access import Scope, scope_of
from candour.people.models import OrgUnit


def fleet_scope(user) -> Scope:
    return scope_of(user, VIEW_FLEET)


def station_in_scope(user, station_id) -> OrgUnit | None:
    """A station the user sees the fleet of, by public id; None for anything else."""
    scope = fleet_scope(user)
    return OrgUnit.objects.filter(public_id=station_id, pk__in=scope.station_ids).first()


def stations_of(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(pk__in=fleet_scope(user).station_ids).select_related("parent")


@dataclass(frozen=True)
class StationOverdue:
    station: OrgUnit
    overdue_assets: int
    flagged_vehicles: int
    quarantined_assets: int


@dataclass(frozen=True)
class OverdueSummary:
    rows: list[StationOverdue]
    overdue_assets: int
    flagged_vehicles: int
    quarantined_assets: int
    stations_clear: int


def overdue_by_station(user, today: dt.date) -> OverdueSummary:
    """For each of the user's stations with anything wrong: assets overdue and possibly unsafe, vehicles
    flagged (overdue themselves or carrying an overdue item) and assets quarantined. Four queries."""
    scope = fleet_scope(user)
    overdue = dict(
        Asset.objects.filter(station_id__in=scope.station_ids)
        .overdue(today)
        .values_list("station_id")
        .annotate(assets=Count("pk"))
    )
    flagged = dict(
        Vehicle.objects.for_scope(scope)
        .with_flag(today)
        .filter(is_flagged=True)
        .values_list("station_id")
        .annotate(vehicles=Count("pk"))
    )
    quarantined = dict(
        Asset.objects.for_scope(scope)
        .filter(status=AssetStatus.QUARANTINED)
        .values_list("station_id")
        .annotate(assets=Count("pk"))
    )
    with_any = set(overdue) | set(flagged) | set(quarantined)
    stations = OrgUnit.objects.filter(pk__in=with_any).select_related("parent")
    rows = sorted(
        (
            StationOverdue(
                station=station,
                overdue_assets=overdue.get(station.pk, 0),
                flagged_vehicles=flagged.get(station.pk, 0),
                quarantined_assets=quarantined.get(station.pk, 0),
            )
            for station in stations
        ),
        key=lambda row: (
            -row.overdue_assets,
            -row.flagged_vehicles,
            -row.quarantined_assets,
            row.station.name,
        ),
    )
    return OverdueSummary(
        rows=rows,
        overdue_assets=sum(overdue.values()),
        flagged_vehicles=sum(flagged.values()),
        quarantined_assets=sum(quarantined.values()),
        stations_clear=len(scope.station_ids - with_any),
    )


def overdue_assets(user, today: dt.date, *, station: OrgUnit | None = None) -> QuerySet[Asset]:
    """Every asset the user may see that is overdue, each with its `overdue_items` (the schedules past due)
    and where it is: the rows behind the summary's "assets overdue"."""
    found = (
        Asset.objects.for_scope(fleet_scope(user))
        .overdue(today)
        .with_overdue(today)
        .select_related("station", "on_vehicle", "store", "vehicle")
        .prefetch_related(
            Prefetch(
                "schedules",
                queryset=MaintenanceSchedule.objects.overdue(today).order_by("next_due_on", "kind"),
                to_attr="overdue_items",
            )
        )
    )
    if station is not None:
        found = found.filter(station=station)
    return found.order_by("station__name", "asset_tag")


def vehicles(
    user, today: dt.date, *, station: OrgUnit | None = None, flagged_only: bool = False
) -> QuerySet[Vehicle]:
    """The user's vehicles, each marked `is_flagged` when it or equipment on it is overdue."""
    found = Vehicle.objects.for_scope(fleet_scope(user)).with_flag(today).select_related("station", "asset")
    if station is not None:
        found = found.filter(station=station)
    if flagged_only:
        found = found.filter(is_flagged=True)
    return found.order_by("station__name", "call_sign")


def assets(
    user, today: dt.date, *, station: OrgUnit | None = None, quarantined_only: bool = False
) -> QuerySet[Asset]:
    """The user's equipment (not vehicles), each marked `is_overdue`."""
    found = (
        Asset.objects.for_scope(fleet_scope(user))
        .exclude(kind="vehicle")
        .with_overdue(today)
        .select_related("station", "on_vehicle", "store")
    )
    if station is not None:
        found = found.filter(station=station)
    if quarantined_only:
        found = found.filter(status=AssetStatus.QUARANTINED)
    return found.order_by("station__name", "asset_tag")
