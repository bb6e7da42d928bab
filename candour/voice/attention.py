"""Staff voice on the home page: pulses waiting for an answer, and what changed because staff spoke."""

from urllib.parse import urlencode

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.voice.queries import RECENT, TO_ANSWER, pulses_for, recent_changes_for


@provider
def pulses_to_answer(user):
    """Open pulses the user has not answered yet."""
    waiting = pulses_for(user, to_answer_only=True)
    if waiting:
        yield AttentionItem(
            "Pulses to answer",
            "Short, anonymous questions about working here. Each takes a minute or two.",
            f"{reverse('voice:list_my_pulses')}?{urlencode({'show': TO_ANSWER})}",
            len(waiting),
        )


@provider
def you_said_we_did(user):
    """What leaders changed recently because of what staff said."""
    recent = list(recent_changes_for(user)[:1])
    if recent:
        count = recent_changes_for(user).count()
        yield AttentionItem(
            "You said, we did",
            f"What changed because staff spoke up. Latest: {_shorten(recent[0].we_did)}",
            f"{reverse('voice:list_changes')}?{urlencode({'show': RECENT})}",
            count,
        )


def _shorten(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"
