"""Read models for case work: the inbox, the case page, who may work a case, and patterns to review.

Lists never load narratives or notes: they select only the plain columns they show, so nothing sensitive
is decrypted for a page that does not display it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, When
from django.utils import timezone

from candour.people.access import scope_of
from candour.people.models import Membership, OrgUnit, User
from candour.people.roles import roles_with
from candour.speakup.access import WORK_GUARDIAN, WORK_SAFEGUARDING, cases_for, is_conflicted
from candour.speakup.models import (
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
    Status,
    Task,
)
from candour.speakup.services import ALLOWED_MOVES, CLOSURE_REASONS

INBOX_PAGE_SIZE = 50

NEW, MINE, OTHER = 0, 1, 2
SECTION_TITLES = {NEW: "New concerns awaiting triage", MINE: "My cases", OTHER: "Other cases you can open"}

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
    """The case actions its status allows; the services still have the last word."""
    if concern.status == Status.NEW:
        return WHILE_NEW
    if concern.status == Status.CLOSED:
        # The reporter wrote after closure: the team may answer them, though the case stays closed.
        return WHILE_CLOSED | {"message_reporter"} if concern.conversation_reopened_on else WHILE_CLOSED
    return WHILE_OPEN if status_moves(concern) else WHILE_OPEN - {"change_status"}


# The inbox


@dataclass(frozen=True)
class InboxRow:
    concern_id: uuid.UUID
    reference: str
    kind: str
    received_on: dt.date
    route: str
    status: str
    status_label: str
    identity: str
    triage_due_on: dt.date
    triage_overdue: bool


@dataclass(frozen=True)
class InboxSection:
    title: str
    total: int
    overdue: int
    rows: list[InboxRow]


@dataclass(frozen=True)
class Inbox:
    page: Page
    sections: list[InboxSection]


def _inbox_concerns(user: User, *, status: str, category: str) -> QuerySet:
    today = timezone.localdate()
    on_my_team = Exists(CaseTeamMember.objects.filter(concern=OuterRef("pk"), user=user))
    concerns = cases_for(user)
    concerns = concerns.filter(status=status) if status else concerns.open()
    if category:
        concerns = concerns.filter(primary_category=category)
    return concerns.annotate(
        section=Case(
            When(status=Status.NEW, then=NEW),
            When(Q(owner=user) | Q(on_my_team), then=MINE),
            default=OTHER,
            output_field=IntegerField(),
        ),
        triage_overdue=Case(
            When(status=Status.NEW, triage_due_on__lt=today, then=True),
            default=False,
            output_field=BooleanField(),
        ),
        new_due_on=Case(When(status=Status.NEW, then=F("triage_due_on"))),
    )


def inbox(user: User, *, status: str = "", category: str = "", page_number=None) -> Inbox:
    """Concerns this user may open, one page at a time: new ones by triage deadline, then their own cases,
    then the rest. Without a status filter, closed cases are left out."""
    concerns = _inbox_concerns(user, status=status, category=category)
    counts = {
        (section, overdue): n
        for section, overdue, n in concerns.order_by()
        .values_list("section", "triage_overdue")
        .annotate(n=Count("pk"))
    }
    ordered = concerns.order_by(
        "section", F("new_due_on").asc(nulls_last=True), "-received_on", "reference"
    ).values(
        "id",
        "reference",
        "kind",
        "received_on",
        "route",
        "status",
        "identity",
        "triage_due_on",
        "section",
        "triage_overdue",
    )
    paginator = Paginator(ordered, INBOX_PAGE_SIZE)
    # The section counts already add up to the total: spare the paginator a second count of the same rows.
    paginator.count = sum(counts.values())
    page = paginator.get_page(page_number)
    sections: dict[int, list[InboxRow]] = {}
    for values in page.object_list:
        sections.setdefault(values["section"], []).append(
            InboxRow(
                concern_id=values["id"],
                reference=values["reference"],
                kind=Kind(values["kind"]).label,
                received_on=values["received_on"],
                route=Route(values["route"]).label,
                status=values["status"],
                status_label=Status(values["status"]).label,
                identity=Identity(values["identity"]).label,
                triage_due_on=values["triage_due_on"],
                triage_overdue=values["triage_overdue"],
            )
        )
    return Inbox(
        page=page,
        sections=[
            InboxSection(
                title=SECTION_TITLES[section],
                total=counts.get((section, False), 0) + counts.get((section, True), 0),
                overdue=counts.get((section, True), 0),
                rows=rows,
            )
            for section, rows in sections.items()
        ],
    )


# The case page


@dataclass(frozen=True)
class Correction:
    recorded_on: dt.date
    author: str
    body: str


@dataclass(frozen=True)
class ChronologyLine:
    sequence: int
    type: str
    type_label: str
    event_on: dt.date
    recorded_on: dt.date
    author: str
    body: str
    correctable: bool
    corrections: list[Correction] = field(default_factory=list)


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    title: str
    owner: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool


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
    referrals: list[Referral]
    closure_reason: str
    actions: frozenset[str]

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
                Correction(entry.recorded_on, _author(entry.author, concern), entry.body)
            )
    return [
        ChronologyLine(
            sequence=entry.sequence,
            type=entry.type,
            type_label=entry.get_type_display(),
            event_on=entry.event_on,
            recorded_on=entry.recorded_on,
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
                task_id=task.pk,
                title=task.title,
                owner=task.owner.display_name,
                due_on=task.due_on,
                done_on=task.done_on,
                overdue=task.done_on is None and task.due_on < today,
            )
            for task in tasks
        ],
        referrals=list(concern.referrals.order_by("referred_on", "pk")),
        closure_reason=CLOSURE_REASONS.get(concern.closure_reason, ""),
        actions=actions_for(concern),
    )


def entry_in(concern: Concern, sequence: int) -> Entry | None:
    return concern.entries.filter(sequence=sequence).select_related("concern").first()


def task_in(concern: Concern, task_id: int) -> Task | None:
    return concern.tasks.filter(pk=task_id).select_related("concern").first()


def referral_in(concern: Concern, referral_id: int) -> Referral | None:
    return concern.referrals.filter(pk=referral_id).select_related("concern").first()


# Who may work a case


def _units_over(concern: Concern) -> list[OrgUnit]:
    """The concern's station and every unit above it; a concern with no station belongs to the trust."""
    if concern.station is None:
        return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TRUST))
    units, unit = [], concern.station
    while unit is not None:
        units.append(unit)
        unit = unit.parent
    return units


def case_workers(concern: Concern) -> list[User]:
    """Who may own or join the case: anyone holding a case-working role over where it happened, never
    the person it is about or their line manager."""
    roles = roles_with(WORK_SAFEGUARDING) | roles_with(WORK_GUARDIAN)
    holders = Membership.objects.active().filter(role__in=roles, unit__in=_units_over(concern))
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


# Patterns


@dataclass(frozen=True)
class CaseLink:
    concern_id: uuid.UUID
    reference: str
    received_on: dt.date


@dataclass(frozen=True)
class PatternRow:
    person_id: uuid.UUID
    person_name: str
    station: str
    concern_count: int
    window_days: int
    raised_on: dt.date
    concerns: list[CaseLink]

    @property
    def window_months(self) -> int:
        return round(self.window_days * 12 / 365)


def _patterns_in_scope(user: User) -> QuerySet[PatternFlag]:
    """Unreviewed flags about people in the lead's area, never about the lead or someone they manage."""
    scope = scope_of(user, WORK_SAFEGUARDING)
    flags = PatternFlag.objects.filter(
        reviewed_on__isnull=True, subject_person__station_id__in=scope.station_ids
    )
    if user.person_id:
        flags = flags.exclude(
            Q(subject_person_id=user.person_id) | Q(subject_person__line_manager_id=user.person_id)
        )
    return flags


def patterns_to_review(user: User) -> list[PatternRow]:
    """Patterns waiting for the safeguarding lead, each with the concerns about that person they may open."""
    flags = list(_patterns_in_scope(user).select_related("subject_person__station").order_by("-raised_on"))
    about = (
        cases_for(user)
        .filter(subject_person_id__in=[flag.subject_person_id for flag in flags])
        .order_by("-received_on", "reference")
        .values_list("subject_person_id", "id", "reference", "received_on")
    )
    links: dict[int, list[CaseLink]] = {}
    for person_id, concern_id, reference, received_on in about:
        links.setdefault(person_id, []).append(CaseLink(concern_id, reference, received_on))
    return [
        PatternRow(
            person_id=flag.subject_person.public_id,
            person_name=flag.subject_person.full_name,
            station=flag.subject_person.station.name,
            concern_count=flag.concern_count,
            window_days=flag.window_days,
            raised_on=flag.raised_on,
            concerns=links.get(flag.subject_person_id, []),
        )
        for flag in flags
    ]


def pattern_to_review(user: User, person_id) -> PatternFlag | None:
    return _patterns_in_scope(user).filter(subject_person__public_id=person_id).first()
