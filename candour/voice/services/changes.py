"""You said, we did: what changed because of what staff said, published to a unit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.models import OrgUnit, User
from candour.voice.models import (
    Pulse,
    YouSaidWeDid,
)
from candour.voice.services.pulses import lead_scope

# You said, we did


@transaction.atomic
def publish_change(
    *,
    by: User,
    unit: OrgUnit,
    you_said: str,
    we_did: str,
    pulse: Pulse | None = None,
    published_on: dt.date | None = None,
) -> YouSaidWeDid:
    """Tell staff in a unit (the trust, or an area) what changed because of what they said."""
    scope = lead_scope(by)
    if unit.kind == OrgUnit.Kind.STATION or not scope.covers(unit):
        raise PermissionDenied
    if not you_said.strip() or not we_did.strip():
        raise Refused("Enter what staff said and what was done")
    if pulse is not None and not scope.covers(pulse.unit):
        raise PermissionDenied
    change = YouSaidWeDid.objects.create(
        pulse=pulse,
        unit=unit,
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        published_on=published_on or timezone.localdate(),
        published_by=by,
    )
    audit.record(
        action="published_you_said_we_did",
        actor=by,
        target=change,
        summary=f"For {unit.name}",
        changes={"unit": unit.code, "pulse": str(pulse.public_id) if pulse else None},
    )
    return change
