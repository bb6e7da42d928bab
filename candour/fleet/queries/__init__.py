"""Fleet read models: what is overdue, by station and row by row, and the asset and vehicle pages."""

from candour.fleet.queries.assets import (
    AssetPage,
    VehiclePage,
    asset_for,
    asset_page,
    defect_to_clear,
    vehicle_for,
    vehicle_page,
    vehicle_to_check,
    vehicles_to_check,
)
from candour.fleet.queries.overdue import (
    OverdueSummary,
    StationOverdue,
    assets,
    fleet_scope,
    overdue_assets,
    overdue_by_station,
    station_in_scope,
    stations_of,
    vehicles,
)

__all__ = [
    "AssetPage",
    "OverdueSummary",
    "StationOverdue",
    "VehiclePage",
    "asset_for",
    "asset_page",
    "assets",
    "defect_to_clear",
    "fleet_scope",
    "overdue_assets",
    "overdue_by_station",
    "station_in_scope",
    "stations_of",
    "vehicle_for",
    "vehicle_page",
    "vehicle_to_check",
    "vehicles",
    "vehicles_to_check",
]
