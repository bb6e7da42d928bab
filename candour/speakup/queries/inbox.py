"""The inbox: the cases this user may work, with what each is waiting for.

It shows who or what each case is about and its next task, so opening it is recorded like opening those
cases; it never loads what anyone wrote (narratives, notes, messages).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from candour.people.models import User
from candour.speakup.access import cases_for
from candour.speakup.models import (
    CaseTeamMember,
    Concern,
    Entry,
    Identity,
    Kind,
    Referral,
    Route,
    Status,
    Subject,
    Task,
)
from candour.speakup.services import CONVERSATION

INBOX_PAGE_SIZE = 50

NEW, REOPENED, MINE, OTHER = 0, 1, 2, 3
SECTION_TITLES = {
    NEW: "New concerns awaiting triage",
    REOPENED: "Closed cases with a new message from the person who raised it",
    MINE: "My cases",
    OTHER: "Other cases you can open",
}

# Filters the inbox (and the home page's cards, which lead to it) understand.
TRIAGE_OVERDUE, TRIAGE_WAITING = "overdue", "waiting"
NEW_MESSAGES = "new"


@dataclass(frozen=True)
class NextTask:
    title: str
    owner: str
    due_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class InboxRow:
    concern_id: uuid.UUID
    reference: str
    kind: str
    about: str
    received_on: dt.date
    route: str
    status: Status
    identity: str
    triage_due_on: dt.date
    triage_overdue: bool
    new_message: bool
    awaiting_outcome_since: dt.date | None
    next_task: NextTask | None


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

    @property
    def concern_ids(self) -> list[uuid.UUID]:
        return [row.concern_id for section in self.sections for row in section.rows]


def _last_words() -> Subquery:
    """Which way the last message of the case's conversation with the person who raised it went."""
    conversation = Entry.objects.filter(concern=OuterRef("pk"), type__in=CONVERSATION)
    return Subquery(conversation.order_by("-sequence").values("type")[:1])


def matching(
    user: User, *, status: str = "", category: str = "", triage: str = "", messages: str = ""
) -> QuerySet[Concern]:
    """The concerns this user may open that the inbox's filters choose. Without a status, closed cases
    are left out, unless the person who raised one has written since it closed."""
    today = timezone.localdate()
    concerns = (
        cases_for(user)
        .annotate(last_words=_last_words())
        .annotate(
            new_message=Case(
                When(last_words=Entry.Type.MESSAGE_FROM_REPORTER, then=True),
                default=False,
                output_field=BooleanField(),
            ),
            triage_overdue=Case(
                When(status=Status.NEW, triage_due_on__lt=today, then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
    )
    if status:
        concerns = concerns.filter(status=status)
    else:
        concerns = concerns.filter(~Q(status=Status.CLOSED) | Q(new_message=True))
    if category:
        concerns = concerns.filter(primary_category=category)
    if triage == TRIAGE_OVERDUE:
        concerns = concerns.filter(status=Status.NEW, triage_due_on__lt=today)
    elif triage == TRIAGE_WAITING:
        concerns = concerns.filter(status=Status.NEW, triage_due_on__gte=today)
    if messages == NEW_MESSAGES:
        concerns = concerns.filter(new_message=True)
    return concerns


def list_for(user: User, *, page_number=None, **filters) -> Inbox:
    """One page of the concerns `matching` chooses: new ones by triage deadline, then closed ones the
    reporter has written on since, then the user's own cases, then the rest."""
    on_my_team = Exists(CaseTeamMember.objects.filter(concern=OuterRef("pk"), user=user))
    awaiting = Referral.objects.filter(concern=OuterRef("pk"), outcome=Referral.Outcome.AWAITING)
    concerns = matching(user, **filters).annotate(
        section=Case(
            When(status=Status.NEW, then=NEW),
            When(status=Status.CLOSED, then=REOPENED),
            When(Q(owner=user) | Q(on_my_team), then=MINE),
            default=OTHER,
            output_field=IntegerField(),
        ),
        new_due_on=Case(When(status=Status.NEW, then=F("triage_due_on"))),
        awaiting_since=Subquery(awaiting.order_by("referred_on").values("referred_on")[:1]),
    )
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
        "subject_type",
        "subject_person__given_name",
        "subject_person__family_name",
        "received_on",
        "route",
        "status",
        "identity",
        "triage_due_on",
        "section",
        "triage_overdue",
        "new_message",
        "awaiting_since",
    )
    paginator = Paginator(ordered, INBOX_PAGE_SIZE)
    # The section counts already add up to the total: spare the paginator a second count of the same rows.
    paginator.count = sum(counts.values())
    page = paginator.get_page(page_number)
    next_tasks = _next_tasks([values["id"] for values in page.object_list])
    sections: dict[int, list[InboxRow]] = {}
    for values in page.object_list:
        sections.setdefault(values["section"], []).append(_row(values, next_tasks.get(values["id"])))
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


def _about(values: dict) -> str:
    if values["subject_person__family_name"] is not None:
        return f"{values['subject_person__given_name']} {values['subject_person__family_name']}"
    return Subject(values["subject_type"]).label


def _row(values: dict, next_task: NextTask | None) -> InboxRow:
    return InboxRow(
        concern_id=values["id"],
        reference=values["reference"],
        kind=Kind(values["kind"]).label,
        about=_about(values),
        received_on=values["received_on"],
        route=Route(values["route"]).label,
        status=Status(values["status"]),
        identity=Identity(values["identity"]).label,
        triage_due_on=values["triage_due_on"],
        triage_overdue=values["triage_overdue"],
        new_message=values["new_message"],
        awaiting_outcome_since=values["awaiting_since"],
        next_task=next_task,
    )


def _next_tasks(concern_ids: list) -> dict:
    """Each case's open task that is due first, in one query for the whole page."""
    today = timezone.localdate()
    tasks = (
        Task.objects.filter(concern_id__in=concern_ids, done_on__isnull=True)
        .select_related("owner__person")
        .order_by("concern_id", "due_on", "pk")
    )
    first: dict = {}
    for task in tasks:
        first.setdefault(
            task.concern_id, NextTask(task.title, task.owner.display_name, task.due_on, task.due_on < today)
        )
    return first
