"""Creating an integration: a system of the trust's that will be issued keys."""

from __future__ import annotations

from django.db import transaction

from candour.api.models import Integration
from candour.core import audit
from candour.core.refusals import Refused
from candour.people.models import OrgUnit, User


@transaction.atomic
def create_integration(*, by: User, trust: OrgUnit, name: str, owner: str, contact: str) -> Integration:
    """Record a system that will call the API, who owns it and whom to contact about it."""
    name = name.strip()
    if Integration.objects.filter(trust=trust, name__iexact=name).exists():
        raise Refused(f"An integration is already called {name}: give this one another name", field="name")
    integration = Integration.objects.create(
        trust=trust, name=name, owner=owner.strip(), contact=contact.strip(), created_by=by
    )
    audit.record(
        action="created",
        actor=by,
        target=integration,
        summary=f"Integration {integration.name} created",
        changes={"name": integration.name, "owner": integration.owner, "contact": integration.contact},
    )
    return integration
