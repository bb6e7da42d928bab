"""Read models for the administrators' integration pages."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from candour.api.models import ApiKey, Integration
from candour.people.access import Scope
from candour.people.models import OrgUnit


def integrations_in_scope(scope: Scope):
    """Integrations of the trusts in scope, each with how many of its keys are live."""
    now = timezone.now()
    live = Q(keys__revoked_at__isnull=True, keys__expires_at__gt=now)
    return Integration.objects.filter(trust_id__in=scope.unit_ids).annotate(
        live_keys=Count("keys", filter=live)
    )


def trust_in_scope(scope: Scope) -> OrgUnit | None:
    """The trust a trust-wide administrator looks after; None for anyone whose reach is narrower."""
    if not scope.trust_wide:
        return None
    return OrgUnit.objects.filter(pk__in=scope.unit_ids, kind=OrgUnit.Kind.TRUST).order_by("pk").first()


def keys_of(integration: Integration):
    return ApiKey.objects.filter(integration=integration).prefetch_related("units").order_by("-created_at")


def units_for_keys(integration: Integration) -> list[OrgUnit]:
    """What a key may be let read: the trust, and its areas (each with its stations)."""
    trust = integration.trust
    return [trust, *OrgUnit.objects.filter(parent=trust, kind=OrgUnit.Kind.AREA).order_by("name")]
