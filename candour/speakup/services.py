"""Speak-up use cases: the only code that writes concerns and case records. Each writes its audit event.

Anonymous reporting: nothing written here for an anonymous concern names the user; its audit events go
through `audit.record_anonymous`, which keeps only the day and hides the order.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from candour.core import audit
from candour.core.working_days import add_working_days
from candour.people.access import can
from candour.people.models import OrgUnit, Person, User
from candour.speakup import notifications, receipts
from candour.speakup.access import WORK_SAFEGUARDING, can_open, is_conflicted
from candour.speakup.models import (
    Behaviour,
    CaseTeamMember,
    Category,
    Concern,
    Entry,
    Identity,
    Kind,
    PatientDetails,
    PatternFlag,
    Referral,
    Route,
    SpeakUpAgain,
    Status,
    Subject,  # noqa: F401 - part of the vocabulary other apps use through this module
    Task,
)

ALLOWED_MOVES = {
    Status.NEW: {Status.TRIAGED},
    Status.TRIAGED: {Status.INVESTIGATING, Status.REFERRED, Status.CLOSED},
    Status.INVESTIGATING: {Status.REFERRED, Status.CLOSED},
    Status.REFERRED: {Status.INVESTIGATING, Status.CLOSED},
    Status.CLOSED: set(),
}
CORRECTABLE = {Entry.Type.NOTE, Entry.Type.ACTION, Entry.Type.DECISION}
CLOSURE_REASONS = {
    "addressed": "The concern was looked into and action was taken",
    "no_further_action": "The concern was looked into; no further action was needed",
    "referred_externally": "Another organisation is responsible and has it",
    "withdrawn": "The person who raised it withdrew it",
    "insufficient_information": "There was not enough information to act on",
}


class TransitionError(ValidationError):
    """A change the case's rules do not allow; the message says why."""


def route_for(kind: str, behaviour: str = "") -> str:
    """Sexual safety, conduct, patients at risk and Prevent go to safeguarding; the rest to the guardian."""
    if kind in (Kind.LOW_LEVEL, Kind.PATIENT_SAFEGUARDING, Kind.PREVENT):
        return Route.SAFEGUARDING
    if kind == Kind.EXPERIENCED and behaviour == Behaviour.SEXUAL_SAFETY:
        return Route.SAFEGUARDING
    return Route.GUARDIAN


def suggested_category(concern: Concern) -> str:
    """The category triage starts from, from what the reporter chose."""
    if concern.kind == Kind.EXPERIENCED:
        return {
            Behaviour.SEXUAL_SAFETY: Category.SEXUAL_SAFETY,
            Behaviour.HARASSMENT: Category.BULLYING_HARASSMENT,
            Behaviour.BULLYING: Category.BULLYING_HARASSMENT,
            Behaviour.INAPPROPRIATE: Category.INAPPROPRIATE,
            Behaviour.DISCRIMINATION: Category.DISCRIMINATION,
        }.get(concern.behaviour, Category.OTHER)
    if concern.kind == Kind.PATIENT_SAFEGUARDING:
        patient = getattr(concern, "patient", None)
        return Category.SAFEGUARDING_CHILD if patient and patient.is_child else Category.SAFEGUARDING_ADULT
    return {
        Kind.LOW_LEVEL: Category.CONDUCT,
        Kind.PATIENT_SAFETY: Category.PATIENT_SAFETY,
        Kind.WORKER_WELLBEING: Category.WORKER_SAFETY,
        Kind.PREVENT: Category.PREVENT,
    }.get(concern.kind, Category.OTHER)


def _new_reference() -> str:
    while True:
        reference = "C-" + "".join(secrets.choice(receipts.ALPHABET) for _ in range(6))
        if not Concern.objects.filter(reference=reference).exists():
            return reference


def _add_entry(concern: Concern, *, type: str, body: str, author: User | None, event_on=None, corrects=None):
    last = concern.entries.aggregate(last=Max("sequence"))["last"] or 0
    today = timezone.localdate()
    return Entry.objects.create(
        concern=concern,
        sequence=last + 1,
        type=type,
        event_on=event_on or today,
        recorded_on=today,
        author=author,
        body=body,
        corrects=corrects,
    )


@dataclass(frozen=True)
class PatientInput:
    is_child: bool
    name: str
    nhs_number: str
    date_of_birth: str
    address: str
    nature_of_risk: str
    consent: str
    local_authority_called: bool
    local_authority_reference: str = ""


@dataclass(frozen=True)
class Raised:
    concern: Concern
    receipt_code: str | None


@transaction.atomic
def raise_concern(
    *,
    by: User,
    kind: str,
    identity: str,
    narrative: str,
    subject_type: str,
    behaviour: str = "",
    subject_person: Person | None = None,
    subject_description: str = "",
    station: OrgUnit | None = None,
    occurred_on: dt.date | None = None,
    occurred_on_is_approximate: bool = False,
    reporter_is_apprentice: bool | None = None,
    patient: PatientInput | None = None,
    route: str | None = None,
    withhold_from: Person | None = None,
) -> Raised:
    """Record a concern and route it (another app may insist on a route, e.g. an apprentice's welfare
    answer always goes to safeguarding, withheld from their line manager). An anonymous one gets a receipt
    code, shown once, and no link."""
    anonymous = identity == Identity.ANONYMOUS
    person = None if anonymous else by.person
    today = timezone.localdate()
    receipt = receipts.new_receipt() if anonymous else None
    concern = Concern.objects.create(
        reference=_new_reference(),
        kind=kind,
        behaviour=behaviour if kind == Kind.EXPERIENCED else "",
        identity=identity,
        route=route or route_for(kind, behaviour),
        raised_by=None if anonymous else by,
        reporter_is_apprentice=reporter_is_apprentice if anonymous else bool(person and person.is_apprentice),
        reporter_professional_group="" if anonymous or person is None else person.professional_group,
        subject_type=subject_type,
        subject_person=subject_person,
        subject_description=subject_description,
        withheld_from=withhold_from,
        station=station,
        occurred_on=occurred_on,
        occurred_on_is_approximate=occurred_on_is_approximate,
        narrative=narrative,
        received_on=today,
        triage_due_on=add_working_days(today, settings.CANDOUR_TRIAGE_WORKING_DAYS),
        receipt_lookup=receipt.lookup if receipt else None,
        receipt_hash=receipt.secret_hash() if receipt else "",
    )
    if patient is not None:
        PatientDetails.objects.create(concern=concern, **patient.__dict__)
    changes = {"kind": kind, "identity": identity, "route": concern.route}
    if anonymous:
        audit.record_anonymous(action="raised", target=concern, changes=changes)
    else:
        audit.record(action="raised", actor=by, target=concern, changes=changes)
    if kind == Kind.LOW_LEVEL and subject_person is not None:
        check_for_pattern(subject_person=subject_person)
    return Raised(concern, receipt.code if receipt else None)


def _used_up(concern: Concern) -> bool:
    """Closed and the last question answered: there is nothing more the code can do."""
    return concern.status == Status.CLOSED and bool(concern.speak_up_again)


def find_by_receipt(code: str, *, client_address: str) -> Concern | None:
    """The anonymous concern this code opens, or None: the same answer for a wrong, malformed or used-up
    code, and when this client has guessed too often."""
    if not receipts.attempts_left(client_address):
        return None
    receipt = receipts.parse(code)
    concern = Concern.objects.filter(receipt_lookup=receipt.lookup).first() if receipt else None
    if receipt and concern and receipts.matches(receipt, concern.receipt_hash) and not _used_up(concern):
        return concern
    if receipt and concern is None:
        receipts.spend_equal_time(receipt)
    receipts.count_failure(client_address)
    return None


def _require_case_worker(by: User, concern: Concern) -> None:
    if not can_open(by, concern):
        raise TransitionError("You are not on this case.")


def _require_open(concern: Concern) -> None:
    if concern.status == Status.CLOSED:
        raise TransitionError("This case is closed. Add a note if something new needs recording.")


def _move(concern: Concern, to: str, *, by: User, note: str = "") -> None:
    if to not in ALLOWED_MOVES[concern.status]:
        raise TransitionError(
            f"A case that is {concern.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    previous = concern.status
    concern.status = to
    body = f"Status changed from {Status(previous).label} to {Status(to).label}." + (
        f" {note}" if note else ""
    )
    _add_entry(concern, type=Entry.Type.STATUS, body=body, author=by)


@transaction.atomic
def triage(
    *,
    by: User,
    concern: Concern,
    primary_category: str,
    secondary_categories: list[str],
    threshold: str,
    owner: User,
    team: list[User],
) -> Concern:
    """Categorise a new concern, judge it against the harm threshold, and give it an owner and team."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _require_case_worker(by, concern)
    members = {owner, *team}
    conflicted = [member for member in members if is_conflicted(member, concern)]
    if conflicted:
        names = ", ".join(member.display_name for member in conflicted)
        raise TransitionError(f"{names} cannot work on this case: it is about them or someone they manage.")
    _move(concern, Status.TRIAGED, by=by)
    concern.primary_category = primary_category
    concern.secondary_categories = [c for c in secondary_categories if c != primary_category]
    concern.threshold = threshold
    concern.owner = owner
    concern.triaged_on = timezone.localdate()
    concern.save()
    for member in members:
        CaseTeamMember.objects.get_or_create(
            concern=concern, user=member, defaults={"added_on": concern.triaged_on}
        )
    audit.record(
        action="triaged",
        actor=by,
        target=concern,
        changes={
            "primary_category": primary_category,
            "threshold": threshold,
            "owner": owner.email,
            "team": sorted(member.email for member in members),
        },
    )
    return concern


@transaction.atomic
def add_team_member(*, by: User, concern: Concern, user: User) -> None:
    """Bring someone onto the case team, unless they have a conflict of interest."""
    _require_case_worker(by, concern)
    _require_open(concern)
    if is_conflicted(user, concern):
        raise TransitionError(
            f"{user.display_name} cannot work on this case: it is about them or someone they manage."
        )
    CaseTeamMember.objects.get_or_create(
        concern=concern, user=user, defaults={"added_on": timezone.localdate()}
    )
    audit.record(action="added_to_team", actor=by, target=concern, changes={"member": user.email})


@transaction.atomic
def change_status(*, by: User, concern: Concern, to: str, note: str = "") -> Concern:
    """Move a case between investigating and referred (closing has its own use case)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _require_case_worker(by, concern)
    if to == Status.CLOSED:
        raise TransitionError("Close a case with its outcome and reason.")
    _move(concern, to, by=by, note=note)
    concern.save(update_fields=["status"])
    audit.record(action="status_changed", actor=by, target=concern, changes={"status": to})
    return concern


@transaction.atomic
def add_entry(*, by: User, concern: Concern, type: str, body: str, event_on: dt.date | None = None) -> Entry:
    """Add a note, action or decision to the chronology."""
    _require_case_worker(by, concern)
    if type not in (Entry.Type.NOTE, Entry.Type.ACTION, Entry.Type.DECISION):
        raise TransitionError("Use the message, referral or status actions for those entries.")
    if event_on and event_on > timezone.localdate():
        raise TransitionError("The date it happened cannot be in the future.")
    entry = _add_entry(concern, type=type, body=body, author=by, event_on=event_on)
    audit.record(action=f"added_{type}", actor=by, target=concern, changes={"entry": entry.sequence})
    return entry


@transaction.atomic
def correct_entry(*, by: User, entry: Entry, body: str, reason: str) -> Entry:
    """Correct an entry with a new one. The original stays, readable, with the correction beside it."""
    _require_case_worker(by, entry.concern)
    if entry.type not in CORRECTABLE:
        raise TransitionError("Only notes, actions and decisions can be corrected; add a note instead.")
    correction = _add_entry(
        entry.concern,
        type=Entry.Type.CORRECTION,
        body=f"{body}\n\nReason for correction: {reason}",
        author=by,
        event_on=entry.event_on,
        corrects=entry,
    )
    audit.record(action="corrected_entry", actor=by, target=entry.concern, changes={"entry": entry.sequence})
    return correction


@transaction.atomic
def message_reporter(*, by: User, concern: Concern, body: str) -> Entry:
    """Ask or tell the person who raised the concern something; they see it with their code or account."""
    _require_case_worker(by, concern)
    _require_open(concern)
    entry = _add_entry(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=body, author=by)
    audit.record(action="messaged_reporter", actor=by, target=concern)
    return entry


@transaction.atomic
def reporter_replies(*, concern: Concern, body: str, by: User | None = None) -> Entry:
    """The reporter answers or adds information. Anonymous replies carry no author and only the day."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_anonymous:
        by = None
    elif by is None or concern.raised_by_id != by.pk:
        raise TransitionError("Only the person who raised this concern can reply to it.")
    if concern.status == Status.CLOSED:
        raise TransitionError("This concern is closed. To tell us more, raise a new concern.")
    entry = _add_entry(concern, type=Entry.Type.MESSAGE_FROM_REPORTER, body=body, author=by)
    if by is None:
        audit.record_anonymous(action="reporter_replied", target=concern)
    else:
        audit.record(action="reporter_replied", actor=by, target=concern)
    return entry


@transaction.atomic
def add_task(*, by: User, concern: Concern, title: str, owner: User, due_on: dt.date) -> Task:
    """Give someone on the case team something to do by a date."""
    _require_case_worker(by, concern)
    _require_open(concern)
    if not can_open(owner, concern):
        raise TransitionError(f"{owner.display_name} is not on this case team.")
    task = Task.objects.create(concern=concern, title=title, owner=owner, due_on=due_on)
    _add_entry(
        concern,
        type=Entry.Type.ACTION,
        body=f"Task for {owner.display_name} by {due_on:%-d %B %Y}: {title}",
        author=by,
    )
    audit.record(action="added_task", actor=by, target=concern, changes={"task": title, "owner": owner.email})
    return task


@transaction.atomic
def complete_task(*, by: User, task: Task) -> Task:
    """Mark a task done."""
    _require_case_worker(by, task.concern)
    _require_open(task.concern)
    if task.done_on:
        return task
    task.done_on = timezone.localdate()
    task.save(update_fields=["done_on"])
    _add_entry(task.concern, type=Entry.Type.ACTION, body=f"Done: {task.title}", author=by)
    audit.record(action="completed_task", actor=by, target=task.concern, changes={"task": task.title})
    return task


@transaction.atomic
def refer(
    *, by: User, concern: Concern, agency: str, referred_on: dt.date, their_reference: str = ""
) -> Referral:
    """Record a referral to an outside agency; the case waits on its outcome."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _require_case_worker(by, concern)
    if referred_on > timezone.localdate():
        raise TransitionError("The referral date cannot be in the future.")
    referral = Referral.objects.create(
        concern=concern, agency=agency, referred_on=referred_on, their_reference=their_reference
    )
    _add_entry(
        concern,
        type=Entry.Type.REFERRAL,
        body=f"Referred to {referral.get_agency_display()}.",
        author=by,
        event_on=referred_on,
    )
    if concern.status != Status.REFERRED:
        _move(concern, Status.REFERRED, by=by)
        concern.save(update_fields=["status"])
    audit.record(action="referred", actor=by, target=concern, changes={"agency": agency})
    return referral


@transaction.atomic
def record_referral_outcome(*, by: User, referral: Referral, outcome: str, outcome_on: dt.date) -> Referral:
    """Record what the agency did, including that it declined."""
    _require_case_worker(by, referral.concern)
    if outcome == Referral.Outcome.AWAITING:
        raise TransitionError("Choose the outcome the agency gave.")
    if referral.outcome != Referral.Outcome.AWAITING:
        raise TransitionError(
            "This referral's outcome is recorded already. Add a note to record anything new."
        )
    referral.outcome, referral.outcome_on = outcome, outcome_on
    referral.save(update_fields=["outcome", "outcome_on"])
    _add_entry(
        referral.concern,
        type=Entry.Type.REFERRAL,
        body=f"{referral.get_agency_display()}: {referral.get_outcome_display()}.",
        author=by,
        event_on=outcome_on,
    )
    audit.record(action="referral_outcome", actor=by, target=referral.concern, changes={"outcome": outcome})
    return referral


@transaction.atomic
def close(*, by: User, concern: Concern, reason: str, outcome: str, feedback: str) -> Concern:
    """Close with a reason and an outcome, and tell the reporter what happened (they are asked whether
    they would speak up again)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _require_case_worker(by, concern)
    if reason not in CLOSURE_REASONS:
        raise TransitionError("Choose why the case is being closed.")
    if not outcome.strip():
        raise TransitionError("Record the outcome before closing the case.")
    if not feedback.strip():
        raise TransitionError("Write what the person who raised it will be told.")
    if (
        concern.referrals.filter(outcome=Referral.Outcome.AWAITING).exists()
        and reason != "referred_externally"
    ):
        raise TransitionError(
            "A referral is still awaiting its outcome. Record it, or close as referred externally."
        )
    _move(concern, Status.CLOSED, by=by, note=CLOSURE_REASONS[reason])
    today = timezone.localdate()
    concern.closed_on, concern.closure_reason, concern.outcome = today, reason, outcome
    concern.feedback_given_on = today
    concern.save()
    _add_entry(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=feedback, author=by)
    audit.record(action="closed", actor=by, target=concern, changes={"reason": reason})
    return concern


@transaction.atomic
def answer_speak_up_again(*, concern: Concern, answer: str, by: User | None = None) -> Concern:
    """The reporter's answer to 'Given your experience, would you speak up again?'."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Status.CLOSED:
        raise TransitionError("You can answer this once the concern is closed.")
    if not concern.is_anonymous and (by is None or concern.raised_by_id != by.pk):
        raise TransitionError("Only the person who raised this concern can answer.")
    concern.speak_up_again = SpeakUpAgain(answer)
    concern.save(update_fields=["speak_up_again"])
    if concern.is_anonymous:
        audit.record_anonymous(action="answered_speak_up_again", target=concern)
    else:
        audit.record(action="answered_speak_up_again", actor=by, target=concern)
    return concern


def check_for_pattern(*, subject_person: Person) -> PatternFlag | None:
    """Flag a pattern when low-level concerns about one person reach the threshold within the window."""
    today = timezone.localdate()
    window_days = round(settings.CANDOUR_LOW_LEVEL_PATTERN_MONTHS * 365 / 12)
    since = today - dt.timedelta(days=window_days)
    count = Concern.objects.filter(
        subject_person=subject_person, kind=Kind.LOW_LEVEL, received_on__gte=since
    ).count()
    if count < settings.CANDOUR_LOW_LEVEL_PATTERN_COUNT:
        return None
    flag = PatternFlag.objects.filter(subject_person=subject_person, reviewed_on__isnull=True).first()
    if flag:
        flag.concern_count = count
        flag.save(update_fields=["concern_count"])
        return flag
    flag = PatternFlag.objects.create(
        subject_person=subject_person, raised_on=today, concern_count=count, window_days=window_days
    )
    audit.record(
        action="pattern_flagged", system="pattern check", target=subject_person, changes={"count": count}
    )
    return flag


@transaction.atomic
def review_pattern(*, by: User, flag: PatternFlag) -> PatternFlag:
    """The safeguarding lead has looked at the pattern."""
    subject = flag.subject_person
    if not can(by, WORK_SAFEGUARDING, subject) or getattr(by, "person_id", None) in (
        subject.pk,
        subject.line_manager_id,
    ):
        raise TransitionError(
            "Only a safeguarding lead for this person's area, with no conflict, can review this."
        )
    flag.reviewed_on, flag.reviewed_by = timezone.localdate(), by
    flag.save(update_fields=["reviewed_on", "reviewed_by"])
    audit.record(action="pattern_reviewed", actor=by, target=flag.subject_person)
    return flag


# Periodic work, called by speakup.tasks


@transaction.atomic
def notify_leads_of_new_concerns() -> int:
    """Tell each route's leads how many new concerns arrived since the last batch (never which or when)."""
    waiting = list(
        Concern.objects.select_for_update().filter(leads_notified=False).values_list("pk", "route")
    )
    counts = Counter(route for _, route in waiting)
    notifications.send([notifications.new_concerns_message(route, n) for route, n in counts.items()])
    Concern.objects.filter(pk__in=[pk for pk, _ in waiting]).update(leads_notified=True)
    return len(waiting)


@transaction.atomic
def escalate_overdue_triage(*, today: dt.date) -> int:
    """Concerns past their triage deadline go to the route's leads and the executives, once."""
    overdue = list(
        Concern.objects.select_for_update()
        .filter(status=Status.NEW, triage_due_on__lt=today, escalated_on__isnull=True)
        .values_list("pk", "route")
    )
    counts = Counter(route for _, route in overdue)
    notifications.send([notifications.overdue_triage_message(route, n) for route, n in counts.items()])
    Concern.objects.filter(pk__in=[pk for pk, _ in overdue]).update(escalated_on=today)
    if overdue:
        audit.record(action="escalated_triage", system="triage deadline", changes={"count": len(overdue)})
    return len(overdue)


@transaction.atomic
def remind_overdue_task_owners(*, today: dt.date) -> int:
    """One reminder a day per person with overdue case tasks; returns how many people were reminded."""
    overdue = list(
        Task.objects.select_for_update()
        .filter(done_on__isnull=True, due_on__lt=today)
        .exclude(last_reminded_on=today)
        .select_related("owner")
    )
    per_owner = Counter(task.owner for task in overdue)
    notifications.send([notifications.overdue_task_message(owner, n) for owner, n in per_owner.items()])
    Task.objects.filter(pk__in=[t.pk for t in overdue]).update(last_reminded_on=today)
    return len(per_owner)
