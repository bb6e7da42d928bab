"""What speak-up asks users to look at on their home page. Each card counts with the same query as the
list it leads to, filtered the same way, so the list shows exactly the rows the card counted."""

from urllib.parse import urlencode

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.people.access import can
from candour.speakup.access import WORK_SAFEGUARDING, works_cases
from candour.speakup.queries import day, inbox, mine, patterns


def _url(name: str, **filters) -> str:
    return f"{reverse(name)}?{urlencode(filters)}" if filters else reverse(name)


@provider
def concerns_to_triage(user):
    """Leads see new concerns waiting for triage; overdue ones are urgent."""
    if not works_cases(user):
        return
    overdue = inbox.matching(user, triage=inbox.TRIAGE_OVERDUE).count()
    waiting = inbox.matching(user, triage=inbox.TRIAGE_WAITING).count()
    if overdue:
        yield AttentionItem(
            "Triage overdue",
            "Concerns have waited longer than the triage deadline. They have been escalated.",
            _url("speakup:list_inbox", triage=inbox.TRIAGE_OVERDUE),
            overdue,
            urgent=True,
        )
    if waiting:
        yield AttentionItem(
            "New concerns to triage",
            "Concerns waiting for you to triage.",
            _url("speakup:list_inbox", triage=inbox.TRIAGE_WAITING),
            waiting,
        )


@provider
def new_messages_from_reporters(user):
    """Cases where the person who raised the concern has written and no one has answered yet."""
    if not works_cases(user):
        return
    count = inbox.matching(user, messages=inbox.NEW_MESSAGES).count()
    if count:
        yield AttentionItem(
            "New messages from people who raised concerns",
            "They are waiting for an answer, on open cases and on cases closed before they wrote.",
            _url("speakup:list_inbox", messages=inbox.NEW_MESSAGES),
            count,
        )


@provider
def my_overdue_tasks(user):
    """Case tasks past their due date for this user, on cases they may still open."""
    if not works_cases(user):
        return
    count = day.open_tasks(user, owner=day.MINE, due=day.OVERDUE).count()
    if count:
        yield AttentionItem(
            "Case tasks overdue",
            "Tasks on your cases are past their due date.",
            _url("speakup:list_tasks", owner=day.MINE, due=day.OVERDUE),
            count,
            urgent=True,
        )


@provider
def patterns_to_review(user):
    """Patterns of low-level concerns, for the safeguarding lead only, in their area and never about
    themselves or someone they manage."""
    if not can(user, WORK_SAFEGUARDING):
        return
    count = patterns.in_scope(user).count()
    if count:
        yield AttentionItem(
            "Pattern of low-level concerns",
            "Several low-level concerns about the same person. Together they may cross the harm threshold.",
            _url("speakup:list_patterns"),
            count,
            urgent=True,
        )


@provider
def replies_for_me(user):
    """Someone who raised a concern by name sees when the team has written to them since they last did."""
    waiting = mine.my_concerns(user, replies_only=True).count()
    if waiting:
        yield AttentionItem(
            "A reply about a concern you raised",
            "The team looking into your concern has written to you.",
            _url("speakup:list_my_concerns", show=mine.REPLIES),
            waiting,
        )
