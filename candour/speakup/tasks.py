"""Periodic speak-up jobs: writing what anonymous reporters sent, batch notices of new concerns, triage
escalation, task reminders. The work is
in the services; these only schedule it."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from candour.core import outbox
from candour.core.scheduling import daily, every
from candour.speakup import services


@every(dt.timedelta(minutes=10), name="speakup.notify_new_concerns")
@task()
def notify_new_concerns() -> None:
    """Batch notice to leads of new concerns, delivered here once written (no delivery task of its own).
    Gives nothing back: a count kept with the task's result would date the anonymous concerns among them
    to the ten minutes (docs/adr/0018)."""
    services.notify_leads_of_new_concerns()
    outbox.deliver_due()


@every(dt.timedelta(minutes=settings.CANDOUR_ANONYMOUS_BATCH_MINUTES), name="speakup.write_held_anonymous")
@task()
def write_held_anonymous() -> None:
    """Write what anonymous reporters sent since the last batch, in a random order (docs/adr/0018). Gives
    nothing back: a count kept with the task's result would say how many arrived when."""
    services.write_held_anonymous()


@every(dt.timedelta(hours=1), name="speakup.escalate_overdue_triage")
@task()
def escalate_overdue_triage() -> int:
    """Escalate concerns past their triage deadline."""
    return services.escalate_overdue_triage(today=timezone.localdate())


@daily("07:00", name="speakup.remind_overdue_tasks")
@task()
def remind_overdue_tasks() -> int:
    """Remind owners of overdue case tasks."""
    return services.remind_overdue_task_owners(today=timezone.localdate())
