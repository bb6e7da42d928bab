"""One case: what its page shows, what may be done to it now, and who may work it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils import timezone

from candour.core.tags import tag_colours
from candour.people.models import Membership, OrgUnit, User
from candour.people.roles import roles_with
from candour.speakup.access import WORK_GUARDIAN, WORK_SAFEGUARDING, cases_for, is_conflicted
from candour.speakup.models import (
    Category,
    Concern,
    Entry,
    Kind,
    PatientDetails,
    Referral,
    Status,
    Task,
)
from candour.speakup.services import ALLOWED_MOVES, CLOSURE_REASONS, reopened_by_reporter

# Notes and corrections stay possible on a closed case (a late referral outcome, a mistake found later):
# the record must remain correctable after it is closed, never rewritten.
WHILE_NEW = frozenset({"triage", "add_entry", "correct_entry", "message_reporter"})
WHILE_OPEN = frozenset(
    {
        "add_entry",
        "correct_entry",
        "message_reporter",
        "add_task",
        "complete_task",
        "add_team_member",
        "add_referral",
        "record_referral_outcome",
        "change_status",
        "close_case",
    }
)
WHILE_CLOSED = frozenset({"add_entry", "correct_entry", "record_referral_outcome"})
CORRECTABLE_ENTRY_TYPES = frozenset({Entry.Type.NOTE, Entry.Type.ACTION, Entry.Type.DECISION})


def status_moves(concern: Concern) -> list[str]:
    """Statuses the case may move to by a status change (closing has its own page)."""
    return [status for status in Status.values if status in ALLOWED_MOVES[concern.status] - {Status.CLOSED}]


def actions_for(concern: Concern) -> frozenset[str]:
    """The case actions its status allows; the services still have the last word. On a closed case the
    team may answer a message the reporter sent after it closed."""
    if concern.status == Status.NEW:
        return WHILE_NEW
    if concern.status == Status.CLOSED:
        # The reporter wrote after closure: the team may answer them, though the case stays closed.
        return WHILE_CLOSED | {"message_reporter"} if concern.conversation_reopened_on else WHILE_CLOSED
    return WHILE_OPEN if status_moves(concern) else WHILE_OPEN - {"change_status"}


@tag_colours({"open": "blue", "overdue": "red", "done": "green"})
class TaskState(TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    DONE = "done", "Done"


def task_state(done_on: dt.date | None, due_on: dt.date, today: dt.date) -> TaskState:
    if done_on:
        return TaskState.DONE
    return TaskState.OVERDUE if due_on < today else TaskState.OPEN


@dataclass(frozen=True)
class Correction:
    recorded_on: dt.date
    recorded_at: dt.datetime | None
    author: str
    body: str


@dataclass(frozen=True)
class ChronologyLine:
    sequence: int
    type: str
    type_label: str
    event_on: dt.date
    recorded_on: dt.date
    # None for an anonymous reporter's entries, which keep the day only.
    recorded_at: dt.datetime | None
    author: str
    body: str
    correctable: bool
    corrections: list[Correction] = field(default_factory=list)


@dataclass(frozen=True)
class TaskLine:
    task_id: uuid.UUID
    title: str
    owner: str
    due_on: dt.date
    done_on: dt.date | None
    state: TaskState


@dataclass(frozen=True)
class ReferralLine:
    referral_id: uuid.UUID
    agency: str
    referred_on: dt.date
    their_reference: str
    outcome: Referral.Outcome
    outcome_on: dt.date | None


@dataclass(frozen=True)
class CaseFile:
    concern: Concern
    reporter: str
    patient: PatientDetails | None
    primary_category: str
    secondary_categories: list[str]
    owner: str
    team: list[str]
    chronology: list[ChronologyLine]
    tasks: list[TaskLine]
    referrals: list[ReferralLine]
    closure_reason: str
    actions: frozenset[str]
    reopened: bool

    @property
    def status(self) -> Status:
        return Status(self.concern.status)

    @property
    def formatted_nhs_number(self) -> str:
        digits = self.patient.nhs_number if self.patient else ""
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


@dataclass(frozen=True)
class LinkedConcern:
    concern_id: uuid.UUID
    reference: str
    kind: str
    received_on: dt.date
    status_label: str


def linked_concerns(user: User, concern: Concern) -> list[LinkedConcern]:
    """Other concerns about the same person that this user may open, newest first: patterns show here."""
    if concern.subject_person_id is None:
        return []
    others = (
        cases_for(user)
        .filter(subject_person_id=concern.subject_person_id)
        .exclude(pk=concern.pk)
        .order_by("-received_on", "reference")
        .values("id", "reference", "kind", "received_on", "status")
    )
    return [
        LinkedConcern(
            row["id"],
            row["reference"],
            Kind(row["kind"]).label,
            row["received_on"],
            Status(row["status"]).label,
        )
        for row in others
    ]


def case_in_scope(user: User, concern_id) -> Concern | None:
    """The concern, if this user may open it."""
    return (
        cases_for(user)
        .select_related("raised_by__person", "subject_person__station", "station", "owner__person")
        .filter(pk=concern_id)
        .first()
    )


def _author(user: User | None, concern: Concern) -> str:
    if user is not None:
        return user.display_name
    return "The person who raised it" if concern.is_anonymous else "Candour"


def _chronology(concern: Concern) -> list[ChronologyLine]:
    entries = list(concern.entries.select_related("author__person").order_by("event_on", "sequence"))
    corrections: dict[int, list[Correction]] = {}
    for entry in entries:
        if entry.corrects_id:
            corrections.setdefault(entry.corrects_id, []).append(
                Correction(entry.recorded_on, entry.recorded_at, _author(entry.author, concern), entry.body)
            )
    return [
        ChronologyLine(
            sequence=entry.sequence,
            type=entry.type,
            type_label=entry.get_type_display(),
            event_on=entry.event_on,
            recorded_on=entry.recorded_on,
            recorded_at=entry.recorded_at,
            author=_author(entry.author, concern),
            body=entry.body,
            correctable=entry.type in CORRECTABLE_ENTRY_TYPES,
            corrections=corrections.get(entry.pk, []),
        )
        for entry in entries
        if not entry.corrects_id
    ]


def case_file(concern: Concern) -> CaseFile:
    """Everything the case page shows, each part in one query."""
    today = timezone.localdate()
    tasks = concern.tasks.select_related("owner__person").order_by("done_on", "due_on", "pk")
    team = concern.team.select_related("user__person").order_by("added_on", "pk")
    return CaseFile(
        concern=concern,
        reporter="Anonymous" if concern.is_anonymous else concern.raised_by.display_name,
        patient=PatientDetails.objects.filter(concern=concern).first(),
        primary_category=Category(concern.primary_category).label if concern.primary_category else "",
        secondary_categories=[Category(c).label for c in concern.secondary_categories],
        owner=concern.owner.display_name if concern.owner else "",
        team=[member.user.display_name for member in team],
        chronology=_chronology(concern),
        tasks=[
            TaskLine(
                task_id=task.public_id,
                title=task.title,
                owner=task.owner.display_name,
                due_on=task.due_on,
                done_on=task.done_on,
                state=task_state(task.done_on, task.due_on, today),
            )
            for task in tasks
        ],
        referrals=[
            ReferralLine(
                referral_id=referral.public_id,
                agency=referral.get_agency_display(),
                referred_on=referral.referred_on,
                their_reference=referral.their_reference,
                outcome=Referral.Outcome(referral.outcome),
                outcome_on=referral.outcome_on,
            )
            for referral in concern.referrals.order_by("referred_on", "pk")
        ],
        closure_reason=CLOSURE_REASONS.get(concern.closure_reason, ""),
        actions=actions_for(concern),
        reopened=concern.status == Status.CLOSED and reopened_by_reporter(concern),
    )


def entry_in(concern: Concern, sequence: int) -> Entry | None:
    return concern.entries.filter(sequence=sequence).select_related("concern").first()


def task_in(concern: Concern, task_id) -> Task | None:
    return concern.tasks.filter(public_id=task_id).select_related("concern").first()


def referral_in(concern: Concern, referral_id) -> Referral | None:
    return concern.referrals.filter(public_id=referral_id).select_related("concern").first()


# Who may work a case


def case_workers(concern: Concern) -> list[User]:
    """Who may own or join the case: anyone holding a case-working role over where it happened (the
    trust, for a concern that names no station), never the person it is about or their line manager."""
    roles = roles_with(WORK_SAFEGUARDING) | roles_with(WORK_GUARDIAN)
    units = (
        OrgUnit.objects.above(concern.station)
        if concern.station
        else OrgUnit.objects.filter(kind=OrgUnit.Kind.TRUST)
    )
    holders = Membership.objects.active().filter(role__in=roles, unit__in=units)
    users = (
        User.objects.filter(pk__in=holders.values("user_id"), is_active=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "email")
    )
    return [user for user in users if not is_conflicted(user, concern)]


def case_team(concern: Concern) -> list[User]:
    """The owner and team: who a task may be given to."""
    members = concern.team.select_related("user__person").order_by("added_on", "pk")
    return [member.user for member in members]
