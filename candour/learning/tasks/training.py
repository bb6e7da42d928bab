"""Learning tasks: training. The daily reminders (each person at most one digest a week; line managers told
once when a subject runs out), and the nightly reconciliation. Uploads are imported by core's import task.

Emails name subjects and dates, and link to Candour; they carry nothing else about anyone.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from candour.core import outbox
from candour.core.scheduling import daily
from candour.learning import emails
from candour.learning.services import training as services


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
