"""Records on the home page: access alerts waiting for the information governance lead, and paper records
overdue at the records office for those who work custody."""

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.people.access import can
from candour.records.access import MANAGE_CUSTODY, REVIEW_ACCESS
from candour.records.queries import alerts_for, custody_exceptions


@provider
def access_alerts_to_review(user):
    """Open access alerts the user may review."""
    if not can(user, REVIEW_ACCESS):
        return
    waiting = alerts_for(user).count()
    if waiting:
        yield AttentionItem(
            "Access alerts to review",
            "Opening of patient records that a monitoring rule found unusual.",
            reverse("records:list_access_alerts"),
            waiting,
        )


@provider
def paper_records_overdue(user):
    """Paper records overdue for the records office or for scanning, in the user's scope."""
    if not can(user, MANAGE_CUSTODY):
        return
    overdue = len(custody_exceptions(user))
    if overdue:
        yield AttentionItem(
            "Paper records overdue",
            "Not received at the records office, or not scanned, in time.",
            reverse("records:list_custody_exceptions"),
            overdue,
        )
