"""Records on the home page: access alerts waiting for the information governance lead, paper records
overdue at the records office for those who work custody, incidents and records not matched in time for the
records leads, and a clinician's own record reviews to acknowledge."""

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.people.access import can
from candour.records.access import MANAGE_CUSTODY, REVIEW_ACCESS, VIEW_OWN_RECORDS, VIEW_RECORDS
from candour.records.queries import (
    NO_RECORD,
    alerts_for,
    custody_exceptions,
    reviews_to_acknowledge,
    unmatched,
)


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


@provider
def record_reviews_to_acknowledge(user):
    """Reviews of the person's own records that wait for them to acknowledge."""
    if not can(user, VIEW_OWN_RECORDS) or user.person_id is None:
        return
    waiting = reviews_to_acknowledge(user.person).count()
    if waiting:
        yield AttentionItem(
            "Record reviews to acknowledge",
            "What a record you wrote was missing, and why it matters.",
            reverse("records:list_my_reviews"),
            waiting,
            link_text="Read them",
        )


@provider
def incidents_without_a_record(user):
    """Attended incidents past the time limit with no patient record, for those who work custody."""
    if not can(user, MANAGE_CUSTODY) or not can(user, VIEW_RECORDS):
        return
    missing = unmatched(user, NO_RECORD).count()
    if missing:
        yield AttentionItem(
            "Attended incidents with no record",
            "Incidents a crew attended with no patient record, past the time limit.",
            f"{reverse('records:list_unmatched')}?kind={NO_RECORD}",
            missing,
        )
