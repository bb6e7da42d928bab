"""Learning tasks: briefings. Daily chasers for briefings not yet acknowledged.

An email carries titles, dates and links only, never a briefing's text: mail leaves the trust's systems.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from candour.core import outbox
from candour.core.formatting import local_date
from candour.core.scheduling import daily
from candour.learning.services import briefings as services


def chaser_message(chaser: services.Chaser) -> tuple[str, str, str, list[str]]:
    base = settings.CANDOUR_BASE_URL.rstrip("/")
    count = len(chaser.briefings)
    lines = [
        f"You have {count} briefing{'s' if count != 1 else ''} to read and acknowledge in Candour:",
        "",
    ]
    for briefing in chaser.briefings:
        link = base + reverse("learning:show_briefing", kwargs={"briefing_id": briefing.public_id})
        lines += [
            f"- {briefing.title} (acknowledge by {local_date(briefing.acknowledge_by)})",
            f"  {link}",
            "",
        ]
    lines.append("Sign in to read them and confirm you have understood them.")
    subject = "Candour: briefings to read" if count != 1 else "Candour: a briefing to read"
    return subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [chaser.email]


@daily("07:00", name="learning.chase_unread_briefings")
@task()
def chase_unread_briefings() -> int:
    """One email per person due a chaser; returns how many were queued."""
    with transaction.atomic():
        # Recorded and queued together: the outbox sends each email once, after this commits.
        chasers = services.chase_unread_briefings(today=timezone.localdate())
        outbox.send([chaser_message(chaser) for chaser in chasers])
    return len(chasers)


@daily("01:00", name="learning.reach_briefing_joiners")
@task()
def reach_briefing_joiners() -> int:
    """Starters whose first day is today, and anyone else now in a recent briefing's audience who was not
    sent it; returns how many it reached."""
    return services.reach_joiners(today=timezone.localdate())
