"""Periodic speak-up jobs: batch notices of new concerns, triage escalation, task reminders."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from candour.core import audit
from candour.core.scheduling import every
from candour.speakup import notifications
from candour.speakup.models import Concern, Status, Task


@every(dt.timedelta(minutes=10), name="speakup.notify_new_concerns")
@task()
def notify_new_concerns() -> int:
    """Tell each route's leads how many new concerns arrived since the last batch (never which or when)."""
    with transaction.atomic():
        waiting = list(
            Concern.objects.select_for_update().filter(leads_notified=False).values_list("pk", "route")
        )
        counts = Counter(route for _, route in waiting)
        notifications.send([notifications.new_concerns_message(route, n) for route, n in counts.items()])
        Concern.objects.filter(pk__in=[pk for pk, _ in waiting]).update(leads_notified=True)
    return len(waiting)


@every(dt.timedelta(hours=1), name="speakup.escalate_overdue_triage")
@task()
def escalate_overdue_triage() -> int:
    """Concerns past their triage deadline go to the route's leads and the executives, once."""
    today = timezone.localdate()
    with transaction.atomic():
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


@every(dt.timedelta(hours=24), name="speakup.remind_overdue_tasks")
@task()
def remind_overdue_tasks() -> int:
    """One reminder a day per person with overdue case tasks."""
    today = timezone.localdate()
    with transaction.atomic():
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
