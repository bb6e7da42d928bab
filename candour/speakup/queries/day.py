"""The case team's day, across every case the user may open: tasks due, referrals waiting for an agency's
outcome and since when, messages from people who raised concerns waiting for an answer, and (for the
safeguarding lead) patterns of low-level concerns waiting for review."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from candour.people.access import can
from candour.people.models import User
from candour.speakup.access import WORK_SAFEGUARDING, cases_for
from candour.speakup.models import Referral, Status, Task
from candour.speakup.queries.cases import TaskState, task_state
from candour.speakup.queries.inbox import NEW_MESSAGES, matching
from candour.speakup.queries.patterns import PatternRow, pattern_rows

# The task list's filters, which the home page's cards lead to.
MINE = "mine"
OVERDUE, DUE_BY_TODAY, DUE_THIS_WEEK = "overdue", "today", "week"
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class TaskRow:
    task_id: uuid.UUID
    title: str
    concern_id: uuid.UUID
    reference: str
    owner: str
    due_on: dt.date
    state: TaskState


@dataclass(frozen=True)
class ReferralRow:
    concern_id: uuid.UUID
    reference: str
    agency: str
    referred_on: dt.date
    days_waiting: int


@dataclass(frozen=True)
class MessageRow:
    concern_id: uuid.UUID
    reference: str
    status: Status


@dataclass(frozen=True)
class TeamDay:
    today: dt.date
    tasks_due: list[TaskRow]
    tasks_due_this_week: int
    referrals: list[ReferralRow]
    messages: list[MessageRow]
    patterns: list[PatternRow] | None

    @property
    def concern_ids(self) -> set[uuid.UUID]:
        shown = [*self.tasks_due, *self.referrals, *self.messages]
        linked = [link for pattern in self.patterns or [] for link in pattern.concerns]
        return {row.concern_id for row in [*shown, *linked]}


def open_tasks(user: User, *, owner: str = "", due: str = "") -> QuerySet[Task]:
    """Open tasks on cases this user may open, chosen by the task list's filters: only the user's own,
    and overdue, due by today, or due within the week."""
    today = timezone.localdate()
    tasks = Task.objects.filter(concern__in=cases_for(user), done_on__isnull=True)
    if owner == MINE:
        tasks = tasks.filter(owner=user)
    if due == OVERDUE:
        tasks = tasks.filter(due_on__lt=today)
    elif due == DUE_BY_TODAY:
        tasks = tasks.filter(due_on__lte=today)
    elif due == DUE_THIS_WEEK:
        tasks = tasks.filter(due_on__lte=today + WEEK)
    return tasks


def task_rows(tasks: QuerySet[Task]) -> list[TaskRow]:
    """Each task with its case, soonest due first."""
    today = timezone.localdate()
    chosen = tasks.select_related("owner__person", "concern").order_by("due_on", "concern__reference", "pk")
    return [
        TaskRow(
            task_id=task.public_id,
            title=task.title,
            concern_id=task.concern_id,
            reference=task.concern.reference,
            owner=task.owner.display_name,
            due_on=task.due_on,
            state=task_state(task.done_on, task.due_on, today),
        )
        for task in chosen
    ]


def awaiting_outcome(user: User) -> list[ReferralRow]:
    """Referrals still waiting for the agency's outcome, longest waiting first."""
    today = timezone.localdate()
    referrals = (
        Referral.objects.filter(concern__in=cases_for(user), outcome=Referral.Outcome.AWAITING)
        .select_related("concern")
        .order_by("referred_on", "concern__reference", "pk")
    )
    return [
        ReferralRow(
            concern_id=referral.concern_id,
            reference=referral.concern.reference,
            agency=referral.get_agency_display(),
            referred_on=referral.referred_on,
            days_waiting=(today - referral.referred_on).days,
        )
        for referral in referrals
    ]


def team_day(user: User) -> TeamDay:
    """What the team has to do today."""
    today = timezone.localdate()
    messages = matching(user, messages=NEW_MESSAGES).order_by("reference")
    return TeamDay(
        today=today,
        tasks_due=task_rows(open_tasks(user, due=DUE_BY_TODAY)),
        tasks_due_this_week=open_tasks(user, due=DUE_THIS_WEEK).filter(due_on__gt=today).count(),
        referrals=awaiting_outcome(user),
        messages=[
            MessageRow(concern_id, reference, Status(status))
            for concern_id, reference, status in messages.values_list("id", "reference", "status")
        ],
        patterns=pattern_rows(user) if can(user, WORK_SAFEGUARDING) else None,
    )
