"""Scoping rows by a unit that may be missing."""

from django.db.models import Q

from candour.people.access import scope_of


def in_scope(user, permission: str, field: str) -> Q | None:
    """Rows whose `field` (a unit) is in the user's scope, and rows with no unit for trust-wide readers;
    None when the user reaches nothing."""
    scope = scope_of(user, permission)
    if scope.is_empty:
        return None
    where = Q(**{f"{field}__in": scope.unit_ids})
    if scope.trust_wide:
        where |= Q(**{f"{field}__isnull": True})
    return where
