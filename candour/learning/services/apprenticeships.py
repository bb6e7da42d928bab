"""Learning services: apprenticeships. The only code that writes apprenticeships, placements, off-the-job
time, progress reviews, transfers and safeguarding share decisions. Each writes its audit event.

A worrying welfare answer in a review raises a confidential concern routed to the safeguarding team through
speak-up's own service, once per review; the review keeps only the concern's id. Audit events about
reviews name the fields that changed, never the answers: the audit log is read by people who must not learn
from it that an apprentice reported feeling unsafe.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.audit import apply_changes
from candour.core.refusals import Refused
from candour.learning import learners
from candour.learning.models import (
    Apprenticeship,
    LearningProvider,
    OffTheJobEntry,
    Placement,
    ProgressReview,
    ReviewTarget,
    SafeguardingShareDecision,
)
from candour.learning.queries.apprenticeships import (
    CURRENT,
    QUESTIONS,
    WORRYING,
    is_own,
    is_worrying,
    may_manage,
    missing_answers,
    next_review_due,
    off_the_job_for,
    open_targets_before,
)
from candour.people.models import OrgUnit, Person, User
from candour.speakup import services as speakup

Status = Apprenticeship.Status
Answer = ProgressReview.Answer

MAX_WEEKLY_HOURS = Decimal(40)
# The Working Time Regulations' average weekly limit: a contract beyond it is a typing slip.
MAX_CONTRACTED_HOURS = Decimal(48)
ENDINGS = (Status.WITHDRAWN, Status.COMPLETED)
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


def _require_manager(by: User, apprenticeship: Apprenticeship) -> None:
    if not may_manage(by, apprenticeship):
        raise Refused("You cannot change this apprenticeship.")


def _require_current(apprenticeship: Apprenticeship) -> None:
    if apprenticeship.status not in CURRENT:
        status = apprenticeship.get_status_display().lower()
        raise Refused(f"This apprenticeship is {status}, so it can no longer be changed.")


def _not_future(day: dt.date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise Refused(f"The {what} cannot be in the future.", field=field)


def _check_contracted(hours: Decimal) -> None:
    if not Decimal(0) < hours <= MAX_CONTRACTED_HOURS:
        raise Refused(
            f"Contracted hours a week must be more than 0 and {MAX_CONTRACTED_HOURS} or fewer",
            field="contracted_hours_per_week",
        )
    if hours != hours.quantize(Decimal("0.1")):
        raise Refused(
            "Contracted hours a week can have one decimal place at most, like 37.5",
            field="contracted_hours_per_week",
        )


def _check_end(start: dt.date, planned_end: dt.date) -> None:
    if planned_end <= start:
        raise Refused("The planned end date must be after the start date.", field="planned_end_date")


def _identifiers(uln: str, born: dt.date | None, standard_code: str) -> dict:
    """The learner identifiers as stored, once each has passed its check."""
    uln, standard_code = uln.strip(), standard_code.strip().upper()
    for field, problem in (
        ("unique_learner_number", learners.uln_problem(uln)),
        ("date_of_birth", learners.birth_date_problem(born, timezone.localdate())),
        ("standard_code", learners.standard_code_problem(standard_code)),
    ):
        if problem:
            raise Refused(problem, field=field)
    return {
        "unique_learner_number": uln,
        "date_of_birth": born.isoformat() if born else "",
        "standard_code": standard_code,
    }


def _check_mentor(person: Person, mentor: Person | None) -> None:
    if mentor is not None and mentor.pk == person.pk:
        raise Refused("An apprentice cannot be their own mentor.", field="mentor")


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
    unique_learner_number: str = "",
    date_of_birth: dt.date | None = None,
    standard_code: str = "",
) -> Apprenticeship:
    """Record an apprenticeship and schedule its first progress review, 3 months after the start."""
    _check_end(start_date, planned_end_date)
    _check_contracted(contracted_hours_per_week)
    if person.apprenticeships.filter(status__in=CURRENT).exists():
        raise Refused(f"{person.full_name} already has a current apprenticeship.", field="staff_number")
    _check_mentor(person, mentor)
    apprenticeship = Apprenticeship(
        person=person,
        standard=standard,
        level=level,
        **_identifiers(unique_learner_number, date_of_birth, standard_code),
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
    unique_learner_number: str = "",
    date_of_birth: dt.date | None = None,
    standard_code: str = "",
) -> Apprenticeship:
    """Change what changes during an apprenticeship (station placement, mentor, provider, end date, hours)
    and the identifiers a receiving provider matches records on."""
    _require_manager(by, apprenticeship)
    _require_current(apprenticeship)
    _check_mentor(apprenticeship.person, mentor)
    _check_end(apprenticeship.start_date, planned_end_date)
    _check_contracted(contracted_hours_per_week)
    changes = apply_changes(
        apprenticeship,
        {
            "station": station,
            "mentor": mentor,
            "provider": provider,
            "planned_end_date": planned_end_date,
            "contracted_hours_per_week": contracted_hours_per_week,
            **_identifiers(unique_learner_number, date_of_birth, standard_code),
        },
    )
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
        raise Refused(
            f"An apprenticeship that is {apprenticeship.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}.",
            field="to",
        )
    _not_future(effective_on, "date of the change", "effective_on")
    if effective_on < apprenticeship.start_date:
        raise Refused(
            "The date of the change cannot be before the apprenticeship started.", field="effective_on"
        )
    values = {"status": to, "status_changed_on": effective_on}
    if to in ENDINGS:
        # Someone who has left or finished is no longer moving anywhere.
        values |= {"transferred_on": None, "transferred_to": None}
    changes = apply_changes(apprenticeship, values)
    apprenticeship.save(update_fields=[*values, "updated_at"])
    audit.record(action="changed_apprenticeship_status", actor=by, target=apprenticeship, changes=changes)
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
        raise Refused("You cannot log time for this apprenticeship.")
    _require_current(apprenticeship)
    if not Decimal(0) < hours <= MAX_WEEKLY_HOURS:
        raise Refused(
            f"Hours must be more than 0 and no more than {MAX_WEEKLY_HOURS} in a week.", field="hours"
        )
    if hours != hours.quantize(Decimal("0.1")):
        raise Refused("Hours can have one decimal place at most, like 7.5", field="hours")
    week = week_of(week_starting)
    _not_future(week, "week", "week_starting")
    if week < week_of(apprenticeship.start_date):
        raise Refused("The week cannot be before the apprenticeship started.", field="week_starting")
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
        raise Refused("The placement cannot end before it starts.", field="ends_on")
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
        raise Refused(f"A review is already scheduled for {pending.due_on:%-d %B %Y}. Record that one first.")
    if due_on < apprenticeship.start_date:
        raise Refused("A review cannot be due before the apprenticeship started.", field="due_on")
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


@dataclass(frozen=True)
class NewTarget:
    """A target as typed at a review: what, and the date it is due by (None when left out)."""

    description: str
    due_on: dt.date | None


TARGET_LENGTH = ReviewTarget._meta.get_field("description").max_length


def _check_targets(targets: list[NewTarget], held_on: dt.date) -> None:
    for number, target in enumerate(targets, start=1):
        field = f"target_{number}"
        if not target.description.strip():
            raise Refused(f"Enter what target {number} is", field=f"{field}_description")
        if len(target.description.strip()) > TARGET_LENGTH:
            raise Refused(
                f"Target {number} must be {TARGET_LENGTH} characters or fewer", field=f"{field}_description"
            )
        if target.due_on is None:
            raise Refused(f"Enter the date target {number} is due by", field=f"{field}_due_on")
        if target.due_on <= held_on:
            raise Refused(
                f"The date target {number} is due by must be after the review", field=f"{field}_due_on"
            )


def _judge_targets(review: ProgressReview, outcomes: Mapping[uuid.UUID, str]) -> bool:
    """Record how earlier targets went; True if any outcome changed."""
    open_targets = {target.public_id: target for target in open_targets_before(review)}
    changed = False
    for public_id, outcome in outcomes.items():
        target = open_targets.get(public_id)
        if target is None or outcome not in ("", *ReviewTarget.Outcome.values):
            raise Refused("Say how each target went, choosing from the list.")
        wanted = {"outcome": outcome, "outcome_review": review if outcome else None}
        if apply_changes(target, wanted):
            target.save(update_fields=["outcome", "outcome_review", "updated_at"])
            changed = True
    return changed


def _replace_targets(review: ProgressReview, targets: list[NewTarget]) -> bool:
    """This review's targets become those given; ones a later review has judged stay. True if changed."""
    kept = list(review.targets.filter(outcome="").order_by("due_on", "created_at"))
    wanted = [(target.description.strip(), target.due_on) for target in targets]
    if [(target.description, target.due_on) for target in kept] == wanted:
        return False
    review.targets.filter(outcome="").delete()
    ReviewTarget.objects.bulk_create(
        [ReviewTarget(review=review, description=text, due_on=due_on) for text, due_on in wanted]
    )
    return True


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
    knowledge_progress: str = "",
    knowledge_notes: str = "",
    skills_progress: str = "",
    skills_notes: str = "",
    behaviours_progress: str = "",
    behaviours_notes: str = "",
    off_the_job_discussion: str = "",
    targets: Iterable[NewTarget] = (),
    outcomes: Mapping[uuid.UUID, str] | None = None,
) -> RecordedReview:
    """Record a review held: progress against the standard's knowledge, skills and behaviours, the
    off-the-job training discussed (with the hours planned and logged by that day), targets for the next
    review and how earlier ones went, and the welfare answers. A worrying answer raises a confidential
    concern to the safeguarding team, once per review. Holding a review schedules the next one. Anything
    may be left for later; sign-off waits for all of it."""
    review = ProgressReview.objects.select_for_update().select_related("apprenticeship").get(pk=review.pk)
    apprenticeship = Apprenticeship.objects.select_related("person", "station").get(
        pk=review.apprenticeship_id
    )
    review.apprenticeship = apprenticeship
    _require_manager(by, apprenticeship)
    _require_current(apprenticeship)
    if review.apprentice_signed_on or review.employer_signed_on or review.provider_signed_on:
        raise Refused("This review has been signed, so its record cannot be changed.")
    _not_future(held_on, "date the review was held", "held_on")
    if held_on < apprenticeship.start_date:
        raise Refused("The review cannot be held before the apprenticeship started.", field="held_on")
    if witnessed_uncomfortable in WORRYING["witnessed_uncomfortable"] and not welfare_details.strip():
        raise Refused(
            "Enter what they experienced or witnessed, or write that they chose not to say",
            field="welfare_details",
        )
    progress = {"knowledge": knowledge_progress, "skills": skills_progress, "behaviours": behaviours_progress}
    for area, value in progress.items():
        if value not in ("", *ProgressReview.Progress.values):
            raise Refused(f"Choose how the {area} are going", field=f"{area}_progress")
    targets = list(targets)
    _check_targets(targets, held_on)
    hours = off_the_job_for(apprenticeship, held_on)
    values = {
        "held_on": held_on,
        "progress_summary": progress_summary,
        "knowledge_progress": knowledge_progress,
        "knowledge_notes": knowledge_notes,
        "skills_progress": skills_progress,
        "skills_notes": skills_notes,
        "behaviours_progress": behaviours_progress,
        "behaviours_notes": behaviours_notes,
        "off_the_job_discussion": off_the_job_discussion,
        "off_the_job_planned_hours": hours.planned.quantize(Decimal("0.1")),
        "off_the_job_logged_hours": hours.actual,
        "feels_safe": feels_safe,
        "witnessed_uncomfortable": witnessed_uncomfortable,
        "welfare_details": welfare_details,
        "knows_how_to_raise": knows_how_to_raise,
        "knows_safeguarding_contact": knows_safeguarding_contact,
    }
    # Only the names of what changed reach the log: the answers are not the auditor's to read.
    changed = set(apply_changes(review, values))
    raise_now = review.welfare_concern_id is None and is_worrying(
        feels_safe=feels_safe, witnessed_uncomfortable=witnessed_uncomfortable
    )
    reference = _raise_welfare_concern(by=by, review=review) if raise_now else ""
    review.save()
    if _replace_targets(review, targets):
        changed.add("targets")
    if _judge_targets(review, outcomes or {}):
        changed.add("target_outcomes")
    if not apprenticeship.reviews.filter(held_on__isnull=True).exists() and apprenticeship.status in CURRENT:
        ProgressReview.objects.create(
            apprenticeship=apprenticeship, due_on=next_review_due(apprenticeship.start_date, held_on)
        )
    audit.record(action="recorded_review", actor=by, target=review, changes={"fields": sorted(changed)})
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
        raise Refused("You cannot sign off this review.")
    missing = missing_answers(review)
    if missing:
        raise Refused(
            "This review cannot be signed off until every required answer is recorded: "
            + "; ".join(missing)
            + "."
        )
    if not parties:
        raise Refused("Choose who has signed the review.", field="parties")
    _not_future(signed_on, "date it was signed", "signed_on")
    if signed_on < review.held_on:
        raise Refused("The review cannot be signed before it was held.", field="signed_on")
    if Party.APPRENTICE in parties:
        review.apprentice_signed_on = signed_on
    if Party.EMPLOYER in parties:
        if employer is None:
            raise Refused("Choose who signed for the employer.", field="employer")
        if employer.pk == apprenticeship.person_id:
            raise Refused("The apprentice cannot sign for the employer.", field="employer")
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


def receiving_provider(
    *, to: LearningProvider | None, new_provider_name: str = "", new_provider_ukprn: str = ""
) -> LearningProvider | None:
    """The provider a transfer goes to: the one chosen, or one already recorded under the new name given;
    None when the name is new (it is added only if the cohort moves). Refused when nothing was chosen or
    the UKPRN contradicts what is recorded. Asked before the confirmation page, and again on moving."""
    if to is not None:
        return to
    name = new_provider_name.strip()
    if not name:
        raise Refused(
            "Choose the receiving provider, or enter a new provider's name", field="new_provider_name"
        )
    ukprn = new_provider_ukprn
    existing = LearningProvider.objects.filter(name__iexact=name).first()
    if existing:
        if ukprn and existing.ukprn and existing.ukprn != ukprn:
            raise Refused(
                f"{existing.name} is already recorded with the UKPRN {existing.ukprn}, not {ukprn}.",
                field="new_provider_ukprn",
            )
        return existing
    if ukprn and LearningProvider.objects.filter(ukprn=ukprn).exists():
        raise Refused(f"Another provider already has the UKPRN {ukprn}.", field="new_provider_ukprn")
    return None


@transaction.atomic
def add_provider(*, by: User, name: str, ukprn: str = "") -> LearningProvider:
    """A learning provider by name; an existing one with that name is reused, never duplicated."""
    existing = receiving_provider(to=None, new_provider_name=name, new_provider_ukprn=ukprn)
    if existing:
        return existing
    provider = LearningProvider.objects.create(name=name.strip(), ukprn=ukprn)
    audit.record(
        action="added_provider", actor=by, target=provider, changes={"name": provider.name, "ukprn": ukprn}
    )
    return provider


def _transfer_problem(by: User, apprenticeship: Apprenticeship, to: LearningProvider, on: dt.date) -> str:
    name = apprenticeship.person.full_name
    if not may_manage(by, apprenticeship):
        return f"You cannot transfer {name}."
    if apprenticeship.status not in CURRENT:
        return f"{name} is {apprenticeship.get_status_display().lower()}, so cannot be transferred."
    if apprenticeship.transferred_to_id:
        return (
            f"{name} is already moving to {apprenticeship.transferred_to.name} on "
            f"{apprenticeship.transferred_on:%-d %B %Y}."
        )
    if apprenticeship.provider_id == to.pk:
        return f"{name} is already with {to.name}."
    if on < apprenticeship.start_date:
        return f"{name} started after the transfer date."
    return ""


def _moved(on: dt.date) -> dict:
    return {"status": Status.TRANSFERRED, "status_changed_on": on}


@transaction.atomic
def transfer(
    *,
    by: User,
    apprenticeships: list[Apprenticeship],
    on: dt.date,
    to: LearningProvider | None = None,
    new_provider_name: str = "",
    new_provider_ukprn: str = "",
) -> list[Apprenticeship]:
    """Move a cohort to a provider already known (`to`) or a new one (kept only if the cohort moves). On
    or before today each becomes transferred, with the date and the receiving provider; a later date plans
    the move, which `make_planned_transfers` makes on the day, and the apprentices learn here until then.
    The records stay, and each apprentice can still see theirs."""
    if not apprenticeships:
        raise Refused("Choose at least one apprentice to transfer.", field="apprentices")
    to = to or add_provider(by=by, name=new_provider_name, ukprn=new_provider_ukprn)
    moving = list(
        Apprenticeship.objects.select_for_update(of=("self",))
        .filter(pk__in=[a.pk for a in apprenticeships])
        .select_related("person", "station", "provider", "transferred_to")
    )
    problems = [problem for a in moving if (problem := _transfer_problem(by, a, to, on))]
    if problems:
        raise Refused(" ".join(problems), field="apprentices")
    now = on <= timezone.localdate()
    for apprenticeship in moving:
        changes = apply_changes(
            apprenticeship, {"transferred_on": on, "transferred_to": to, **(_moved(on) if now else {})}
        )
        apprenticeship.save()
        audit.record(
            action="transferred_apprenticeship" if now else "planned_transfer",
            actor=by,
            target=apprenticeship,
            changes={**changes, "from": apprenticeship.provider.name},
        )
    return moving


@transaction.atomic
def make_planned_transfers(*, today: dt.date) -> int:
    """Make the moves planned for today or before: each apprenticeship becomes transferred on its date."""
    due = list(
        Apprenticeship.objects.select_for_update()
        .filter(status__in=CURRENT, transferred_to__isnull=False, transferred_on__lte=today)
        .order_by("pk")
    )
    for apprenticeship in due:
        changes = apply_changes(apprenticeship, _moved(apprenticeship.transferred_on))
        apprenticeship.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit.record(
            action="made_planned_transfer", system="planned transfers", target=apprenticeship, changes=changes
        )
    return len(due)


@transaction.atomic
def cancel_planned_transfer(*, by: User, apprenticeship: Apprenticeship) -> Apprenticeship:
    """The apprentice is no longer moving: they stay with their provider."""
    apprenticeship = Apprenticeship.objects.select_for_update().get(pk=apprenticeship.pk)
    _require_manager(by, apprenticeship)
    if apprenticeship.status not in CURRENT or apprenticeship.transferred_to_id is None:
        raise Refused("There is no planned transfer to cancel.")
    changes = apply_changes(apprenticeship, {"transferred_on": None, "transferred_to": None})
    apprenticeship.save(update_fields=["transferred_on", "transferred_to", "updated_at"])
    audit.record(action="cancelled_planned_transfer", actor=by, target=apprenticeship, changes=changes)
    return apprenticeship


@transaction.atomic
def decide_safeguarding_share(
    *, by: User, apprenticeship: Apprenticeship, lawful_basis: str, summary: str
) -> SafeguardingShareDecision:
    """Decide, for one apprentice, to share a safeguarding summary with the receiving provider. Without
    this decision no safeguarding information leaves in a transfer pack."""
    _require_manager(by, apprenticeship)
    if not lawful_basis.strip() or not summary.strip():
        raise Refused("Record the lawful basis and the summary to share.", field="summary")
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
