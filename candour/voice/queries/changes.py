"""You said, we did: what changed because of what staff said, for the units a person works in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from candour.people.access import scope_of
from candour.people.models import User
from candour.voice.access import RUN_PULSES
from candour.voice.audience import places_of
from candour.voice.models import (
    YouSaidWeDid,
)


def changes_for(user: User) -> QuerySet[YouSaidWeDid]:
    """What changed, for the units the user works in (their trust and area), and those they publish for."""
    places = places_of(user)
    units = {place.trust_id for place in places} | {place.area_id for place in places}
    units |= set(scope_of(user, RUN_PULSES).unit_ids)
    units.discard(None)
    return YouSaidWeDid.objects.filter(unit_id__in=units).select_related(
        "unit", "pulse", "published_by__person"
    )


def recent_changes_for(user: User) -> QuerySet[YouSaidWeDid]:
    since = timezone.localdate() - dt.timedelta(days=settings.CANDOUR_VOICE_CHANGES_RECENT_DAYS)
    return changes_for(user).filter(published_on__gte=since)
