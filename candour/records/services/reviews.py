"""Record reviews: the feedback loop. A clinical audit lead tells one of a record's authors which mandatory
elements it was missing and why they matter; the author acknowledges it. Each step is audited, the
reviewer's words kept encrypted and out of the audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import require_reach
from candour.people.models import Person
from candour.records.access import SEND_REVIEWS
from candour.records.models import PatientRecord, RecordReview


@transaction.atomic
def send_review(
    *, by, record: PatientRecord, clinician: Person, missing: list[str], why: str
) -> RecordReview:
    """Send one of the record's authors a review of the elements it was missing."""
    record = PatientRecord.objects.select_for_update().get(pk=record.pk)
    require_reach(by, SEND_REVIEWS, record)
    problems = []
    if clinician.staff_number not in record.authors:
        problems.append(
            Refused(
                f"{clinician.full_name} is not an author of record {record.record_id}.", field="clinician"
            )
        )
    absent = [code for code, present in record.completeness.items() if not present]
    if not missing:
        problems.append(Refused("Select at least one element the record was missing.", field="missing"))
    elif any(code not in absent for code in missing):
        wrong = next(code for code in missing if code not in absent)
        problems.append(
            Refused(f"Record {record.record_id} is not missing {wrong.replace('_', ' ')}.", field="missing")
        )
    if not why.strip():
        problems.append(Refused("Say why the missing elements matter.", field="why"))
    if problems:
        raise Refused.several(problems)
    review = RecordReview.objects.create(
        record=record,
        clinician=clinician,
        missing=[code for code in absent if code in missing],
        why=why.strip(),
        sent_by=by,
    )
    audit.record(
        action="sent_record_review",
        actor=by,
        target=review,
        summary=f"Review of record {record.record_id} sent to staff number {clinician.staff_number}",
        changes={"record": record.record_id, "missing": review.missing, "why": "[set]"},
    )
    return review


@transaction.atomic
def acknowledge_review(*, by, review: RecordReview) -> RecordReview:
    """The author's acknowledgement of a review sent to them; a second acknowledgement changes nothing."""
    review = RecordReview.objects.select_for_update().select_related("record").get(pk=review.pk)
    if by.person_id is None or by.person_id != review.clinician_id:
        raise Refused("Only the person the review was sent to can acknowledge it.")
    if review.acknowledged_at is not None:
        return review
    review.acknowledged_at = timezone.now()
    review.save(update_fields=["acknowledged_at", "updated_at"])
    audit.record(
        action="acknowledged_record_review",
        actor=by,
        target=review,
        summary=f"Review of record {review.record.record_id} acknowledged",
    )
    return review
