"""Learning attention: briefings waiting to be read and acknowledged."""

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.learning.queries.briefings import UNREAD, unread


@provider
def briefings_to_read(user):
    """Unread briefings for the user; urgent once any is past its acknowledge-by date."""
    waiting = unread(user)
    if not waiting.count:
        return
    description = "Safeguarding briefings to read, and confirm you have understood."
    if waiting.overdue:
        description += " Some are past the date to acknowledge them by."
    yield AttentionItem(
        "Briefings to read",
        description,
        f"{reverse('learning:list_briefings')}?show={UNREAD}",
        waiting.count,
        urgent=bool(waiting.overdue),
    )
