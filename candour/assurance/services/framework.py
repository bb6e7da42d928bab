"""Assurance services: the CQC framework. The only code that writes self-assessments, measure bindings,
rating overrides, regulatory breaches and published inspection ratings; each write is audited.

The framework is the trust's own (a deployment is one trust), so writing needs the permission over the
whole trust: `assurance.self_assess` to self-assess, `assurance.manage_framework` for everything else.
STANDARDS.md §2: "Always store an override with a reason", and a statement is "scored 1-4 (significant
shortfalls / some shortfalls / good / exceptional)".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.assurance.access import MANAGE_FRAMEWORK, SELF_ASSESS
from candour.assurance.evidence import ThresholdError, Thresholds
from candour.assurance.models import (
    EvidenceLink,
    InspectionRating,
    KeyQuestion,
    MeasureBinding,
    QualityStatement,
    Rating,
    RatingOverride,
    RegulatoryBreach,
    Score,
    SelfAssessment,
)
from candour.core import audit
from candour.core.measures import Direction, exists, get
from candour.core.refusals import Refused
from candour.people.access import scope_of
from candour.people.models import CoreService, User

TRUST_LABEL = "the trust"


class FrameworkRefused(Refused):
    """A change to the framework that cannot be made: the reason to show, and the form field to show it by
    (None: the form). The one refusal (core.refusals), with the field passed by position as here it always
    has been."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def require_trust_wide(user: User, permission: str) -> None:
    """The framework belongs to the whole trust: only someone holding the permission trust-wide changes it."""
    if not scope_of(user, permission).trust_wide:
        raise PermissionDenied


def slot_label(core_service: CoreService | None, key_question: str = "") -> str:
    where = core_service.name if core_service else "Trust"
    return f"{where}: {KeyQuestion(key_question).label if key_question else 'Overall'}"


def check_measure_key(key: str, field: str = "measure_key") -> None:
    if not exists(key):
        raise FrameworkRefused(
            f"No measure is registered with the key {key!r}: choose one from the list", field
        )


@dataclass(frozen=True)
class DocumentEvidence:
    title: str
    location: str = ""


@transaction.atomic
def record_self_assessment(
    *,
    by: User,
    statement: QualityStatement,
    core_service: CoreService | None,
    score: int,
    narrative: str,
    measure_keys: Sequence[str] = (),
    documents: Sequence[DocumentEvidence] = (),
    assessed_on: dt.date | None = None,
) -> SelfAssessment:
    """Score a quality statement for a core service (or, for well-led, for the trust itself). A new row
    each time: the history is kept and the latest on or before a day is the one in force."""
    require_trust_wide(by, SELF_ASSESS)
    if score not in Score.values:
        raise FrameworkRefused("Choose a score from 1 (significant shortfalls) to 4 (exceptional)", "score")
    if not narrative.strip():
        raise FrameworkRefused("Enter the narrative: what the score rests on", "narrative")
    if core_service is None and statement.key_question != KeyQuestion.WELL_LED:
        raise FrameworkRefused(
            "The trust assesses itself only on well-led; score this statement for a core service"
        )
    for key in measure_keys:
        check_measure_key(key, "measure_keys")
    for document in documents:
        if not document.title.strip():
            raise FrameworkRefused("Enter a title for each document", "documents")
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise FrameworkRefused("The date assessed must be today or in the past", "assessed_on")

    assessment = SelfAssessment.objects.create(
        quality_statement=statement,
        core_service=core_service,
        score=score,
        narrative=narrative.strip(),
        assessed_on=assessed_on,
        assessed_by=by,
    )
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(assessment=assessment, measure_key=key) for key in dict.fromkeys(measure_keys)]
        + [
            EvidenceLink(
                assessment=assessment,
                document_title=doc.title.strip(),
                document_location=doc.location.strip(),
            )
            for doc in documents
        ]
    )
    audit.record(
        action="self_assessed",
        actor=by,
        target=assessment,
        summary=f"{statement.title} ({core_service.name if core_service else 'trust'}): {score}",
        changes={
            "statement": statement.code,
            "core_service": core_service.slug if core_service else "trust",
            "score": score,
            "narrative": True,
            "assessed_on": assessed_on,
            "measures": list(dict.fromkeys(measure_keys)),
            "documents": [doc.title for doc in documents],
        },
    )
    return assessment


@transaction.atomic
def bind_measure(
    *,
    by: User,
    statement: QualityStatement,
    measure_key: str,
    score_2_from: float,
    score_3_from: float,
    score_4_from: float,
) -> MeasureBinding:
    """Bind a registered measure to a statement with its thresholds, or change the thresholds of one bound
    already. The thresholds must run the way the measure improves (see `candour.assurance.evidence`)."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    check_measure_key(measure_key)
    measure = get(measure_key)
    thresholds = Thresholds(score_2_from, score_3_from, score_4_from)
    try:
        thresholds.validate(measure.direction)
    except ThresholdError as error:
        field = "measure_key" if measure.direction == Direction.NEITHER else "score_2_from"
        raise FrameworkRefused(str(error), field) from None

    binding, created = MeasureBinding.objects.select_for_update().update_or_create(
        quality_statement=statement,
        measure_key=measure_key,
        defaults={
            "score_2_from": score_2_from,
            "score_3_from": score_3_from,
            "score_4_from": score_4_from,
            "bound_by": by,
        },
    )
    audit.record(
        action="bound_measure" if created else "changed_binding_thresholds",
        actor=by,
        target=binding,
        summary=f"{measure_key} → {statement.title}",
        changes={
            "statement": statement.code,
            "measure_key": measure_key,
            "score_2_from": score_2_from,
            "score_3_from": score_3_from,
            "score_4_from": score_4_from,
        },
    )
    return binding


@transaction.atomic
def remove_binding(*, by: User, binding: MeasureBinding) -> None:
    require_trust_wide(by, MANAGE_FRAMEWORK)
    audit.record(
        action="removed_binding",
        actor=by,
        target=binding,
        summary=f"{binding.measure_key} → {binding.quality_statement.title}",
        changes={"statement": binding.quality_statement.code, "measure_key": binding.measure_key},
    )
    binding.delete()


@transaction.atomic
def record_override(
    *,
    by: User,
    core_service: CoreService | None,
    key_question: str,
    rating: str,
    reason: str,
    decided_on: dt.date | None = None,
) -> RatingOverride:
    """Depart from the default rating of a slot, with the reason; a blank rating lifts the override."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    if key_question and key_question not in KeyQuestion.values:
        raise FrameworkRefused("Choose a key question, or overall", "key_question")
    if rating and rating not in Rating.values:
        raise FrameworkRefused("Choose a rating, or lift the override", "rating")
    if not reason.strip():
        raise FrameworkRefused("Enter the reason: every departure from the default needs one", "reason")
    decided_on = decided_on or timezone.localdate()
    override = RatingOverride.objects.create(
        core_service=core_service,
        key_question=key_question,
        rating=rating,
        reason=reason.strip(),
        decided_on=decided_on,
        decided_by=by,
    )
    audit.record(
        action="overrode_rating" if rating else "lifted_rating_override",
        actor=by,
        target=override,
        summary=slot_label(core_service, key_question),
        changes={"rating": rating or None, "reason": reason.strip(), "decided_on": decided_on},
    )
    return override


@transaction.atomic
def record_breach(
    *,
    by: User,
    core_service: CoreService | None,
    key_question: str,
    regulation: str,
    description: str,
    found_on: dt.date,
) -> RegulatoryBreach:
    """Record a regulatory breach; while it is open it caps its key question (and service) at RI."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    if key_question not in KeyQuestion.values:
        raise FrameworkRefused("Choose the key question the breach was found in", "key_question")
    if found_on > timezone.localdate():
        raise FrameworkRefused("The date found must be today or in the past", "found_on")
    breach = RegulatoryBreach.objects.create(
        core_service=core_service,
        key_question=key_question,
        regulation=regulation.strip(),
        description=description.strip(),
        found_on=found_on,
        recorded_by=by,
    )
    audit.record(
        action="recorded_breach",
        actor=by,
        target=breach,
        summary=f"{regulation.strip()} - {slot_label(core_service, key_question)}",
        changes={"regulation": regulation.strip(), "found_on": found_on},
    )
    return breach


@transaction.atomic
def resolve_breach(*, by: User, breach: RegulatoryBreach, resolved_on: dt.date) -> RegulatoryBreach:
    require_trust_wide(by, MANAGE_FRAMEWORK)
    breach = RegulatoryBreach.objects.select_for_update().get(pk=breach.pk)
    if breach.resolved_on:
        raise FrameworkRefused("This breach is already resolved")
    if resolved_on < breach.found_on:
        raise FrameworkRefused(
            "The date resolved must be on or after the date the breach was found", "resolved_on"
        )
    if resolved_on > timezone.localdate():
        raise FrameworkRefused("The date resolved must be today or in the past", "resolved_on")
    breach.resolved_on = resolved_on
    breach.save(update_fields=["resolved_on", "updated_at"])
    audit.record(
        action="resolved_breach",
        actor=by,
        target=breach,
        summary=breach.regulation,
        changes={"resolved_on": resolved_on},
    )
    return breach


@transaction.atomic
def record_inspection_ratings(
    *,
    by: User,
    published_on: dt.date,
    core_service: CoreService | None,
    ratings: dict[str, str],
    report_reference: str = "",
) -> list[InspectionRating]:
    """Record the ratings CQC published for a core service (or the trust) on a day: key question (or "" for
    overall) → rating. Earlier ones are kept, so ratings can be compared over time."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    if published_on > timezone.localdate():
        raise FrameworkRefused("The date published must be today or in the past", "published_on")
    unknown = [slot for slot in ratings if slot and slot not in KeyQuestion.values]
    if unknown or any(rating not in Rating.values for rating in ratings.values()):
        raise FrameworkRefused("Choose each rating from the list")
    if not ratings:
        raise FrameworkRefused("Enter at least one rating")
    rows = InspectionRating.objects.bulk_create(
        [
            InspectionRating(
                published_on=published_on,
                core_service=core_service,
                key_question=key_question,
                rating=rating,
                report_reference=report_reference.strip(),
                recorded_by=by,
            )
            for key_question, rating in ratings.items()
        ]
    )
    for row in rows:
        audit.record(
            action="recorded_inspection_rating",
            actor=by,
            target=row,
            summary=slot_label(core_service, row.key_question),
            changes={"rating": row.rating, "published_on": published_on, "report": row.report_reference},
        )
    return rows
