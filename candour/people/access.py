"""The one access policy: `can(user, permission, obj)` and `scope_of(user, permission)`.

A permission comes from a role held through a Membership over an organisation unit; it reaches that unit
and everything below it. Views fetch through scoped querysets, so an object outside the scope is simply
not found (404) and its existence is never revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from candour.people.models import Membership, OrgUnit
from candour.people.roles import PRIVILEGED_ROLES, ROLE_PERMISSIONS, Role


@dataclass(frozen=True)
class Scope:
    unit_ids: frozenset[int]
    station_ids: frozenset[int]
    area_ids: frozenset[int]
    trust_wide: bool

    @property
    def is_empty(self) -> bool:
        return not self.unit_ids

    def covers(self, unit: OrgUnit | None) -> bool:
        return unit is not None and unit.pk in self.unit_ids

    def reaches(self, unit: OrgUnit | None) -> bool:
        """Covers the unit; or the row belongs to no unit (a call no incident lists, a private provider's
        record) and so is the trust's, which a scope over the whole trust reaches."""
        return self.covers(unit) or (unit is None and self.trust_wide)

    def where(self, field: str) -> Q:
        """A queryset's filter for the rows this scope reaches, by the rule of `reaches`: `field` (a unit)
        in the scope, or empty when the scope is the whole trust's."""
        in_scope = Q(**{f"{field}__in": self.unit_ids})
        return in_scope | Q(**{f"{field}__isnull": True}) if self.trust_wide else in_scope


EMPTY_SCOPE = Scope(frozenset(), frozenset(), frozenset(), False)


def _active_memberships(user) -> list[tuple[str, int]]:
    cached = getattr(user, "_candour_memberships", None)
    if cached is None:
        cached = list(Membership.objects.active().filter(user=user).values_list("role", "unit_id"))
        user._candour_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    if not _signed_in(user):
        return set()
    return {role for role, _ in _active_memberships(user)}


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def scope_of(user, permission: str) -> Scope:
    """Every organisation unit where the user holds `permission`."""
    if not _signed_in(user):
        return EMPTY_SCOPE
    cache = user.__dict__.setdefault("_candour_scopes", {})
    if permission in cache:
        return cache[permission]
    roots = {unit_id for role, unit_id in _active_memberships(user) if permission in ROLE_PERMISSIONS[role]}
    if not roots:
        cache[permission] = EMPTY_SCOPE
        return EMPTY_SCOPE
    scope = scope_under(roots)
    cache[permission] = scope
    return scope


def scope_under(roots: set[int]) -> Scope:
    """The units given by id and everything under them: a person's reach, or an integration key's."""
    kinds = dict(OrgUnit.objects.under(*roots).values_list("id", "kind"))
    return Scope(
        unit_ids=frozenset(kinds),
        station_ids=frozenset(u for u, kind in kinds.items() if kind == OrgUnit.Kind.STATION),
        area_ids=frozenset(u for u, kind in kinds.items() if kind == OrgUnit.Kind.AREA),
        trust_wide=any(kinds.get(u) == OrgUnit.Kind.TRUST for u in roots),
    )


def can(user, permission: str, obj=None) -> bool:
    """May this user do this, to this object (anything with an `access_unit`), or at all?"""
    if not _signed_in(user):
        return False
    if obj is None:
        return any(permission in ROLE_PERMISSIONS[role] for role, _ in _active_memberships(user))
    return scope_of(user, permission).covers(obj.access_unit)


def can_reach(user, permission: str, obj) -> bool:
    """`can`, for an object that may belong to no unit: such an object is the trust's (Scope.reaches)."""
    return _signed_in(user) and scope_of(user, permission).reaches(obj.access_unit)


def require_reach(user, permission: str, obj) -> None:
    """A service's own check that the person it acts for may act on this object, whoever calls it (a view
    has looked the object up within scope already; an API or a task may not have): PermissionDenied if not."""
    if not can_reach(user, permission, obj):
        raise PermissionDenied


def has_role(user, *roles: Role | str) -> bool:
    return bool(roles_of(user) & set(roles))


def needs_two_factor(user) -> bool:
    """Privileged roles sign in with a second factor (when the trust requires it: always in production)."""
    return settings.CANDOUR_REQUIRE_2FA and has_role(user, *PRIVILEGED_ROLES)
