"""The case chronology's one writer: every entry, from whichever use case, is numbered and dated here."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from candour.people.models import User
from candour.speakup.models import (
    Concern,
    Entry,
)


def add_to_chronology(
    concern: Concern, *, type: str, body: str, author: User | None, event_on=None, corrects=None
) -> Entry:
    """Write the case's next entry, recorded today (it may say it happened earlier)."""
    last = concern.entries.aggregate(last=Max("sequence"))["last"] or 0
    today = timezone.localdate()
    return Entry.objects.create(
        concern=concern,
        sequence=last + 1,
        type=type,
        event_on=event_on or today,
        recorded_on=today,
        author=author,
        body=body,
        corrects=corrects,
    )
