"""Scoping rows by a unit that may be missing."""

from django.db.models import Q

from candour.people.access import scope_of


def in_scope(user, permission: str, field: str) -> Q | None:
    """Rows whose `field` (a unit) is in the user's scope, and rows with no unit for trust-wide readers;
    None when the user reaches nothing."""
    scope = scope_of(user, permission)
    return None if scope.is_empty else scope.where(field)
