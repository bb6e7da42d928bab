"""Case work: triage, the chronology, tasks, referrals and closing, by the case team. Each writes its audit
event; a rule that stops a change raises `Refused` with the reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.models import User
from candour.speakup.access import can_open, is_conflicted
from candour.speakup.models import (
    Behaviour,
    CaseTeamMember,
    Category,
    Concern,
    Entry,
    Kind,
    Referral,
    Status,
    Task,
)
from candour.speakup.services.chronology import add_to_chronology

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


def _require_case_worker(by: User, concern: Concern) -> None:
    if not can_open(by, concern):
        raise Refused("You are not on this case.")


def _require_open(concern: Concern) -> None:
    if concern.status == Status.CLOSED:
        raise Refused("This case is closed. Add a note if something new needs recording.")


def _move(concern: Concern, to: str, *, by: User, note: str = "") -> None:
    if to not in ALLOWED_MOVES[concern.status]:
        raise Refused(
            f"A case that is {concern.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    previous = concern.status
    concern.status = to
    body = f"Status changed from {Status(previous).label} to {Status(to).label}." + (
        f" {note}" if note else ""
    )
    add_to_chronology(concern, type=Entry.Type.STATUS, body=body, author=by)


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
        raise Refused(f"{names} cannot work on this case: it is about them or someone they manage.")
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
        raise Refused(
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
        raise Refused("Close a case with its outcome and reason.")
    _move(concern, to, by=by, note=note)
    concern.save(update_fields=["status"])
    audit.record(action="status_changed", actor=by, target=concern, changes={"status": to})
    return concern


@transaction.atomic
def add_entry(*, by: User, concern: Concern, type: str, body: str, event_on: dt.date | None = None) -> Entry:
    """Add a note, action or decision to the chronology."""
    _require_case_worker(by, concern)
    if type not in (Entry.Type.NOTE, Entry.Type.ACTION, Entry.Type.DECISION):
        raise Refused("Use the message, referral or status actions for those entries.")
    if event_on and event_on > timezone.localdate():
        raise Refused("The date it happened cannot be in the future.")
    entry = add_to_chronology(concern, type=type, body=body, author=by, event_on=event_on)
    audit.record(action=f"added_{type}", actor=by, target=concern, changes={"entry": entry.sequence})
    return entry


@transaction.atomic
def correct_entry(*, by: User, entry: Entry, body: str, reason: str) -> Entry:
    """Correct an entry with a new one. The original stays, readable, with the correction beside it."""
    _require_case_worker(by, entry.concern)
    if entry.type not in CORRECTABLE:
        raise Refused("Only notes, actions and decisions can be corrected; add a note instead.")
    correction = add_to_chronology(
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
    """Ask or tell the person who raised the concern something; they see it with their code or account.
    Once closed, only if they wrote again since (the conversation is reopened)."""
    _require_case_worker(by, concern)
    if not concern.conversation_reopened_on:
        _require_open(concern)
    entry = add_to_chronology(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=body, author=by)
    audit.record(action="messaged_reporter", actor=by, target=concern)
    return entry


@transaction.atomic
def add_task(*, by: User, concern: Concern, title: str, owner: User, due_on: dt.date) -> Task:
    """Give someone on the case team something to do by a date."""
    _require_case_worker(by, concern)
    _require_open(concern)
    if not can_open(owner, concern):
        raise Refused(f"{owner.display_name} is not on this case team.")
    task = Task.objects.create(concern=concern, title=title, owner=owner, due_on=due_on)
    add_to_chronology(
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
    add_to_chronology(task.concern, type=Entry.Type.ACTION, body=f"Done: {task.title}", author=by)
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
        raise Refused("The referral date cannot be in the future.")
    referral = Referral.objects.create(
        concern=concern, agency=agency, referred_on=referred_on, their_reference=their_reference
    )
    add_to_chronology(
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
        raise Refused("Choose the outcome the agency gave.")
    if referral.outcome != Referral.Outcome.AWAITING:
        raise Refused("This referral's outcome is recorded already. Add a note to record anything new.")
    referral.outcome, referral.outcome_on = outcome, outcome_on
    referral.save(update_fields=["outcome", "outcome_on"])
    add_to_chronology(
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
        raise Refused("Choose why the case is being closed.")
    if not outcome.strip():
        raise Refused("Record the outcome before closing the case.")
    if not feedback.strip():
        raise Refused("Write what the person who raised it will be told.")
    if (
        concern.referrals.filter(outcome=Referral.Outcome.AWAITING).exists()
        and reason != "referred_externally"
    ):
        raise Refused("A referral is still awaiting its outcome. Record it, or close as referred externally.")
    _move(concern, Status.CLOSED, by=by, note=CLOSURE_REASONS[reason])
    today = timezone.localdate()
    concern.closed_on, concern.closure_reason, concern.outcome = today, reason, outcome
    concern.feedback_given_on = today
    concern.save()
    add_to_chronology(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=feedback, author=by)
    audit.record(action="closed", actor=by, target=concern, changes={"reason": reason})
    return concern
