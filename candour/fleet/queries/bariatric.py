"""Bariatric provision read models: the capability register, bariatric-capable vehicles and whether their
lifting equipment is in date for LOLER (by the fleet's overdue rules), each incident's request, and the
comparison between areas that makes "inconsistent" a number (ADR 0032).

Requests are few (tens a month at a trust), so the waits of a period are read in one query and the mean
and 90th centile worked out in Python by `core.centiles`, the same on both databases. A mean or centile of
fewer requests than the small-number threshold is not shown: too few to compare.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from candour.core import suppression
from candour.core.centiles import CentileMethod, centile, mean_seconds, round_half_up
from candour.core.months import add_months
from candour.fleet.access import RECORD_BARIATRIC, REVIEW_BARIATRIC, VIEW_BARIATRIC
from candour.fleet.models import (
    Asset,
    AssetKind,
    AssetStatus,
    BariatricRequest,
    MaintenanceKind,
    MaintenanceSchedule,
    PartnerProvider,
    Vehicle,
    bariatric_load_kg,
    bariatric_review_after,
    waited_beyond,
)
from candour.operations.queries.bariatric import BariatricIncident, bariatric_incident, bariatric_incidents
from candour.people.access import Scope, scope_of
from candour.people.models import OrgUnit

# The periods the provision page compares, in months back from today.
PERIODS = (3, 6, 12)
DEFAULT_PERIOD = 12


def bariatric_scope(user) -> Scope:
    return scope_of(user, VIEW_BARIATRIC)


def areas_of(user) -> QuerySet[OrgUnit]:
    """The areas holding any of the user's stations."""
    stations = OrgUnit.objects.filter(pk__in=bariatric_scope(user).station_ids)
    return OrgUnit.objects.filter(pk__in=stations.values("parent_id"), kind=OrgUnit.Kind.AREA).order_by(
        "name"
    )


def area_in_scope(user, area_id) -> OrgUnit | None:
    return areas_of(user).filter(public_id=area_id).first()


def _in_area(queryset, area: OrgUnit | None, path: str):
    return queryset if area is None else queryset.filter(**{f"{path}__parent": area})


def _loler(today: dt.date) -> dict:
    loler = MaintenanceSchedule.objects.filter(asset=OuterRef("pk"), kind=MaintenanceKind.LOLER)
    return {
        "has_loler": Exists(loler),
        "loler_overdue": Exists(
            MaintenanceSchedule.objects.overdue(today).filter(
                asset=OuterRef("pk"), kind=MaintenanceKind.LOLER
            )
        ),
    }


def _loler_state(today: dt.date) -> Case:
    """Lifting equipment's LOLER state: quarantined, overdue (past its examination date), in date, or no
    LOLER schedule at all; blank for anything that is not lifting equipment."""
    loler = _loler(today)
    return Case(
        When(~Q(kind=AssetKind.LIFTING_EQUIPMENT), then=Value("")),
        When(status=AssetStatus.QUARANTINED, then=Value("quarantined")),
        When(loler["loler_overdue"], then=Value("overdue")),
        When(loler["has_loler"], then=Value("in_date")),
        default=Value("none"),
        output_field=CharField(),
    )


LOLER_STATES = {
    "in_date": ("LOLER in date", "green"),
    "overdue": ("LOLER overdue", "red"),
    "quarantined": ("Quarantined", "red"),
    "none": ("No LOLER examination scheduled", "orange"),
    "": ("Not lifting equipment", "grey"),
}


def capability_register(
    user,
    today: dt.date,
    *,
    area: OrgUnit | None = None,
    weight_kg: int | None = None,
    width_cm: int | None = None,
) -> QuerySet[Asset]:
    """Every vehicle and piece of equipment with its safe working load recorded, each with `loler_state`;
    with a patient's weight or width, only those that can take them."""
    found = Asset.objects.filter(
        station_id__in=bariatric_scope(user).station_ids, safe_working_load_kg__isnull=False
    )
    found = _in_area(found, area, "station")
    if weight_kg is not None:
        found = found.filter(safe_working_load_kg__gte=weight_kg)
    if width_cm is not None:
        found = found.filter(max_patient_width_cm__gte=width_cm)
    return (
        found.annotate(loler_state=_loler_state(today))
        .select_related("station", "station__parent", "on_vehicle", "store", "vehicle")
        .order_by("-safe_working_load_kg", "station__name", "asset_tag")
    )


@dataclass(frozen=True)
class CapableVehicle:
    vehicle: Vehicle
    equipment: list[Asset]

    @property
    def is_ready(self) -> bool:
        """Some bariatric lifting equipment on it is in service and in date for LOLER."""
        return any(asset.loler_state == "in_date" for asset in self.equipment)


def bariatric_vehicles(
    user, today: dt.date, *, area: OrgUnit | None = None, ready: bool | None = None
) -> list[CapableVehicle]:
    """The user's bariatric-capable vehicles, each with its bariatric lifting equipment and LOLER state."""
    equipment = (
        Asset.objects.filter(
            kind=AssetKind.LIFTING_EQUIPMENT,
            on_vehicle__isnull=False,
            safe_working_load_kg__gte=bariatric_load_kg(),
            station_id__in=bariatric_scope(user).station_ids,
        )
        .annotate(loler_state=_loler_state(today))
        .order_by("asset_tag")
    )
    equipment = _in_area(equipment, area, "station")
    by_vehicle: dict[int, list[Asset]] = defaultdict(list)
    for asset in equipment:
        by_vehicle[asset.on_vehicle_id].append(asset)
    vehicles = Vehicle.objects.filter(pk__in=by_vehicle).select_related("station", "station__parent")
    rows = [
        CapableVehicle(vehicle, by_vehicle[vehicle.pk])
        for vehicle in vehicles.order_by("station__parent__name", "station__name", "call_sign")
    ]
    if ready is not None:
        rows = [row for row in rows if row.is_ready == ready]
    return rows


def since(today: dt.date, months: int) -> dt.date:
    return add_months(today, -months)


def start_of_day(day: dt.date) -> dt.datetime:
    """The moment a local day begins."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


REQUEST_VIEWS = {
    "": "Bariatric requests",
    "waited": "Bariatric requests with a resource on scene",
    "beyond": "Bariatric requests that waited beyond the limit",
    "review": "Bariatric requests waiting for review",
    "partner": "Bariatric requests met by a partner provider",
}


def bariatric_requests(
    user,
    now: dt.datetime,
    *,
    area: OrgUnit | None = None,
    from_day: dt.date | None = None,
    show: str = "",
) -> QuerySet[BariatricRequest]:
    """The user's bariatric requests, newest first, each marked `is_beyond` when it waited beyond the limit;
    `show` narrows them to those behind one of the provision page's numbers."""
    beyond = waited_beyond(now, bariatric_review_after())
    found = BariatricRequest.objects.for_scope(bariatric_scope(user)).annotate(
        is_beyond=Case(When(beyond, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    found = _in_area(found, area, "station")
    if from_day is not None:
        found = found.filter(requested_at__gte=start_of_day(from_day))
    if show == "waited":
        found = found.filter(wait_seconds__isnull=False)
    elif show == "beyond":
        found = found.filter(beyond)
    elif show == "review":
        found = found.filter(beyond, reviewed_at__isnull=True)
    elif show == "partner":
        found = found.filter(partner__isnull=False)
    return found.select_related("station", "station__parent", "vehicle", "partner", "reviewed_by").order_by(
        "-requested_at"
    )


def request_to_record(user, request_id) -> BariatricRequest | None:
    """A request the user may update, by public id."""
    return _request(user, request_id, RECORD_BARIATRIC)


def request_to_review(user, request_id) -> BariatricRequest | None:
    return _request(user, request_id, REVIEW_BARIATRIC)


def _request(user, request_id, permission) -> BariatricRequest | None:
    return (
        BariatricRequest.objects.for_scope(scope_of(user, permission))
        .filter(public_id=request_id)
        .select_related("station", "trust", "vehicle", "partner")
        .first()
    )


def recording_stations(user) -> QuerySet[OrgUnit]:
    """The stations where the user may record a bariatric request."""
    return OrgUnit.objects.filter(pk__in=scope_of(user, RECORD_BARIATRIC).station_ids).order_by("name")


def resources_for(trust: OrgUnit) -> tuple[list[Vehicle], list[PartnerProvider]]:
    """The trust's bariatric-capable vehicles and its partner providers: what a request may be given."""
    vehicles = Vehicle.objects.bariatric_capable().filter(station__in=OrgUnit.objects.stations_under(trust))
    return (
        list(vehicles.select_related("station").order_by("call_sign")),
        list(PartnerProvider.objects.filter(trust=trust).order_by("name")),
    )


def partners(user) -> QuerySet[PartnerProvider]:
    """The partner providers of the user's trusts."""
    stations = OrgUnit.objects.filter(pk__in=bariatric_scope(user).station_ids)
    trusts = {station.trust.pk for station in stations.select_related("parent__parent")}
    return PartnerProvider.objects.filter(trust_id__in=trusts).order_by("name")


@dataclass(frozen=True)
class Waits:
    """The waits of some requests, from request to a suitable resource on scene; the mean and centile only
    from the small-number threshold up."""

    requests: int
    waited: int
    beyond: int
    awaiting_review: int
    by_partner: int
    mean_seconds: int | None
    centile90_seconds: int | None

    @property
    def too_few(self) -> bool:
        return self.waited < suppression.threshold()


def _waits(rows: list[tuple]) -> Waits:
    waits = [wait for wait, *_ in rows if wait is not None]
    shown = bool(waits) and not suppression.is_small(len(waits))
    return Waits(
        requests=len(rows),
        waited=len(waits),
        beyond=sum(1 for _, beyond, _, _ in rows if beyond),
        awaiting_review=sum(1 for _, beyond, reviewed, _ in rows if beyond and not reviewed),
        by_partner=sum(1 for *_, partner in rows if partner),
        mean_seconds=mean_seconds(sum(waits), len(waits)) if shown else None,
        centile90_seconds=round_half_up(centile(waits, CentileMethod.LINEAR)) if shown else None,
    )


@dataclass(frozen=True)
class AreaProvision:
    area: OrgUnit | None
    capable_vehicles: int
    ready_vehicles: int
    waits: Waits


@dataclass(frozen=True)
class Provision:
    areas: list[AreaProvision]
    total: AreaProvision
    partner_capacity: int
    partners: int
    months: int
    from_day: dt.date


def provision_by_area(user, now: dt.datetime, today: dt.date, *, months: int = DEFAULT_PERIOD) -> Provision:
    """For each of the user's areas: bariatric-capable vehicles and how many are ready (lifting equipment
    in date for LOLER), and the requests of the last `months` months with their waits."""
    from_day = since(today, months)
    vehicles = bariatric_vehicles(user, today)
    requests = bariatric_requests(user, now, from_day=from_day).values_list(
        "station__parent_id", "wait_seconds", "is_beyond", "reviewed_at", "partner_id"
    )
    by_area: dict[int, list[tuple]] = defaultdict(list)
    for area_id, wait, beyond, reviewed, partner in requests:
        by_area[area_id].append((wait, beyond, reviewed is not None, partner is not None))
    rows = [
        AreaProvision(
            area=area,
            capable_vehicles=sum(1 for row in vehicles if row.vehicle.station.parent_id == area.pk),
            ready_vehicles=sum(
                1 for row in vehicles if row.vehicle.station.parent_id == area.pk and row.is_ready
            ),
            waits=_waits(by_area[area.pk]),
        )
        for area in areas_of(user)
    ]
    every = [row for area_rows in by_area.values() for row in area_rows]
    found_partners = partners(user)
    return Provision(
        areas=rows,
        total=AreaProvision(
            area=None,
            capable_vehicles=len(vehicles),
            ready_vehicles=sum(1 for row in vehicles if row.is_ready),
            waits=_waits(every),
        ),
        partner_capacity=sum(partner.capacity for partner in found_partners),
        partners=found_partners.count(),
        months=months,
        from_day=from_day,
    )


def flagged_without_request(user, today: dt.date, *, months: int = DEFAULT_PERIOD) -> list[BariatricIncident]:
    """Incidents the CAD flagged bariatric at the user's stations in the period that have no bariatric
    request recorded here: requests to record, or provision nobody asked for."""
    flagged = bariatric_incidents(bariatric_scope(user).station_ids, since=start_of_day(since(today, months)))
    recorded = set(
        BariatricRequest.objects.filter(
            incident_reference__in=[incident.incident_id for incident in flagged]
        ).values_list("incident_reference", "trust_id")
    )
    return [
        incident
        for incident in flagged
        if (incident.incident_id, incident.station.parent.parent_id) not in recorded
    ]


def flagged_incident(user, incident_id: str) -> BariatricIncident | None:
    """A flagged incident at a station where the user records bariatric requests, to start one from."""
    return bariatric_incident(scope_of(user, RECORD_BARIATRIC).station_ids, incident_id)
