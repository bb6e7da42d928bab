"""My concerns: the concerns a person raised with their name, and those the team has written to them on."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from candour.people.models import User
from candour.speakup.models import Concern, Entry, Status
from candour.speakup.services import CONVERSATION

# What My concerns can be narrowed to: what the home page's card counts.
REPLIES = "replies"


def my_concerns(user: User, *, replies_only: bool = False) -> QuerySet[Concern]:
    """The concerns the user raised with their name, newest first; with `replies_only`, those where the team
    wrote last, on cases still open or closed without the user's answer about speaking up again."""
    concerns = Concern.objects.filter(raised_by=user)
    if replies_only:
        conversation = Entry.objects.filter(concern=OuterRef("pk"), type__in=CONVERSATION)
        concerns = (
            concerns.filter(~Q(status=Status.CLOSED) | Q(speak_up_again=""))
            .annotate(last_words=Subquery(conversation.order_by("-sequence").values("type")[:1]))
            .filter(last_words=Entry.Type.MESSAGE_TO_REPORTER)
        )
    return concerns.order_by("-received_on", "reference")
