"""Cleaning vehicles and auditing cleanliness.

A clean recorded against a vehicle moves on when its interim and deep cleans are next due (`CleanDue`),
from the time it was done and by the trust's intervals (settings): a decontamination resets the interim, a
deep clean resets both, a between-patients clean is recorded only. A clean entered late, older than the
last one, is kept as history and moves nothing back. A cleanliness audit is stored whole when submitted,
and refused while any failed element lacks an action with an owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from candour.core import audit
from candour.core.refusals import Refused
from candour.fleet.access import AUDIT_CLEANLINESS, CHECK_VEHICLES
from candour.fleet.models import (
    RESETS,
    AuditElement,
    CleanDue,
    CleanlinessAudit,
    CleanType,
    FunctionalRisk,
    SwabResult,
    Vehicle,
    VehicleClean,
)
from candour.people.access import scope_of


def clean_interval(clean_type: str) -> dt.timedelta:
    """How long after a clean of this type the next falls due (trust settings)."""
    if clean_type == CleanType.INTERIM:
        return dt.timedelta(hours=settings.CANDOUR_FLEET_INTERIM_CLEAN_HOURS)
    return dt.timedelta(days=settings.CANDOUR_FLEET_DEEP_CLEAN_DAYS)


def start_deep_clean_due(vehicle: Vehicle) -> CleanDue:
    """A newly registered vehicle's deep clean, due at once: none is known until one is recorded."""
    return CleanDue.objects.create(
        vehicle=vehicle, clean_type=CleanType.DEEP, last_done_at=None, next_due_at=vehicle.created_at
    )


@transaction.atomic
def record_clean(
    *, by, vehicle: Vehicle, clean_type: str, done_at: dt.datetime, note: str = ""
) -> VehicleClean:
    """Record a clean of a vehicle and move on the cleans it counts as. A time in the future is refused."""
    if not scope_of(by, CHECK_VEHICLES).covers(vehicle.station):
        raise PermissionDenied
    problems: dict[str | None, str] = {}
    if clean_type not in CleanType.values:
        problems["clean_type"] = "Choose the type of clean"
    if done_at > timezone.now():
        when = date_format(timezone.localtime(done_at), "j F Y H:i")
        problems["done_on"] = f"The clean cannot be in the future: {when} has not happened yet"
    if problems:
        raise Refused.from_problems(problems)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    clean = VehicleClean.objects.create(
        vehicle=vehicle, clean_type=clean_type, done_at=done_at, note=note.strip(), done_by=by
    )
    for due_type in RESETS[CleanType(clean_type)]:
        due = CleanDue.objects.filter(vehicle=vehicle, clean_type=due_type).first()
        if due is None:
            CleanDue.objects.create(
                vehicle=vehicle,
                clean_type=due_type,
                last_done_at=done_at,
                next_due_at=done_at + clean_interval(due_type),
            )
        elif due.last_done_at is None or done_at > due.last_done_at:
            due.last_done_at = done_at
            due.next_due_at = done_at + clean_interval(due_type)
            due.save(update_fields=["last_done_at", "next_due_at", "updated_at"])
    audit.record(
        action="recorded_vehicle_clean",
        actor=by,
        target=clean,
        summary=str(clean),
        changes={"clean_type": clean_type, "done_at": done_at.isoformat()},
    )
    return clean


# Cleanliness audits


@dataclass(frozen=True)
class Element:
    name: str
    passed: bool | None
    action: str = ""
    action_owner: str = ""


@dataclass(frozen=True)
class Swab:
    surface: str
    value_rlu: int


def target_percent(functional_risk: str) -> int:
    """The target score of a functional risk category (settings, FR1 first)."""
    index = FunctionalRisk.values.index(functional_risk)
    return int(settings.CANDOUR_CLEAN_FR_TARGET_PERCENTS[index])


def stars_for(score: Decimal) -> int:
    """5 stars at or above the first threshold, 4 at the second, ... and 0 below the last (settings)."""
    thresholds = [Decimal(value) for value in settings.CANDOUR_CLEAN_STAR_PERCENTS]
    for stars, least in zip(range(len(thresholds), 0, -1), thresholds, strict=True):
        if score >= least:
            return stars
    return 0


def score_of(elements: list[Element]) -> Decimal:
    passed = sum(1 for element in elements if element.passed)
    return (Decimal(100 * passed) / Decimal(len(elements))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def swab_passes(value_rlu: int) -> bool:
    return value_rlu <= settings.CANDOUR_CLEAN_ATP_PASS_MAX_RLU


@transaction.atomic
def submit_audit(
    *,
    by,
    station,
    vehicle: Vehicle | None,
    functional_risk: str,
    audited_on: dt.date,
    elements: list[Element],
    swabs: list[Swab],
) -> CleanlinessAudit:
    """Submit a cleanliness audit of a station or one of its vehicles. Refused, naming every problem, when
    an element is unanswered, a failed element lacks an action or its owner, or the date is in the future."""
    if vehicle is not None:
        station = vehicle.station
    if not scope_of(by, AUDIT_CLEANLINESS).covers(station):
        raise PermissionDenied
    problems: list[Refused] = []
    if functional_risk not in FunctionalRisk.values:
        problems.append(Refused("Choose the functional risk category", field="functional_risk"))
    if audited_on > timezone.localdate():
        problems.append(Refused("The audit date cannot be in the future", field="audited_on"))
    elements = [element for element in elements if element.name.strip()]
    if not elements:
        problems.append(Refused("Score at least one element"))
    if unanswered := [element.name for element in elements if element.passed is None]:
        problems.append(Refused(f"Say pass or fail for: {', '.join(unanswered)}"))
    lacking = [
        element.name
        for element in elements
        if element.passed is False and not (element.action.strip() and element.action_owner.strip())
    ]
    if lacking:
        problems.append(
            Refused(
                f"Each failed element needs an action and its owner before submitting: {', '.join(lacking)}"
            )
        )
    if problems:
        raise Refused.several(problems)
    score = score_of(elements)
    found = CleanlinessAudit.objects.create(
        station=station,
        vehicle=vehicle,
        functional_risk=functional_risk,
        audited_on=audited_on,
        audited_by=by,
        score_percent=score,
        target_percent=target_percent(functional_risk),
        stars=stars_for(score),
    )
    AuditElement.objects.bulk_create(
        AuditElement(
            audit=found,
            position=position,
            name=element.name.strip(),
            passed=bool(element.passed),
            action="" if element.passed else element.action.strip(),
            action_owner="" if element.passed else element.action_owner.strip(),
        )
        for position, element in enumerate(elements, start=1)
    )
    SwabResult.objects.bulk_create(
        SwabResult(
            audit=found,
            surface=swab.surface.strip(),
            value_rlu=swab.value_rlu,
            passed=swab_passes(swab.value_rlu),
        )
        for swab in swabs
        if swab.surface.strip()
    )
    audit.record(
        action="submitted_cleanliness_audit",
        actor=by,
        target=found,
        summary=str(found),
        changes={"score_percent": str(score), "stars": found.stars},
    )
    return found
