"""Bariatric provision: what each vehicle and piece of equipment can take, the partner providers a trust may
call on, and each incident's bariatric request from the ask to a suitable resource on scene, with a review
of every wait beyond the trust's limit (ADR 0032).

A vehicle is bariatric capable when lifting equipment on it is rated to the trust's bariatric safe working
load (a setting); only such a vehicle, or a partner, may be the resource assigned to a request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.formatting import local_datetime
from candour.core.refusals import Refused
from candour.fleet.access import RECORD_BARIATRIC, RECORD_MAINTENANCE, REVIEW_BARIATRIC
from candour.fleet.models import (
    Asset,
    BariatricOutcome,
    BariatricRequest,
    PartnerProvider,
    Vehicle,
    bariatric_load_kg,
)
from candour.people.access import scope_of
from candour.people.models import OrgUnit


@transaction.atomic
def record_capability(
    *, by, asset: Asset, safe_working_load_kg: int | None, max_patient_width_cm: int | None
) -> Asset:
    """Record what a vehicle or piece of equipment can take: its safe working load and widest patient."""
    if not scope_of(by, RECORD_MAINTENANCE).covers(asset.station):
        raise PermissionDenied
    problems: dict[str, str] = {}
    if safe_working_load_kg is not None and safe_working_load_kg < 1:
        problems["safe_working_load_kg"] = "The safe working load must be at least 1 kg"
    if max_patient_width_cm is not None and max_patient_width_cm < 1:
        problems["max_patient_width_cm"] = "The widest patient must be at least 1 cm"
    if problems:
        raise Refused.from_problems(problems)
    before = {
        "safe_working_load_kg": asset.safe_working_load_kg,
        "max_patient_width_cm": asset.max_patient_width_cm,
    }
    asset.safe_working_load_kg = safe_working_load_kg
    asset.max_patient_width_cm = max_patient_width_cm
    asset.save(update_fields=["safe_working_load_kg", "max_patient_width_cm", "updated_at"])
    audit.record(
        action="recorded_asset_capability",
        actor=by,
        target=asset,
        summary=f"What {asset.asset_tag} can take",
        changes={
            name: [before[name], getattr(asset, name)]
            for name in before
            if before[name] != getattr(asset, name)
        },
    )
    return asset


@transaction.atomic
def record_partner(
    *,
    by,
    trust: OrgUnit,
    name: str,
    capacity: int,
    contact: str,
    safe_working_load_kg: int | None = None,
) -> PartnerProvider:
    """Name a provider the trust may call on for a bariatric patient; a name already used is refused."""
    if not scope_of(by, RECORD_MAINTENANCE).covers(trust):
        raise PermissionDenied
    name, contact = name.strip(), contact.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Enter the provider's name"
    elif used := PartnerProvider.objects.filter(trust=trust, name__iexact=name).first():
        problems["name"] = f"{used.name} is already a partner provider"
    if capacity < 1:
        problems["capacity"] = "Enter how many bariatric vehicles or crews it can send: at least 1"
    if not contact:
        problems["contact"] = "Enter how to reach the provider"
    if safe_working_load_kg is not None and safe_working_load_kg < 1:
        problems["safe_working_load_kg"] = "The safe working load must be at least 1 kg"
    if problems:
        raise Refused.from_problems(problems)
    partner = PartnerProvider.objects.create(
        trust=trust,
        name=name,
        capacity=capacity,
        contact=contact,
        safe_working_load_kg=safe_working_load_kg,
        recorded_by=by,
    )
    audit.record(
        action="recorded_partner_provider",
        actor=by,
        target=partner,
        summary=f"{name}: {capacity} at once",
        changes={"name": name, "capacity": capacity},
    )
    return partner


@dataclass(frozen=True)
class Progress:
    """What is known so far of a bariatric request after it was made."""

    assigned_at: dt.datetime | None = None
    on_scene_at: dt.datetime | None = None
    vehicle: Vehicle | None = None
    partner: PartnerProvider | None = None
    outcome: str = ""
    note: str = ""


def _progress_problems(requested_at: dt.datetime, progress: Progress, trust: OrgUnit) -> dict[str, str]:
    problems: dict[str, str] = {}
    now = timezone.now()
    for field, when, what in (
        ("requested_at", requested_at, "The request"),
        ("assigned_at", progress.assigned_at, "The time a resource was assigned"),
        ("on_scene_at", progress.on_scene_at, "The time it was on scene"),
    ):
        if when is not None and when > now:
            problems[field] = f"{what} cannot be in the future: {local_datetime(when)} has not happened yet"
    if progress.assigned_at is not None and progress.assigned_at < requested_at:
        problems.setdefault("assigned_at", "A resource cannot be assigned before it was requested")
    if progress.on_scene_at is not None:
        if progress.assigned_at is None:
            problems.setdefault("assigned_at", "Enter when the resource on scene was assigned")
        elif progress.on_scene_at < progress.assigned_at:
            problems.setdefault("on_scene_at", "A resource cannot be on scene before it was assigned")
    if progress.vehicle is not None and progress.partner is not None:
        problems["vehicle"] = "Choose one resource: one of ours or a partner's, not both"
    elif progress.assigned_at is not None and progress.vehicle is None and progress.partner is None:
        problems["vehicle"] = "Say which resource was assigned: one of our vehicles or a partner"
    if progress.vehicle is not None and progress.vehicle.station.trust != trust:
        problems["vehicle"] = "Choose one of the trust's own vehicles"
    elif (
        progress.vehicle is not None
        and not Vehicle.objects.bariatric_capable().filter(pk=progress.vehicle.pk).exists()
    ):
        problems["vehicle"] = (
            f"{progress.vehicle.call_sign} carries no lifting equipment rated to "
            f"{bariatric_load_kg()} kg: it is not a bariatric resource"
        )
    if progress.partner is not None and progress.partner.trust_id != trust.pk:
        problems["partner"] = "Choose one of the trust's partner providers"
    if progress.outcome and progress.outcome not in BariatricOutcome.values:
        problems["outcome"] = "Choose the outcome from the list"
    elif progress.outcome in (BariatricOutcome.CONVEYED, BariatricOutcome.TREATED_AT_SCENE):
        if progress.on_scene_at is None:
            problems.setdefault("on_scene_at", "Enter when the resource was on scene for the patient")
    elif progress.outcome == BariatricOutcome.NO_RESOURCE and progress.on_scene_at is not None:
        problems["outcome"] = "A resource was on scene, so the outcome cannot be that none arrived"
    return problems


def _wait(requested_at: dt.datetime, on_scene_at: dt.datetime | None) -> int | None:
    return None if on_scene_at is None else int((on_scene_at - requested_at).total_seconds())


@transaction.atomic
def record_bariatric_request(
    *,
    by,
    station: OrgUnit,
    incident_reference: str,
    requested_at: dt.datetime,
    progress: Progress = Progress(),
) -> BariatricRequest:
    """Record an incident's bariatric request and what is known of it so far. One per incident: a second
    is refused, naming who recorded the first and when."""
    if not scope_of(by, RECORD_BARIATRIC).covers(station):
        raise PermissionDenied
    trust = station.trust
    reference = incident_reference.strip()
    problems: dict[str, str] = {}
    if station.kind != OrgUnit.Kind.STATION:
        problems["station"] = f"{station.name} is not a station: choose the station the incident is at"
    if not reference:
        problems["incident_reference"] = "Enter the incident number"
    elif found := BariatricRequest.objects.filter(trust=trust, incident_reference__iexact=reference).first():
        problems["incident_reference"] = (
            f"Incident {found.incident_reference} already has a bariatric request, recorded by "
            f"{found.recorded_by.display_name} at {local_datetime(found.created_at)}: update that one"
        )
    for field, message in _progress_problems(requested_at, progress, trust).items():
        problems.setdefault(field, message)
    if problems:
        raise Refused.from_problems(problems)
    request = BariatricRequest.objects.create(
        trust=trust,
        station=station,
        incident_reference=reference,
        requested_at=requested_at,
        assigned_at=progress.assigned_at,
        on_scene_at=progress.on_scene_at,
        vehicle=progress.vehicle,
        partner=progress.partner,
        outcome=progress.outcome,
        note=progress.note.strip(),
        wait_seconds=_wait(requested_at, progress.on_scene_at),
        recorded_by=by,
    )
    audit.record(
        action="recorded_bariatric_request",
        actor=by,
        target=request,
        summary=str(request),
        changes={"station": station.code, "requested_at": requested_at.isoformat(), **_changes(request)},
    )
    return request


def _changes(request: BariatricRequest) -> dict:
    return {
        "assigned_at": request.assigned_at.isoformat() if request.assigned_at else None,
        "on_scene_at": request.on_scene_at.isoformat() if request.on_scene_at else None,
        "resource": request.resource,
        "outcome": request.outcome,
        "wait_seconds": request.wait_seconds,
    }


@transaction.atomic
def update_bariatric_request(*, by, request: BariatricRequest, progress: Progress) -> BariatricRequest:
    """Record how a bariatric request went on: the resource assigned, when it was on scene, the outcome."""
    if not scope_of(by, RECORD_BARIATRIC).covers(request.station):
        raise PermissionDenied
    request = BariatricRequest.objects.select_for_update().get(pk=request.pk)
    problems = _progress_problems(request.requested_at, progress, request.trust)
    if problems:
        raise Refused.from_problems(problems)
    before = _changes(request)
    request.assigned_at = progress.assigned_at
    request.on_scene_at = progress.on_scene_at
    request.vehicle = progress.vehicle
    request.partner = progress.partner
    request.outcome = progress.outcome
    request.note = progress.note.strip()
    request.wait_seconds = _wait(request.requested_at, progress.on_scene_at)
    request.save()
    after = _changes(request)
    audit.record(
        action="updated_bariatric_request",
        actor=by,
        target=request,
        summary=str(request),
        changes={name: [before[name], after[name]] for name in after if before[name] != after[name]},
    )
    return request


@transaction.atomic
def review_bariatric_request(*, by, request: BariatricRequest, note: str) -> BariatricRequest:
    """Record the review of a request that waited beyond the limit: once, with what was found."""
    if not scope_of(by, REVIEW_BARIATRIC).covers(request.station):
        raise PermissionDenied
    request = BariatricRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_reviewed:
        raise Refused(
            f"This request was reviewed by {request.reviewed_by.display_name} at "
            f"{local_datetime(request.reviewed_at)}"
        )
    if not note.strip():
        raise Refused("Enter what the review found", field="note")
    request.reviewed_at = timezone.now()
    request.reviewed_by = by
    request.review_note = note.strip()
    request.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    audit.record(action="reviewed_bariatric_request", actor=by, target=request, summary=str(request))
    return request
