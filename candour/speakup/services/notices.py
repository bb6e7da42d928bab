"""Periodic notices about concerns (called by speakup.tasks): counts and links, never details."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction

from candour.core import audit
from candour.speakup import notifications
from candour.speakup.models import (
    Concern,
    Status,
    Task,
)
from candour.speakup.services import held


@transaction.atomic
def notify_leads_of_new_concerns() -> int:
    """Tell each route's leads how many new concerns arrived since the last batch (never which or when),
    counting anonymous ones still held for their own batch: urgent routing waits for no batch."""
    waiting = list(
        Concern.objects.select_for_update().filter(leads_notified=False).values_list("pk", "route")
    )
    counts = Counter([route for _, route in waiting] + held.take_unannounced())
    notifications.send(
        [notifications.new_concerns_message(route, n) for route, n in counts.items()],
        dates_anonymous_reports=True,
    )
    Concern.objects.filter(pk__in=[pk for pk, _ in waiting]).update(leads_notified=True)
    return counts.total()


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
