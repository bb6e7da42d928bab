"""Medicines periodic jobs: missed stock checks and unresolved discrepancies, escalated once each."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import every
from candour.medicines.services import schedule


@every(dt.timedelta(minutes=15), name="medicines.escalate_checks_and_discrepancies")
@task()
def escalate_checks_and_discrepancies() -> int:
    now = timezone.now()
    return schedule.escalate_missed_checks(now=now) + schedule.escalate_open_discrepancies(now=now)
