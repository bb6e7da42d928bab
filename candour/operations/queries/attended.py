"""Attended incidents, for apps that match their own rows to incidents (records: every attended incident has
one final patient record). They pass their rows in as querysets or functions; operations never knows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from candour.operations.models import CadIncident


def attended_incidents(
    scope,
    *,
    finished_before: dt.datetime,
    among: Iterable[str] | QuerySet | None = None,
    lacking: Callable[[OuterRef], QuerySet] | None = None,
) -> QuerySet[CadIncident]:
    """Incidents a resource reached (someone on scene) at the scope's stations (every station for None),
    whose job ended before the moment: the crew cleared, or, with no clear time, they arrived. Each row
    carries `finished_at`; oldest first. `among` keeps the incidents with these ids; `lacking(incident id)`
    keeps those for which the given rows are none."""
    incidents = (
        CadIncident.objects.filter(first_on_scene__isnull=False)
        .annotate(finished_at=Coalesce("crew_clear", "first_on_scene"))
        .filter(finished_at__lt=finished_before)
    )
    if scope is not None:
        incidents = incidents.for_scope(scope)
    if among is not None:
        incidents = incidents.filter(incident_id__in=among)
    if lacking is not None:
        incidents = incidents.filter(~Exists(lacking(OuterRef("incident_id"))))
    return incidents.select_related("station").order_by("finished_at", "incident_id")


def attended_incident_ids(*, finished_before: dt.datetime) -> QuerySet:
    """The ids of every attended incident whose job ended before the moment, for matching (a subquery)."""
    return attended_incidents(None, finished_before=finished_before).order_by().values("incident_id")


def incident_known(incident_id) -> Exists:
    """Whether the CAD has an incident with this id (a value or an OuterRef), attended or not."""
    return Exists(CadIncident.objects.filter(incident_id=incident_id))
