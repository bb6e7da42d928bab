"""Learning services: apprenticeships. The only code that writes apprenticeships, placements, off-the-job
time, progress reviews, transfers and safeguarding share decisions. Each writes its audit event.

A worrying welfare answer in a review raises a confidential concern routed to the safeguarding team through
speak-up's own service, once per review; the review keeps only the concern's id. Audit events about
reviews name the fields that changed, never the answers: the audit log is read by people who must not learn
from it that an apprentice reported feeling unsafe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.learning.models import (
    Apprenticeship,
    LearningProvider,
    OffTheJobEntry,
    Placement,
    ProgressReview,
    SafeguardingShareDecision,
)
from candour.learning.queries.apprenticeships import (
    CURRENT,
    QUESTIONS,
    is_own,
    is_worrying,
    may_manage,
    missing_answers,
    next_review_due,
)
from candour.people.models import OrgUnit, Person, User
from candour.speakup import services as speakup

Status = Apprenticeship.Status
Answer = ProgressReview.Answer

MAX_WEEKLY_HOURS = Decimal(40)
STATUS_MOVES = {
    Status.IN_LEARNING: {Status.BREAK, Status.WITHDRAWN, Status.COMPLETED},
    Status.BREAK: {Status.IN_LEARNING, Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
    Status.COMPLETED: set(),
    Status.TRANSFERRED: set(),
}


class Party:
    APPRENTICE = "apprentice"
    EMPLOYER = "employer"
    PROVIDER = "provider"


PARTIES = {
    Party.APPRENTICE: "The apprentice",
    Party.EMPLOYER: "The employer or mentor",
    Party.PROVIDER: "The provider or education lead",
}


class ApprenticeshipError(ValidationError):
    """A change the apprenticeship's rules do not allow; the message says why."""


def _require_manager(by: User, apprenticeship: Apprenticeship) -> None:
    if not may_manage(by, apprenticeship):
        raise ApprenticeshipError("You cannot change this apprenticeship.")


def _require_current(apprenticeship: Apprenticeship) -> None:
    if apprenticeship.status not in CURRENT:
        status = apprenticeship.get_status_display().lower()
        raise ApprenticeshipError(f"This apprenticeship is {status}, so it can no longer be changed.")


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise ApprenticeshipError(f"The {what} cannot be in the future.")


def _check_mentor(person: Person, mentor: Person | None) -> None:
    if mentor is not None and mentor.pk == person.pk:
        raise ApprenticeshipError("An apprentice cannot be their own mentor.")


@transaction.atomic
def start_apprenticeship(
    *,
    by: User,
    person: Person,
    standard: str,
    level: int,
    start_date: dt.date,
    planned_end_date: dt.date,
    provider: LearningProvider,
    station: OrgUnit | None = None,
    mentor: Person | None = None,
    contracted_hours_per_week: Decimal = Decimal("37.5"),
) -> Apprenticeship:
    """Record an apprenticeship and schedule its first progress review, 3 months after the start."""
    if planned_end_date <= start_date:
        raise ApprenticeshipError("The planned end date must be after the start date.")
    if person.apprenticeships.filter(status__in=CURRENT).exists():
        raise ApprenticeshipError(f"{person.full_name} already has a current apprenticeship.")
    _check_mentor(person, mentor)
    apprenticeship = Apprenticeship(
        person=person,
        standard=standard,
        level=level,
        start_date=start_date,
        planned_end_date=planned_end_date,
        station=station or person.station,
        mentor=mentor,
        provider=provider,
        contracted_hours_per_week=contracted_hours_per_week,
    )
    _require_manager(by, apprenticeship)
    apprenticeship.save()
    ProgressReview.objects.create(apprenticeship=apprenticeship, due_on=next_review_due(start_date, None))
    audit.record(
        action="started_apprenticeship",
        actor=by,
        target=apprenticeship,
        changes={
            "person": person.staff_number,
            "standard": standard,
            "level": level,
            "provider": provider.name,
        },
    )
    return apprenticeship


@transaction.atomic
def update_apprenticeship(
    *,
    by: User,
    apprenticeship: Apprenticeship,
    station: OrgUnit,
    mentor: Person | None,
    provider: LearningProvider,
    planned_end_date: dt.date,
    contracted_hours_per_week: Decimal,
) -> Apprenticeship:
    """Change what changes during an apprenticeship: station placement, mentor, provider, end date, hours."""
    _require_manager(by, apprenticeship)
    _require_current(apprenticeship)
    _check_mentor(apprenticeship.person, mentor)
    if planned_end_date <= apprenticeship.start_date:
        raise ApprenticeshipError("The planned end date must be after the start date.")
    wanted = {
        "station": station,
        "mentor": mentor,
        "provider": provider,
        "planned_end_date": planned_end_date,
        "contracted_hours_per_week": contracted_hours_per_week,
    }
    changes = {name: str(value) for name, value in wanted.items() if getattr(apprenticeship, name) != value}
    for name, value in wanted.items():
        setattr(apprenticeship, name, value)
    _require_manager(by, apprenticeship)  # the new station must be in the user's scope too
    apprenticeship.save()
    if changes:
        audit.record(action="updated_apprenticeship", actor=by, target=apprenticeship, changes=changes)
    return apprenticeship


def status_moves(apprenticeship: Apprenticeship) -> list[str]:
    """Statuses this apprenticeship may move to here (a transfer has its own page)."""
    return [status for status in Status.values if status in STATUS_MOVES[apprenticeship.status]]


@transaction.atomic
def change_status(
    *, by: User, apprenticeship: Apprenticeship, to: str, effective_on: dt.date
) -> Apprenticeship:
    """Start or end a break in learning, or record a withdrawal or completion, from a date."""
    _require_manager(by, apprenticeship)
    if to not in STATUS_MOVES[apprenticeship.status]:
        raise ApprenticeshipError(
            f"An apprenticeship that is {apprenticeship.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}."
        )
    _not_future(effective_on, "date of the change")
    if effective_on < apprenticeship.start_date:
        raise ApprenticeshipError("The date of the change cannot be before the apprenticeship started.")
    previous = apprenticeship.status
    apprenticeship.status, apprenticeship.status_changed_on = to, effective_on
    apprenticeship.save(update_fields=["status", "status_changed_on", "updated_at"])
    audit.record(
        action="changed_apprenticeship_status",
        actor=by,
        target=apprenticeship,
        changes={"status": to, "previous_status": previous, "effective_on": effective_on},
    )
    return apprenticeship


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week a day falls in: time is logged by the week."""
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def log_off_the_job(
    *, by: User, apprenticeship: Apprenticeship, week_starting: dt.date, hours: Decimal, activity: str
) -> OffTheJobEntry:
    """Log off-the-job training time for a week; the apprentice may log their own."""
    if not (is_own(by, apprenticeship) or may_manage(by, apprenticeship)):
        raise ApprenticeshipError("You cannot log time for this apprenticeship.")
    _require_current(apprenticeship)
    if not Decimal(0) < hours <= MAX_WEEKLY_HOURS:
        raise ApprenticeshipError(f"Hours must be more than 0 and no more than {MAX_WEEKLY_HOURS} in a week.")
    week = week_of(week_starting)
    _not_future(week, "week")
    if week < week_of(apprenticeship.start_date):
        raise ApprenticeshipError("The week cannot be before the apprenticeship started.")
    entry = OffTheJobEntry.objects.create(
        apprenticeship=apprenticeship, week_starting=week, hours=hours, activity=activity
    )
    audit.record(
        action="logged_off_the_job",
        actor=by,
        target=apprenticeship,
        changes={"week_starting": week, "hours": hours},
    )
    return entry


@transaction.atomic
def add_placement(
    *,
    by: User,
    apprenticeship: Apprenticeship,
    setting: str,
    starts_on: dt.date,
    ends_on: dt.date,
    station: OrgUnit | None = None,
) -> Placement:
    """Record a clinical placement with its dates."""
    _require_manager(by, apprenticeship)
    if ends_on < starts_on:
        raise ApprenticeshipError("The placement cannot end before it starts.")
    placement = Placement.objects.create(
        apprenticeship=apprenticeship, setting=setting, station=station, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        action="added_placement",
        actor=by,
        target=apprenticeship,
        changes={"setting": setting, "starts_on": starts_on, "ends_on": ends_on},
    )
    return placement


@transaction.atomic
def schedule_review(*, by: User, apprenticeship: Apprenticeship, due_on: dt.date) -> ProgressReview:
    """Schedule the next progress review. There is one scheduled review at a time."""
    _require_manager(by, apprenticeship)
    _require_current(apprenticeship)
    pending = apprenticeship.reviews.filter(held_on__isnull=True).first()
    if pending:
        raise ApprenticeshipError(
            f"A review is already scheduled for {pending.due_on:%-d %B %Y}. Record that one first."
        )
    if due_on < apprenticeship.start_date:
        raise ApprenticeshipError("A review cannot be due before the apprenticeship started.")
    review = ProgressReview.objects.create(apprenticeship=apprenticeship, due_on=due_on)
    audit.record(action="scheduled_review", actor=by, target=review, changes={"due_on": due_on})
    return review


@dataclass(frozen=True)
class RecordedReview:
    review: ProgressReview
    concern_raised: bool
    concern_reference: str = ""


def _placement_station(apprenticeship: Apprenticeship, on: dt.date) -> OrgUnit:
    placement = (
        apprenticeship.placements.filter(starts_on__lte=on, ends_on__gte=on, station__isnull=False)
        .select_related("station")
        .first()
    )
    return placement.station if placement else apprenticeship.station


def _welfare_narrative(review: ProgressReview) -> str:
    apprenticeship = review.apprenticeship
    person = apprenticeship.person
    lines = [
        f"Raised from the progress review of apprentice {person.full_name} (staff number "
        f"{person.staff_number}, {apprenticeship.standard}, level {apprenticeship.level}, "
        f"{apprenticeship.station.name}), held on {review.held_on:%-d %B %Y}.",
        "Their answers to the welfare and safeguarding questions:",
    ]
    lines += [
        f"{question} {Answer(getattr(review, field)).label if getattr(review, field) else 'Not answered'}."
        for field, question in QUESTIONS.items()
    ]
    if review.welfare_details:
        lines.append(f"What they told us: {review.welfare_details}")
    lines.append(
        "The apprentice was told that the safeguarding team will contact them confidentially and that "
        "their line manager is not told."
    )
    return "\n".join(lines)


def _raise_welfare_concern(*, by: User, review: ProgressReview) -> str:
    witnessed = review.witnessed_uncomfortable in (Answer.YES, Answer.NOT_SURE)
    raised = speakup.raise_concern(
        by=by,
        kind=speakup.Kind.EXPERIENCED if witnessed else speakup.Kind.WORKER_WELLBEING,
        behaviour=speakup.Behaviour.INAPPROPRIATE if witnessed else "",
        identity=speakup.Identity.CONFIDENTIAL,
        route=speakup.Route.SAFEGUARDING,
        subject_type=speakup.Subject.UNKNOWN if witnessed else speakup.Subject.PROCESS,
        station=_placement_station(review.apprenticeship, review.held_on),
        narrative=_welfare_narrative(review),
        # Never to the line manager, even one who also holds a safeguarding role.
        withhold_from=review.apprenticeship.person.line_manager,
    )
    review.welfare_concern_raised = True
    review.welfare_concern_id = raised.concern.pk
    return raised.concern.reference


@transaction.atomic
def record_review(
    *,
    by: User,
    review: ProgressReview,
    held_on: dt.date,
    progress_summary: str,
    feels_safe: str,
    witnessed_uncomfortable: str,
    welfare_details: str,
    knows_how_to_raise: str,
    knows_safeguarding_contact: str,
) -> RecordedReview:
    """Record a review held, with its welfare answers. A worrying answer raises a confidential concern to
    the safeguarding team, once per review. Holding a review schedules the next one."""
    review = ProgressReview.objects.select_for_update().select_related("apprenticeship").get(pk=review.pk)
    apprenticeship = Apprenticeship.objects.select_related("person", "station").get(
        pk=review.apprenticeship_id
    )
    review.apprenticeship = apprenticeship
    _require_manager(by, apprenticeship)
    _require_current(apprenticeship)
    if review.apprentice_signed_on or review.employer_signed_on or review.provider_signed_on:
        raise ApprenticeshipError("This review has been signed, so its record cannot be changed.")
    _not_future(held_on, "date the review was held")
    if held_on < apprenticeship.start_date:
        raise ApprenticeshipError("The review cannot be held before the apprenticeship started.")
    values = {
        "held_on": held_on,
        "progress_summary": progress_summary,
        "feels_safe": feels_safe,
        "witnessed_uncomfortable": witnessed_uncomfortable,
        "welfare_details": welfare_details,
        "knows_how_to_raise": knows_how_to_raise,
        "knows_safeguarding_contact": knows_safeguarding_contact,
    }
    changed = sorted(name for name, value in values.items() if getattr(review, name) != value)
    for name, value in values.items():
        setattr(review, name, value)
    raise_now = review.welfare_concern_id is None and is_worrying(
        feels_safe=feels_safe, witnessed_uncomfortable=witnessed_uncomfortable
    )
    reference = _raise_welfare_concern(by=by, review=review) if raise_now else ""
    review.save()
    if not apprenticeship.reviews.filter(held_on__isnull=True).exists() and apprenticeship.status in CURRENT:
        ProgressReview.objects.create(
            apprenticeship=apprenticeship, due_on=next_review_due(apprenticeship.start_date, held_on)
        )
    audit.record(action="recorded_review", actor=by, target=review, changes={"fields": changed})
    return RecordedReview(review, raise_now, reference)


@transaction.atomic
def sign_off_review(
    *,
    by: User,
    review: ProgressReview,
    parties: list[str],
    signed_on: dt.date,
    employer: Person | None = None,
    provider_name: str = "",
) -> ProgressReview:
    """Record who signed the review. Nobody may sign until every required answer is recorded; the
    apprentice may sign their own part."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    apprenticeship = Apprenticeship.objects.select_related("person", "station").get(
        pk=review.apprenticeship_id
    )
    own_part_only = set(parties) <= {Party.APPRENTICE} and is_own(by, apprenticeship)
    if not (own_part_only or may_manage(by, apprenticeship)):
        raise ApprenticeshipError("You cannot sign off this review.")
    missing = missing_answers(review)
    if missing:
        raise ApprenticeshipError(
            ["This review cannot be signed off until every required answer is recorded.", *missing]
        )
    if not parties:
        raise ApprenticeshipError("Choose who has signed the review.")
    _not_future(signed_on, "date it was signed")
    if signed_on < review.held_on:
        raise ApprenticeshipError("The review cannot be signed before it was held.")
    if Party.APPRENTICE in parties:
        review.apprentice_signed_on = signed_on
    if Party.EMPLOYER in parties:
        if employer is None:
            raise ApprenticeshipError("Choose who signed for the employer.")
        if employer.pk == apprenticeship.person_id:
            raise ApprenticeshipError("The apprentice cannot sign for the employer.")
        review.employer_signed_by, review.employer_signed_on = employer, signed_on
    if Party.PROVIDER in parties:
        name = provider_name.strip() or by.display_name
        review.provider_signed_by, review.provider_signed_on = name[:120], signed_on
    review.save()
    audit.record(
        action="signed_review",
        actor=by,
        target=review,
        changes={"parties": sorted(parties), "signed_on": signed_on, "signed_off": review.is_signed_off},
    )
    return review


# Moving to a new provider


@transaction.atomic
def add_provider(*, by: User, name: str, ukprn: str = "") -> LearningProvider:
    """A learning provider by name; an existing one with that name is reused, never duplicated."""
    name = name.strip()
    existing = LearningProvider.objects.filter(name__iexact=name).first()
    if existing:
        if ukprn and existing.ukprn and existing.ukprn != ukprn:
            raise ApprenticeshipError(
                f"{existing.name} is already recorded with the UKPRN {existing.ukprn}, not {ukprn}."
            )
        return existing
    if ukprn and LearningProvider.objects.filter(ukprn=ukprn).exists():
        raise ApprenticeshipError(f"Another provider already has the UKPRN {ukprn}.")
    provider = LearningProvider.objects.create(name=name, ukprn=ukprn)
    audit.record(action="added_provider", actor=by, target=provider, changes={"name": name, "ukprn": ukprn})
    return provider


@transaction.atomic
def transfer(
    *, by: User, apprenticeships: list[Apprenticeship], to: LearningProvider, on: dt.date
) -> list[Apprenticeship]:
    """Move a cohort to a new provider: each becomes transferred, with the date and the receiving provider.
    The records stay, and each apprentice can still see theirs."""
    if not apprenticeships:
        raise ApprenticeshipError("Choose at least one apprentice to transfer.")
    _not_future(on, "transfer date")
    moving = list(
        Apprenticeship.objects.select_for_update()
        .filter(pk__in=[a.pk for a in apprenticeships])
        .select_related("person", "station", "provider")
    )
    problems = []
    for apprenticeship in moving:
        name = apprenticeship.person.full_name
        if not may_manage(by, apprenticeship):
            problems.append(f"You cannot transfer {name}.")
        elif apprenticeship.status not in CURRENT:
            problems.append(
                f"{name} is {apprenticeship.get_status_display().lower()}, so cannot be transferred."
            )
        elif apprenticeship.provider_id == to.pk:
            problems.append(f"{name} is already with {to.name}.")
        elif on < apprenticeship.start_date:
            problems.append(f"{name} started after the transfer date.")
    if problems:
        raise ApprenticeshipError(problems)
    for apprenticeship in moving:
        apprenticeship.status = Status.TRANSFERRED
        apprenticeship.transferred_on = on
        apprenticeship.transferred_to = to
    Apprenticeship.objects.bulk_update(moving, ["status", "transferred_on", "transferred_to", "updated_at"])
    for apprenticeship in moving:
        audit.record(
            action="transferred_apprenticeship",
            actor=by,
            target=apprenticeship,
            changes={"from": apprenticeship.provider.name, "to": to.name, "transferred_on": on},
        )
    return moving


@transaction.atomic
def decide_safeguarding_share(
    *, by: User, apprenticeship: Apprenticeship, lawful_basis: str, summary: str
) -> SafeguardingShareDecision:
    """Decide, for one apprentice, to share a safeguarding summary with the receiving provider. Without
    this decision no safeguarding information leaves in a transfer pack."""
    _require_manager(by, apprenticeship)
    if not lawful_basis.strip() or not summary.strip():
        raise ApprenticeshipError("Record the lawful basis and the summary to share.")
    decision = SafeguardingShareDecision.objects.create(
        apprenticeship=apprenticeship,
        decided_by=by,
        decided_on=timezone.localdate(),
        lawful_basis=lawful_basis,
        summary=summary,
    )
    audit.record(
        action="decided_safeguarding_share",
        actor=by,
        target=apprenticeship,
        changes={"lawful_basis": lawful_basis, "decision": str(decision.pk), "summary": "[recorded]"},
    )
    return decision


def record_pack_download(*, by: User, apprenticeship: Apprenticeship, safeguarding_included: bool) -> None:
    """Every transfer pack that leaves is on the record, with whether it held a safeguarding summary."""
    _require_manager(by, apprenticeship)
    audit.record(
        action="downloaded_transfer_pack",
        actor=by,
        target=apprenticeship,
        changes={"safeguarding_included": safeguarding_included},
    )
