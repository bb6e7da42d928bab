"""Harm reviews of long waits: opened when an imported incident is a long wait (one per incident, never
reopened), and by a nightly sweep of the stored incidents so that a lowered threshold reaches those already
imported; completed by a reviewer with the harm graded on the national scale (moderate or worse raised as a
patient safety concern through speak-up); and escalated once each when overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit, outbox
from candour.core.formatting import local_date
from candour.core.refusals import Refused
from candour.operations.access import COMPLETE_HARM_REVIEWS
from candour.operations.long_waits import any_c2_limit, long_wait, long_waits, thresholds
from candour.operations.models import (
    MODERATE_OR_WORSE,
    CadIncident,
    HarmGrade,
    HarmReview,
    Retriage,
    ReviewStatus,
)
from candour.people.access import require_reach
from candour.people.models import Membership
from candour.people.roles import Role
from candour.speakup import services as speakup

CHUNK = 2_000
# Who hears of an overdue review: the quality and governance lead and the executives (the medical director
# among them) over the incident's station.
ESCALATED_TO = (Role.QUALITY_LEAD, Role.EXECUTIVE)


@transaction.atomic
def open_reviews(*, incident_ids: Iterable[str]) -> int:
    """Open a review for each of these incidents (by CAD incident id) that is a long wait and has none yet:
    an incident keeps the one review it has, open or completed, however often it is imported. Returns how
    many were opened."""
    ids = sorted(set(incident_ids))
    opened = sum(
        _open_reviews_of(CadIncident.objects.filter(incident_id__in=ids[start : start + CHUNK]))
        for start in range(0, len(ids), CHUNK)
    )
    _record_opened(opened, system="long wait thresholds")
    return opened


@transaction.atomic
def sweep_long_waits() -> int:
    """Open a review for every stored incident that is a long wait under the thresholds in force and has
    none: after a threshold is lowered, the incidents already imported that are over it get theirs. A few
    queries for each CHUNK of incidents found, none for those that are not; run again, it opens nothing.
    Returns how many were opened."""
    found = list(
        CadIncident.objects.filter(harm_review__isnull=True)
        .filter(long_waits())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    opened = sum(
        _open_reviews_of(CadIncident.objects.filter(pk__in=found[start : start + CHUNK]))
        for start in range(0, len(found), CHUNK)
    )
    _record_opened(
        opened,
        system="long wait sweep",
        thresholds_minutes={category.value: seconds // 60 for category, seconds in thresholds().items()},
        any_c2_over_minutes=any_c2_limit() // 60,
    )
    return opened


def _open_reviews_of(incidents) -> int:
    """Open the reviews of those of these incidents (a few thousand at most) that are long waits with none."""
    now = timezone.now()
    due_on = timezone.localdate(now) + dt.timedelta(days=settings.CANDOUR_HARM_REVIEW_DUE_DAYS)
    rows = list(
        incidents.filter(harm_review__isnull=True).values_list(
            "pk", "category", "counted_category", "response_seconds", "long_wait"
        )
    )
    coded_as = defaultdict(set)
    for pk, category in Retriage.objects.filter(incident_id__in=[row[0] for row in rows]).values_list(
        "incident_id", "category"
    ):
        coded_as[pk].add(category)
    new = []
    for pk, category, counted_category, response_seconds, flagged in rows:
        wait = long_wait(
            coded_as={category, *coded_as[pk]},
            counted_category=counted_category,
            response_seconds=response_seconds,
            flagged_by_cad=flagged,
        )
        if wait is not None:
            new.append(
                HarmReview(
                    incident_id=pk,
                    reason=wait.reason,
                    threshold_seconds=wait.threshold_seconds,
                    opened_at=now,
                    due_on=due_on,
                )
            )
    HarmReview.objects.bulk_create(new)
    return len(new)


def _record_opened(opened: int, *, system: str, **changes) -> None:
    if opened:
        audit.record(
            action="opened_harm_reviews",
            system=system,
            summary=f"{opened} harm review{'' if opened == 1 else 's'} of long waits opened",
            changes={"opened": opened, **changes},
        )


def viewed(*, by, review: HarmReview) -> None:
    """Someone opened a review: it holds what happened to a patient, so each view is on the record."""
    audit.viewed(actor=by, target=review, summary=f"Harm review of incident {review.incident.incident_id}")


@transaction.atomic
def complete_review(
    *, by, review: HarmReview, patient_outcome: str, harm_grade: str, panel_decision: str, learning: str
) -> HarmReview:
    """The reviewer's findings on a long wait. Moderate harm or worse is raised as a patient safety and
    quality concern (the trust's incident process), named by the incident, never by the patient."""
    review = HarmReview.objects.select_for_update().select_related("incident__station").get(pk=review.pk)
    require_reach(by, COMPLETE_HARM_REVIEWS, review)
    if review.status != ReviewStatus.OPEN:
        raise Refused(f"This review was already completed on {local_date(review.completed_at)}.")
    problems = {}
    if not patient_outcome.strip():
        problems["patient_outcome"] = "Say what happened to the patient"
    if harm_grade not in HarmGrade.values:
        problems["harm_grade"] = "Select the harm the wait caused"
    if not panel_decision.strip():
        problems["panel_decision"] = "Say what the panel decided"
    if not learning.strip():
        problems["learning"] = "Say what was learned, or that nothing was"
    if problems:
        raise Refused.from_problems(problems)
    grade = HarmGrade(harm_grade)
    incident = review.incident
    if grade in MODERATE_OR_WORSE:
        raised = speakup.raise_concern(
            by=by,
            kind=speakup.Kind.PATIENT_SAFETY,
            identity=speakup.Identity.OPEN,
            subject_type=speakup.Subject.PROCESS,
            narrative=(
                f"A long wait: incident {incident.incident_id} ({review.reason}). Its harm review found "
                f"{grade.label.lower()}. The panel's decision and the learning are on the review in Candour."
            ),
            station=incident.station,
            occurred_on=timezone.localdate(incident.call_connected),
        )
        review.concern_reference = raised.concern.reference
    review.status = ReviewStatus.COMPLETED
    review.patient_outcome = patient_outcome.strip()
    review.harm_grade = grade
    review.panel_decision = panel_decision.strip()
    review.learning = learning.strip()
    review.reviewer = by
    review.completed_at = timezone.now()
    review.save()
    audit.record(
        action="completed_harm_review",
        actor=by,
        target=review,
        summary=f"Harm review of incident {incident.incident_id} completed: {grade.label.lower()}",
        changes={
            "harm_grade": grade.value,
            "concern": review.concern_reference,
            "patient_outcome": "[changed]",
            "panel_decision": "[changed]",
            "learning": "[changed]",
        },
    )
    return review


@transaction.atomic
def escalate_overdue_reviews(*, today: dt.date) -> int:
    """Tell the quality lead and the executives over each review's station of the reviews past their due
    date, each review once (one email per person, listing theirs). Returns how many reviews."""
    overdue = list(
        HarmReview.objects.select_for_update(of=("self",))
        .overdue(today)
        .filter(escalated_at__isnull=True)
        .select_related("incident__station")
        .order_by("due_on", "opened_at")
    )
    if not overdue:
        return 0
    by_email: dict[str, list[HarmReview]] = defaultdict(list)
    for review in overdue:
        for email in _escalated_to(review.incident.station):
            by_email[email].append(review)
    outbox.send(
        [
            ("Candour: harm reviews of long waits overdue", _escalation_body(reviews), None, [email])
            for email, reviews in sorted(by_email.items())
        ]
    )
    now = timezone.now()
    for review in overdue:
        review.escalated_at = review.updated_at = now
        audit.record(
            action="escalated_harm_review",
            system="harm review due dates",
            target=review,
            summary=f"Harm review of incident {review.incident.incident_id} overdue since {review.due_on}",
        )
    HarmReview.objects.bulk_update(overdue, ["escalated_at", "updated_at"])
    return len(overdue)


def _escalated_to(station) -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(role__in=ESCALATED_TO, unit_id__in=station.lineage_ids, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def _escalation_body(reviews: list[HarmReview]) -> str:
    lines = [
        f"- Incident {review.incident.incident_id} at {review.incident.station.name}, due "
        f"{local_date(review.due_on)}"
        for review in reviews
    ]
    count = len(reviews)
    return (
        f"{count} harm review{'' if count == 1 else 's'} of long waits {'is' if count == 1 else 'are'} past "
        "the due date and not completed:\n\n" + "\n".join(lines) + "\n\nSign in to Candour to read more."
    )
