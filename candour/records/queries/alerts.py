"""Access alerts for the information governance lead: to review, or reviewed."""

from __future__ import annotations

from django.db.models import QuerySet

from candour.records.access import REVIEW_ACCESS
from candour.records.models import AccessAlert, AlertStatus
from candour.records.queries.scoping import in_scope

OPEN, REVIEWED = "open", "reviewed"


def alerts_for(user, *, show: str = OPEN) -> QuerySet[AccessAlert]:
    """The alerts the user may review: open ones oldest first, or reviewed ones newest first."""
    where = in_scope(user, REVIEW_ACCESS, "unit")
    if where is None:
        return AccessAlert.objects.none()
    alerts = AccessAlert.objects.filter(where).select_related("person", "unit", "reviewed_by")
    if show == REVIEWED:
        return alerts.exclude(status=AlertStatus.OPEN).order_by("-reviewed_at")
    return alerts.filter(status=AlertStatus.OPEN).order_by("occurred_at")


def alert_for(user, public_id) -> AccessAlert | None:
    """One alert the user may review, or None."""
    where = in_scope(user, REVIEW_ACCESS, "unit")
    if where is None:
        return None
    return AccessAlert.objects.filter(where, public_id=public_id).select_related("person", "unit").first()
