"""Pulses for leads: those they reach, their pages, and where they may publish (see the package's note on
reach)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from candour.core.suppression import threshold
from candour.people.access import scope_of
from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from candour.voice.access import RUN_PULSES, VIEW_RESULTS
from candour.voice.audience import area_ids_of
from candour.voice.models import (
    Pulse,
    Question,
)
from candour.voice.queries.answering import questions_of


def _reach(user: User) -> tuple[set[int], set[int]]:
    """Units where the user follows pulses in full, and areas where they read results only for that area."""
    run, view = scope_of(user, RUN_PULSES), scope_of(user, VIEW_RESULTS)
    full = set(run.unit_ids) | set(view.unit_ids)
    return full, set(view.area_ids)


def led_pulses(user: User) -> QuerySet[Pulse]:
    """Pulses the user may follow as a lead, newest first."""
    full, areas = _reach(user)
    if not full:
        return Pulse.objects.none()
    trusts = OrgUnit.objects.filter(pk__in=areas).values("parent_id")
    through_area = Q(unit_id__in=trusts) & (Q(audience_areas__isnull=True) | Q(audience_areas__in=areas))
    ids = Pulse.objects.filter(Q(unit_id__in=full) | through_area).values("pk")
    return Pulse.objects.filter(pk__in=ids).select_related("unit").order_by("-opens_on", "title")


def pulse_for_lead(user: User, pulse_id: uuid.UUID) -> Pulse | None:
    return led_pulses(user).filter(public_id=pulse_id).prefetch_related("audience_areas").first()


def may_change(user: User, pulse: Pulse) -> bool:
    return scope_of(user, RUN_PULSES).covers(pulse.unit)


def result_areas(user: User, pulse: Pulse) -> list[OrgUnit] | None:
    """None when the user may read a pulse's results in full, else the only areas they may read."""
    if scope_of(user, VIEW_RESULTS).covers(pulse.unit):
        return None
    mine = scope_of(user, VIEW_RESULTS).area_ids
    return list(OrgUnit.objects.filter(pk__in=set(area_ids_of(pulse)) & mine).order_by("name"))


def areas_of(pulse: Pulse) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=area_ids_of(pulse)).order_by("name"))


def status_of(pulse: Pulse, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if today < pulse.opens_on:
        return "Scheduled"
    return "Open" if today <= pulse.closes_on else "Closed"


@dataclass(frozen=True)
class PulseRow:
    pulse: Pulse
    status: str
    responses: int | None  # None: fewer than the threshold


def pulse_rows(user: User) -> list[PulseRow]:
    """The pulses a lead follows, with how many have answered (small numbers withheld)."""
    pulses = led_pulses(user).annotate(answered=Count("responses"))
    return [
        PulseRow(pulse, status_of(pulse), None if 0 < pulse.answered < threshold() else pulse.answered)
        for pulse in pulses
    ]


def audience_text(pulse: Pulse) -> tuple[str, str]:
    """Who a pulse is for, in words: (roles, areas)."""
    labels = dict(Role.choices)
    roles = ", ".join(labels.get(role, role) for role in pulse.audience_roles) or "Every role"
    areas = ", ".join(area.name for area in pulse.audience_areas.all()) or f"All of {pulse.unit.name}"
    return roles, areas


@dataclass(frozen=True)
class PulsePage:
    pulse: Pulse
    status: str
    questions: list[Question]
    roles: str
    areas: str
    responses: int | None
    has_responses: bool
    may_change: bool
    may_close_early: bool


def pulse_page(user: User, pulse: Pulse) -> PulsePage:
    answered = pulse.responses.count()
    roles, areas = audience_text(pulse)
    return PulsePage(
        pulse=pulse,
        status=status_of(pulse),
        questions=questions_of(pulse),
        roles=roles,
        areas=areas,
        responses=None if 0 < answered < threshold() else answered,
        has_responses=answered > 0,
        may_change=may_change(user, pulse),
        may_close_early=pulse.opens_on <= timezone.localdate() < pulse.closes_on,
    )


def lead_areas(user: User) -> list[OrgUnit]:
    """The areas a lead may send a pulse to."""
    return list(OrgUnit.objects.filter(pk__in=scope_of(user, RUN_PULSES).area_ids).order_by("name"))


def publishable_units(user: User) -> list[OrgUnit]:
    """Where a lead may publish "you said, we did": their trust, and each of their areas."""
    scope = scope_of(user, RUN_PULSES)
    units = OrgUnit.objects.filter(pk__in=scope.unit_ids).exclude(kind=OrgUnit.Kind.STATION)
    return sorted(units, key=lambda unit: (unit.kind != OrgUnit.Kind.TRUST, unit.name))


def linkable_pulses(user: User) -> list[Pulse]:
    scope = scope_of(user, RUN_PULSES)
    return list(Pulse.objects.filter(unit_id__in=scope.unit_ids).order_by("-opens_on", "title")[:50])
