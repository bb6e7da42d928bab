"""Incidents the CAD flagged as needing bariatric provision, for the fleet app's bariatric requests (ADR
0032): fleet reads them here, one way; operations knows nothing of fleet. The caller says which stations,
having judged who may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from candour.operations.models import CadIncident
from candour.people.models import OrgUnit


@dataclass(frozen=True)
class BariatricIncident:
    incident_id: str
    station: OrgUnit
    call_connected: dt.datetime


def bariatric_incidents(station_ids: Iterable[int], *, since: dt.datetime) -> list[BariatricIncident]:
    """Incidents flagged bariatric at these stations whose call connected at or after `since`, newest
    first."""
    found = (
        CadIncident.objects.filter(
            bariatric=True, station_id__in=list(station_ids), call_connected__gte=since
        )
        .select_related("station")
        .order_by("-call_connected")
    )
    return [BariatricIncident(row.incident_id, row.station, row.call_connected) for row in found]


def bariatric_incident(station_ids: Iterable[int], incident_id: str) -> BariatricIncident | None:
    """One incident flagged bariatric at these stations, by the CAD's incident number."""
    row = (
        CadIncident.objects.filter(bariatric=True, station_id__in=list(station_ids), incident_id=incident_id)
        .select_related("station")
        .first()
    )
    return None if row is None else BariatricIncident(row.incident_id, row.station, row.call_connected)
