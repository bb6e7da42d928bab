"""Fixtures for the fleet tests: a small trust with two stations, its fleet lead and a station manager, and
builders for a vehicle and a piece of equipment with schedules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from candour.fleet import services
from candour.fleet.models import (
    Asset,
    AssetKind,
    MaintenanceKind,
    Vehicle,
    VehicleType,
)
from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory, TrustFactory, make_user

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _on_a_known_day():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class FleetTrust:
    """Northshire: area North with stations Ashby and Belton; a fleet lead over the trust and Ashby's
    station manager (an operations manager over Ashby only)."""

    trust: OrgUnit
    north: OrgUnit
    ashby: OrgUnit
    belton: OrgUnit
    lead: User
    ashby_manager: User

    def vehicle(self, call_sign: str = "NA101", station: OrgUnit | None = None, **fields) -> Vehicle:
        number = call_sign[-3:]
        return services.add_vehicle(
            by=self.lead,
            call_sign=call_sign,
            registration=fields.pop("registration", f"YX26 A{number}"),
            vehicle_type=fields.pop("vehicle_type", VehicleType.EMERGENCY_AMBULANCE),
            station=station or self.ashby,
            make="Fiat",
            model="Ducato",
            serial_number=f"VIN{number}",
            asset_tag=f"V-{call_sign}",
            **fields,
        )

    def stretcher(self, tag: str = "STR-1", vehicle: Vehicle | None = None, **fields) -> Asset:
        return services.add_equipment(
            by=self.lead,
            kind=AssetKind.LIFTING_EQUIPMENT,
            make="Ferno",
            model="Pegasus",
            serial_number=f"SN-{tag}",
            asset_tag=tag,
            on_vehicle=vehicle,
            store=None if vehicle else fields.pop("store", self.ashby),
            loler_category=fields.pop("loler_category", "lifts_people"),
            **fields,
        )

    def defibrillator(self, tag: str = "DEF-1", vehicle: Vehicle | None = None, store=None) -> Asset:
        return services.add_equipment(
            by=self.lead,
            kind=AssetKind.MEDICAL_DEVICE,
            make="Zoll",
            model="X Series",
            serial_number=f"SN-{tag}",
            asset_tag=tag,
            on_vehicle=vehicle,
            store=None if vehicle else store or self.ashby,
        )

    def schedule(self, asset: Asset, kind=MaintenanceKind.PLANNED_PREVENTIVE, *, starts_on=None, **fields):
        return services.add_schedule(
            by=self.lead,
            asset=asset,
            kind=kind,
            starts_on=starts_on or TODAY - dt.timedelta(days=30),
            **fields,
        )

    def result(self, asset: Asset, kind=MaintenanceKind.PLANNED_PREVENTIVE, *, by=None, **fields):
        fields.setdefault("done_on", TODAY)
        fields.setdefault("outcome", "pass")
        return services.record_result(
            by=by or self.lead, result=services.Result(asset_tag=asset.asset_tag, kind=kind, **fields)
        )


@pytest.fixture
def fleet(db) -> FleetTrust:
    trust = TrustFactory(name="Northshire Ambulance Service")
    north = AreaFactory(name="North", parent=trust)
    ashby = StationFactory(name="Ashby", parent=north)
    belton = StationFactory(name="Belton", parent=north)
    return FleetTrust(
        trust=trust,
        north=north,
        ashby=ashby,
        belton=belton,
        lead=make_user(Role.FLEET_LEAD, trust),
        ashby_manager=make_user(Role.OPERATIONS_MANAGER, ashby),
    )
