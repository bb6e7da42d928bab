"""Emails about concerns. They never carry sensitive content: what kind of thing is waiting, and a link."""

from django.conf import settings
from django.urls import reverse

from candour.core import outbox
from candour.people.models import Membership, User
from candour.people.roles import Role
from candour.speakup.models import Route

ROUTE_ROLE = {Route.SAFEGUARDING: Role.SAFEGUARDING_LEAD, Route.GUARDIAN: Role.GUARDIAN}


def leads_for(route: str) -> list[User]:
    """Everyone currently holding the lead role for a route."""
    user_ids = Membership.objects.active().filter(role=ROUTE_ROLE[route]).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("email"))


def executives() -> list[User]:
    user_ids = Membership.objects.active().filter(role=Role.EXECUTIVE).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("email"))


def _link(name: str) -> str:
    return settings.CANDOUR_BASE_URL.rstrip("/") + reverse(name)


def send(messages: list[tuple[str, str, list[str]]], *, dates_anonymous_reports: bool = False) -> int:
    """Queue (subject, body, recipients) messages in the outbox, which sends each once after commit.

    A notice of new concerns counts anonymous ones too, so the time it went would date them: it keeps no
    row once sent and queues no delivery task of its own (its periodic job delivers it: ADR 18)."""
    return outbox.send(
        ((subject, body, settings.DEFAULT_FROM_EMAIL, to) for subject, body, to in messages),
        forget_when_sent=dates_anonymous_reports,
        wake_the_worker=not dates_anonymous_reports,
    )


def new_concerns_message(route: str, count: int) -> tuple[str, str, list[str]]:
    noun = "concern is" if count == 1 else "concerns are"
    body = (
        f"{count} new {noun} waiting for triage by the {Route(route).label.lower()}.\n\n"
        f"Open your inbox in Candour: {_link('speakup:list_inbox')}\n\n"
        "This email deliberately contains no details. Sign in to read them."
    )
    return f"Candour: {count} new {noun.split()[0]} to triage", body, [u.email for u in leads_for(route)]


def overdue_triage_message(route: str, count: int) -> tuple[str, str, list[str]]:
    body = (
        f"{count} concern{'s' if count != 1 else ''} for the {Route(route).label.lower()} "
        f"{'have' if count != 1 else 'has'} passed the triage deadline.\n\n"
        f"Inbox: {_link('speakup:list_inbox')}\n\nThis email deliberately contains no details."
    )
    recipients = sorted({u.email for u in leads_for(route) + executives()})
    return "Candour: triage deadline passed", body, recipients


def overdue_task_message(user: User, count: int) -> tuple[str, str, list[str]]:
    body = (
        f"You have {count} overdue case task{'s' if count != 1 else ''}.\n\n"
        f"Your cases: {_link('speakup:list_inbox')}\n\nThis email deliberately contains no details."
    )
    return "Candour: overdue case tasks", body, [user.email]
