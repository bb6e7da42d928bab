"""Learning tasks: training. Imports of uploaded files in the worker, the daily reminders (each person at most
one digest a week; line managers told once when a subject runs out), and the nightly reconciliation.

Emails name subjects and dates, and link to Candour; they carry nothing else about anyone.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from candour.core import outbox
from candour.core.scheduling import daily, every
from candour.learning import emails, importers
from candour.learning.services import training as services


@task()
def import_training_file(job_id: int) -> str:
    """Import an uploaded training-records file; the job keeps the outcome."""
    return importers.run_import_job(job_id=job_id).status


@every(dt.timedelta(minutes=5), name="learning.fail_stalled_imports")
@task()
def fail_stalled_imports() -> int:
    """The watchdog: imports whose worker stopped are marked failed, and their upload removed."""
    return importers.fail_stalled_imports()


@daily("07:00", name="learning.send_training_reminders")
@task()
def send_training_reminders() -> int:
    """Digests and managers' notices; returns how many emails were queued."""
    with transaction.atomic():
        # Logged and queued together: the outbox sends each email once, after this commits.
        reminders = services.training_reminders(
            today=timezone.localdate(), due_soon_days=settings.CANDOUR_TRAINING_DUE_SOON_DAYS
        )
        messages = [emails.digest_message(d) for d in reminders.digests]
        messages += [emails.manager_message(n) for n in reminders.notices]
        outbox.send(messages)
    return len(messages)


@daily("05:00", name="learning.reconcile_compliance")
@task()
def reconcile_compliance() -> int:
    """Starters, leavers and anyone else whose compliance items are out of step; returns items changed."""
    changes = services.reconcile_compliance(system="nightly compliance reconciliation")
    return changes.created + changes.updated + changes.deleted
