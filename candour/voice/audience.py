"""Who a pulse is for. A person stands somewhere in the trust as each role they hold: through their sign-in's
active memberships (the role, at the membership's area), and through the staff roster (an apprentice, or
otherwise staff, at their station's area). They are in a pulse's audience when one of those matches its
roles (none: every role) and areas (none: every area the pulse covers).

The roster also gives the audience's size, the denominator of the response rate: everyone employed at a
station in the pulse's areas who holds one of its roles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from candour.people.models import Membership, OrgUnit, Person
from candour.people.roles import Role
from candour.voice.models import Pulse


@dataclass(frozen=True)
class Place:
    """One role a person holds, where: the area (None for a role held over the whole trust) and the trust."""

    role: str
    area_id: int | None
    trust_id: int | None


def places_of(user) -> list[Place]:
    """Where the user stands today, their own station's area first (that is where their answers count)."""
    cached = user.__dict__.get("_voice_places")
    if cached is not None:
        return cached
    today = timezone.localdate()
    places: list[Place] = []
    if user.person_id:
        employed = Person.objects.employed_on(today).filter(pk=user.person_id)
        for is_apprentice, area_id, trust_id in employed.values_list(
            "is_apprentice", "station__parent_id", "station__parent__parent_id"
        ):
            places.append(Place(Role.APPRENTICE if is_apprentice else Role.STAFF, area_id, trust_id))
    memberships = Membership.objects.active_on(today).filter(user=user)
    held = memberships.values_list(
        "role", "unit_id", "unit__kind", "unit__parent_id", "unit__parent__parent_id"
    )
    by_reach = {OrgUnit.Kind.STATION: [], OrgUnit.Kind.AREA: [], OrgUnit.Kind.TRUST: []}
    for role, unit_id, kind, parent_id, grandparent_id in held:
        place = {
            OrgUnit.Kind.STATION: Place(role, parent_id, grandparent_id),
            OrgUnit.Kind.AREA: Place(role, unit_id, parent_id),
            OrgUnit.Kind.TRUST: Place(role, None, unit_id),
        }[kind]
        by_reach[kind].append(place)
    places += by_reach[OrgUnit.Kind.STATION] + by_reach[OrgUnit.Kind.AREA] + by_reach[OrgUnit.Kind.TRUST]
    user.__dict__["_voice_places"] = places
    return places


def _covers(pulse: Pulse, area_ids: set[int], place: Place) -> bool:
    if pulse.audience_roles and place.role not in pulse.audience_roles:
        return False
    if pulse.unit.kind == OrgUnit.Kind.AREA:
        return place.area_id == pulse.unit_id
    if place.trust_id != pulse.unit_id:
        return False
    # A role held over the whole trust is in a pulse for the whole trust, not one for some areas.
    return not area_ids or place.area_id in area_ids


def matching_place(pulse: Pulse, user) -> Place | None:
    """The place in which the user is in the pulse's audience, or None. Asks for the pulse's audience areas
    (prefetch them when asking about many pulses)."""
    area_ids = {area.pk for area in pulse.audience_areas.all()}
    return next((place for place in places_of(user) if _covers(pulse, area_ids, place)), None)


def pulses_around(user):
    """Pulses that could be for the user: those of the trusts and areas they stand in (then ask
    `matching_place` of each)."""
    places = places_of(user)
    units = {place.trust_id for place in places} | {place.area_id for place in places}
    units.discard(None)
    return Pulse.objects.filter(unit_id__in=units).select_related("unit").prefetch_related("audience_areas")


def area_ids_of(pulse: Pulse) -> list[int]:
    """The areas a pulse reaches: those chosen, else every area under its unit."""
    chosen = [area.pk for area in pulse.audience_areas.all()]
    if chosen:
        return chosen
    if pulse.unit.kind == OrgUnit.Kind.AREA:
        return [pulse.unit_id]
    return list(
        OrgUnit.objects.filter(parent_id=pulse.unit_id, kind=OrgUnit.Kind.AREA).values_list("pk", flat=True)
    )


def role_filter(roles, day: dt.date) -> Q:
    """People holding any of the roles on the day, by the roster (apprentice, else staff) or by a sign-in."""
    roles = set(roles)
    holding = Q(user__in=Membership.objects.active_on(day).filter(role__in=roles).values("user_id"))
    if Role.APPRENTICE in roles:
        holding |= Q(is_apprentice=True)
    if Role.STAFF in roles:
        holding |= Q(is_apprentice=False)
    return holding


def audience(pulse: Pulse, day: dt.date | None = None):
    """People employed on the day (the close date, or today while open) at stations in the pulse's areas,
    who hold one of its roles."""
    day = day or min(timezone.localdate(), pulse.closes_on)
    people = Person.objects.employed_on(day).filter(station__parent_id__in=area_ids_of(pulse))
    return people.filter(role_filter(pulse.audience_roles, day)) if pulse.audience_roles else people


def audience_size(pulse: Pulse, day: dt.date | None = None) -> int:
    return audience(pulse, day).count()
