"""Cleanliness read models: when each of a vehicle's cleans is next due, vehicles with an overdue deep clean
by station (an index lookup on the due date kept on `CleanDue`), and cleanliness audits by station."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from candour.fleet.access import AUDIT_CLEANLINESS
from candour.fleet.models import DUE_TYPES, CleanDue, CleanlinessAudit, CleanType, Vehicle, VehicleClean
from candour.fleet.queries.overdue import fleet_scope
from candour.people.access import scope_of


@dataclass(frozen=True)
class CleanRow:
    clean_type: CleanType
    due: CleanDue | None
    is_overdue: bool


def cleans_due(vehicle: Vehicle, now: dt.datetime) -> list[CleanRow]:
    """The vehicle's interim and deep clean, each with when it is next due (None when never recorded)."""
    found = {due.clean_type: due for due in CleanDue.objects.filter(vehicle=vehicle)}
    rows = []
    for clean_type in DUE_TYPES:
        due = found.get(clean_type)
        rows.append(CleanRow(CleanType(clean_type), due, due is not None and due.next_due_at < now))
    return rows


def recent_cleans(vehicle: Vehicle) -> list[VehicleClean]:
    return list(vehicle.cleans.select_related("done_by").order_by("-done_at")[:10])


def deep_clean_overdue(vehicle: Vehicle, today: dt.date) -> bool:
    return CleanDue.objects.deep_overdue(today).filter(vehicle=vehicle).exists()


def overdue_deep_cleans(user, today: dt.date, *, station=None) -> QuerySet[CleanDue]:
    """Every vehicle the user sees whose deep clean is overdue, by station, longest overdue first."""
    found = CleanDue.objects.deep_overdue(today).filter(vehicle__station_id__in=fleet_scope(user).unit_ids)
    if station is not None:
        found = found.filter(vehicle__station=station)
    return found.select_related("vehicle", "vehicle__station").order_by(
        "vehicle__station__name", "next_due_at", "vehicle__call_sign"
    )


def audit_scope(user):
    return scope_of(user, AUDIT_CLEANLINESS)


def audits(user, *, station=None) -> QuerySet[CleanlinessAudit]:
    """Cleanliness audits of the user's stations and their vehicles, by station, newest first."""
    found = (
        CleanlinessAudit.objects.filter(station_id__in=fleet_scope(user).unit_ids)
        .select_related("station", "vehicle", "audited_by")
        .prefetch_related("elements", "swabs")
    )
    if station is not None:
        found = found.filter(station=station)
    return found.order_by("station__name", "-audited_on", "-created_at")
