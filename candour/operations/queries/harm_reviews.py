"""Harm reviews for those who see and work them: the worklist (to review, overdue, completed) with its
counts, one review, its incident's timeline, and how many long waits await review on the overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import TextChoices

from candour.core.tags import tag_colours
from candour.operations.access import VIEW_HARM_REVIEWS
from candour.operations.models import CadIncident, HarmGrade, HarmReview, ReviewStatus
from candour.people.access import scope_of

PAGE_SIZE = 50
TO_REVIEW, OVERDUE, COMPLETED = "open", "overdue", "completed"
SHOWS = (TO_REVIEW, OVERDUE, COMPLETED)


@tag_colours({"open": "blue", "overdue": "red", "completed": "green"})
class ReviewState(TextChoices):
    OPEN = "open", "To review"
    OVERDUE = "overdue", "Overdue"
    COMPLETED = "completed", "Completed"


def review_state(review: HarmReview, today: dt.date) -> ReviewState:
    if review.status == ReviewStatus.COMPLETED:
        return ReviewState.COMPLETED
    return ReviewState.OVERDUE if review.due_on < today else ReviewState.OPEN


@dataclass(frozen=True)
class ReviewRow:
    public_id: str
    incident_id: str
    station: str
    call_connected: dt.datetime
    reason: str
    due_on: dt.date
    state: ReviewState
    grade: HarmGrade | None


@dataclass(frozen=True)
class Worklist:
    show: str
    to_review: int
    overdue: int
    page: Page
    rows: list[ReviewRow]


def _reviews(user):
    return HarmReview.objects.for_scope(scope_of(user, VIEW_HARM_REVIEWS))


def worklist(user, *, show: str, today: dt.date, page: str | None = None) -> Worklist:
    """The reviews the user may see, due first (completed ones newest first), with the counts that lead to
    the open and the overdue ones."""
    reviews = _reviews(user)
    if show == COMPLETED:
        shown = reviews.filter(status=ReviewStatus.COMPLETED).order_by("-completed_at")
    elif show == OVERDUE:
        shown = reviews.overdue(today)
    else:
        shown = reviews.open()
    shown = shown.select_related("incident__station")
    listed = Paginator(shown, PAGE_SIZE).get_page(page)
    rows = [
        ReviewRow(
            public_id=str(review.public_id),
            incident_id=review.incident.incident_id,
            station=review.incident.station.name,
            call_connected=review.incident.call_connected,
            reason=review.reason,
            due_on=review.due_on,
            state=review_state(review, today),
            grade=review.grade_member,
        )
        for review in listed.object_list
    ]
    return Worklist(
        show=show,
        to_review=reviews.open().count(),
        overdue=reviews.overdue(today).count(),
        page=listed,
        rows=rows,
    )


def awaiting_review(scope) -> int:
    """Long waits at the scope's stations whose review is not yet complete."""
    return HarmReview.objects.for_scope(scope).open().count()


def review_for(user, public_id) -> HarmReview | None:
    """One review the user may see, or None."""
    return (
        _reviews(user)
        .filter(public_id=public_id)
        .select_related("incident__station", "incident__hospital", "reviewer")
        .first()
    )


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    what: str
    # The new category, for a re-triage.
    category: str = ""


# Every event the CAD gives an incident, in the order they happen when nothing goes wrong: events at the
# same second keep this order, and re-triages come after the resource assigned.
_EVENTS = (
    ("call_connected", "Call connected"),
    ("chief_complaint_identified", "Chief complaint identified"),
    ("first_assigned", "First resource assigned"),
    ("first_on_scene", "First resource on scene"),
    ("first_transport_on_scene", "First transport-capable resource on scene"),
    ("interpreter_joined", "Interpreter joined the call"),
    ("arrived_at_hospital", "Arrived at hospital"),
    ("handover_complete", "Handover complete"),
    ("crew_clear", "Crew clear"),
)
# Re-triages at the same second as another event come after the first resource assigned, before on scene.
_RETRIAGE_ORDER = [field for field, _ in _EVENTS].index("first_assigned") + 0.5


def timeline(incident: CadIncident) -> list[TimelineEvent]:
    """The incident's CAD events that happened, every re-triage among them, in time order."""
    details = {
        "arrived_at_hospital": f"Arrived at {incident.hospital.name if incident.hospital else 'hospital'}",
        "interpreter_joined": f"{incident.interpreter_language or 'An'} interpreter joined the call",
    }
    # (when, order at the same second, position among re-triages, the event)
    happened = [
        (at, order, 0, TimelineEvent(at, details.get(field, label)))
        for order, (field, label) in enumerate(_EVENTS)
        if (at := getattr(incident, field)) is not None
    ]
    in_force = incident.category
    for retriage in incident.retriages.all():
        what = f"Re-triaged from {in_force} to {retriage.category}"
        event = TimelineEvent(retriage.at, what, retriage.category)
        happened.append((retriage.at, _RETRIAGE_ORDER, retriage.position, event))
        in_force = retriage.category
    return [event for *_, event in sorted(happened, key=lambda each: each[:3])]
