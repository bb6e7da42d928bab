"""Case work: triage, the chronology, tasks, referrals and closing, by the case team. Each writes its audit
event; a rule that stops a change raises `Refused` with the reason.

Every action first locks the case's row, so that actions on one case, from one person or several, happen
one after another: the second sees what the first did (a task already done, an outcome already recorded)
and never writes beside it. What a case says stays out of the audit log: tasks are named by their id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.audit import apply_changes, audit_value
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
    Threshold,
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

# The entries the person who raised a concern sees: the case's conversation with them.
CONVERSATION = (Entry.Type.MESSAGE_TO_REPORTER, Entry.Type.MESSAGE_FROM_REPORTER)


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


def viewed(*, by: User, concern: Concern, page: str) -> None:
    """Someone opened a page that shows what this case says."""
    audit.viewed(actor=by, target=concern, summary=page)


def viewed_together(*, by: User, concern_ids: Iterable, page: str) -> None:
    """Someone opened a page that shows something of several cases (who a case is about, its tasks):
    one event naming every case shown, so that each case's views can still be found."""
    shown = sorted(str(concern_id) for concern_id in concern_ids)
    if shown:
        audit.record(action="viewed", actor=by, summary=page, changes={"cases": shown})


def _locked(concern: Concern) -> Concern:
    """The case as it is now, locked until this transaction ends."""
    return Concern.objects.select_for_update().get(pk=concern.pk)


def _require_case_worker(by: User, concern: Concern) -> None:
    if not can_open(by, concern):
        raise Refused("You are not on this case.")


def _require_open(concern: Concern) -> None:
    if concern.status == Status.CLOSED:
        raise Refused("This case is closed. Add a note if something new needs recording.")


def reopened_by_reporter(concern: Concern) -> bool:
    """The person who raised it wrote last: on a closed case, after it closed (closing writes to them)."""
    last = concern.entries.filter(type__in=CONVERSATION).order_by("-sequence").values_list("type", flat=True)
    return last.first() == Entry.Type.MESSAGE_FROM_REPORTER


def _move(concern: Concern, to: str, *, by: User, note: str = "") -> dict:
    """Check the move is allowed, say so in the chronology, and make it; gives the audit change set."""
    if to not in ALLOWED_MOVES[concern.status]:
        raise Refused(
            f"A case that is {concern.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    body = f"Status changed from {concern.get_status_display()} to {Status(to).label}." + (
        f" {note}" if note else ""
    )
    add_to_chronology(concern, type=Entry.Type.STATUS, body=body, author=by)
    return apply_changes(concern, {"status": to})


def _triage_decision(
    *, primary_category: str, secondary: list[str], threshold: str, owner: User, team: list[User], reason: str
) -> str:
    lines = [
        f"Main category: {Category(primary_category).label}.",
        f"Other categories: {', '.join(Category(c).label for c in secondary)}." if secondary else "",
        f"Harm threshold: {Threshold(threshold).label}.",
        f"Case owner: {owner.display_name}. Case team: {', '.join(member.display_name for member in team)}.",
    ]
    decided = "Triage decision. " + " ".join(line for line in lines if line)
    return f"{decided}\n\nWhy: {reason}" if reason.strip() else decided


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
    reason: str = "",
) -> Concern:
    """Categorise a new concern, judge it against the harm threshold, and give it an owner and team; the
    decision and why go into the chronology."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    members = [owner, *(member for member in team if member != owner)]
    conflicted = [member for member in members if is_conflicted(member, concern)]
    if conflicted:
        names = ", ".join(member.display_name for member in conflicted)
        raise Refused(f"{names} cannot work on this case: it is about them or someone they manage.")
    changes = _move(concern, Status.TRIAGED, by=by)
    secondary = [c for c in secondary_categories if c != primary_category]
    add_to_chronology(
        concern,
        type=Entry.Type.DECISION,
        body=_triage_decision(
            primary_category=primary_category,
            secondary=secondary,
            threshold=threshold,
            owner=owner,
            team=members,
            reason=reason,
        ),
        author=by,
    )
    changes |= apply_changes(
        concern,
        {
            "primary_category": primary_category,
            "secondary_categories": secondary,
            "threshold": threshold,
            "owner": owner,
            "triaged_on": timezone.localdate(),
        },
    )
    concern.save()
    for member in members:
        CaseTeamMember.objects.get_or_create(
            concern=concern, user=member, defaults={"added_on": concern.triaged_on}
        )
    changes["team"] = sorted(audit_value(member) for member in members)
    audit.record(action="triaged", actor=by, target=concern, changes=changes)
    return concern


@transaction.atomic
def add_team_member(*, by: User, concern: Concern, user: User) -> None:
    """Bring someone onto the case team, unless they have a conflict of interest."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    _require_open(concern)
    if is_conflicted(user, concern):
        raise Refused(
            f"{user.display_name} cannot work on this case: it is about them or someone they manage."
        )
    _, added = CaseTeamMember.objects.get_or_create(
        concern=concern, user=user, defaults={"added_on": timezone.localdate()}
    )
    if added:
        audit.record(action="added_to_team", actor=by, target=concern, changes={"member": audit_value(user)})


@transaction.atomic
def change_status(*, by: User, concern: Concern, to: str, note: str = "") -> Concern:
    """Move a case between investigating and referred (closing has its own use case)."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    if to == Status.CLOSED:
        raise Refused("Close a case with its outcome and reason.")
    changes = _move(concern, to, by=by, note=note)
    concern.save(update_fields=["status"])
    audit.record(action="status_changed", actor=by, target=concern, changes=changes)
    return concern


@transaction.atomic
def add_entry(*, by: User, concern: Concern, type: str, body: str, event_on: dt.date | None = None) -> Entry:
    """Add a note, action or decision to the chronology."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    if type not in (Entry.Type.NOTE, Entry.Type.ACTION, Entry.Type.DECISION):
        raise Refused("Use the message, referral or status actions for those entries.")
    if event_on and event_on > timezone.localdate():
        raise Refused("The date it happened cannot be in the future.", field="event_on")
    entry = add_to_chronology(concern, type=type, body=body, author=by, event_on=event_on)
    audit.record(action=f"added_{type}", actor=by, target=concern, changes={"entry": entry.sequence})
    return entry


@transaction.atomic
def correct_entry(*, by: User, entry: Entry, body: str, reason: str) -> Entry:
    """Correct an entry with a new one. The original stays, readable, with the correction beside it."""
    concern = _locked(entry.concern)
    _require_case_worker(by, concern)
    if entry.type not in CORRECTABLE:
        raise Refused("Only notes, actions and decisions can be corrected; add a note instead.")
    correction = add_to_chronology(
        concern,
        type=Entry.Type.CORRECTION,
        body=f"{body}\n\nReason for correction: {reason}",
        author=by,
        event_on=entry.event_on,
        corrects=entry,
    )
    audit.record(action="corrected_entry", actor=by, target=concern, changes={"entry": entry.sequence})
    return correction


@transaction.atomic
def message_reporter(*, by: User, concern: Concern, body: str) -> Entry:
    """Ask or tell the person who raised the concern something; they see it with their code or account.
    Once closed, only if they wrote again since (the conversation is reopened)."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    if not concern.conversation_reopened_on:
        _require_open(concern)
    entry = add_to_chronology(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=body, author=by)
    audit.record(action="messaged_reporter", actor=by, target=concern)
    return entry


@transaction.atomic
def add_task(*, by: User, concern: Concern, title: str, owner: User, due_on: dt.date) -> Task:
    """Give someone on the case team something to do by a date."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    _require_open(concern)
    if not can_open(owner, concern):
        raise Refused(f"{owner.display_name} is not on this case team.", field="owner")
    task = Task.objects.create(concern=concern, title=title, owner=owner, due_on=due_on)
    add_to_chronology(
        concern,
        type=Entry.Type.ACTION,
        body=f"Task for {owner.display_name} by {due_on:%-d %B %Y}: {title}",
        author=by,
    )
    audit.record(
        action="added_task",
        actor=by,
        target=concern,
        changes={"task": audit_value(task), "owner": audit_value(owner), "due_on": audit_value(due_on)},
    )
    return task


@transaction.atomic
def complete_task(*, by: User, task: Task) -> Task:
    """Mark a task done (once: marking it again changes nothing)."""
    concern = _locked(task.concern)
    task = Task.objects.get(pk=task.pk)
    _require_case_worker(by, concern)
    _require_open(concern)
    if task.done_on:
        return task
    changes = apply_changes(task, {"done_on": timezone.localdate()})
    task.save(update_fields=["done_on"])
    add_to_chronology(concern, type=Entry.Type.ACTION, body=f"Done: {task.title}", author=by)
    audit.record(
        action="completed_task", actor=by, target=concern, changes={"task": audit_value(task), **changes}
    )
    return task


@transaction.atomic
def refer(
    *, by: User, concern: Concern, agency: str, referred_on: dt.date, their_reference: str = ""
) -> Referral:
    """Record a referral to an outside agency; the case waits on its outcome."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    if referred_on > timezone.localdate():
        raise Refused("The referral date cannot be in the future.", field="referred_on")
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
    changes = {"referral": audit_value(referral), "agency": agency}
    if concern.status != Status.REFERRED:
        changes |= _move(concern, Status.REFERRED, by=by)
        concern.save(update_fields=["status"])
    audit.record(action="referred", actor=by, target=concern, changes=changes)
    return referral


@transaction.atomic
def record_referral_outcome(*, by: User, referral: Referral, outcome: str, outcome_on: dt.date) -> Referral:
    """Record what the agency did, including that it declined."""
    concern = _locked(referral.concern)
    referral = Referral.objects.get(pk=referral.pk)
    _require_case_worker(by, concern)
    if outcome == Referral.Outcome.AWAITING:
        raise Refused("Choose the outcome the agency gave.", field="outcome")
    if referral.outcome != Referral.Outcome.AWAITING:
        raise Refused("This referral's outcome is recorded already. Add a note to record anything new.")
    changes = apply_changes(referral, {"outcome": outcome, "outcome_on": outcome_on})
    referral.save(update_fields=["outcome", "outcome_on"])
    add_to_chronology(
        concern,
        type=Entry.Type.REFERRAL,
        body=f"{referral.get_agency_display()}: {referral.get_outcome_display()}.",
        author=by,
        event_on=outcome_on,
    )
    audit.record(
        action="referral_outcome",
        actor=by,
        target=concern,
        changes={"referral": audit_value(referral), **changes},
    )
    return referral


@transaction.atomic
def close(*, by: User, concern: Concern, reason: str, outcome: str, feedback: str) -> Concern:
    """Close with a reason and an outcome, and tell the reporter what happened (they are asked whether
    they would speak up again)."""
    concern = _locked(concern)
    _require_case_worker(by, concern)
    if reason not in CLOSURE_REASONS:
        raise Refused("Choose why the case is being closed.", field="reason")
    if not outcome.strip():
        raise Refused("Record the outcome before closing the case.", field="outcome")
    if not feedback.strip():
        raise Refused("Write what the person who raised it will be told.", field="feedback")
    if (
        concern.referrals.filter(outcome=Referral.Outcome.AWAITING).exists()
        and reason != "referred_externally"
    ):
        raise Refused("A referral is still awaiting its outcome. Record it, or close as referred externally.")
    changes = _move(concern, Status.CLOSED, by=by, note=CLOSURE_REASONS[reason])
    today = timezone.localdate()
    closing = {"closed_on": today, "closure_reason": reason, "outcome": outcome, "feedback_given_on": today}
    changes |= apply_changes(concern, closing)
    concern.save()
    add_to_chronology(concern, type=Entry.Type.MESSAGE_TO_REPORTER, body=feedback, author=by)
    audit.record(action="closed", actor=by, target=concern, changes=changes)
    return concern
