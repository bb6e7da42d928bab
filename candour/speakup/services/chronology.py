"""The case chronology's one writer: every entry, from whichever use case, is numbered and dated here."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from candour.people.models import User
from candour.speakup.models import Concern, Entry


def add_to_chronology(
    concern: Concern, *, type: str, body: str, author: User | None, event_on=None, corrects=None
) -> Entry:
    """Write the case's next entry, recorded now (it may say it happened earlier). The case's row is locked
    first, so two entries written at once are numbered one after the other, never both with the same
    number. An anonymous reporter's entry keeps the day only (docs/adr/0006)."""
    list(Concern.objects.select_for_update().filter(pk=concern.pk).values_list("pk", flat=True))
    last = concern.entries.aggregate(last=Max("sequence"))["last"] or 0
    now = timezone.now()
    from_anonymous_reporter = type == Entry.Type.MESSAGE_FROM_REPORTER and concern.is_anonymous
    return Entry.objects.create(
        concern=concern,
        sequence=last + 1,
        type=type,
        event_on=event_on or timezone.localdate(now),
        recorded_on=timezone.localdate(now),
        recorded_at=None if from_anonymous_reporter else now,
        author=author,
        body=body,
        corrects=corrects,
    )
