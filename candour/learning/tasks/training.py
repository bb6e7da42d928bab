"""Learning tasks: training. Imports of uploaded files in the worker, the daily reminders (each person at most
one digest a week; line managers told once when a subject runs out), and the nightly reconciliation.

Emails name subjects and dates, and link to Candour; they carry nothing else about anyone.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from candour.core import outbox
from candour.core.formatting import local_date
from candour.core.scheduling import daily, every
from candour.learning import importers
from candour.learning.compliance import Status
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


def _link(name: str, query: dict | None = None) -> str:
    return settings.CANDOUR_BASE_URL.rstrip("/") + reverse(name) + (f"?{urlencode(query)}" if query else "")


def _when(item: services.DueItem) -> str:
    if item.expires_on is None:
        return "not yet done"
    if item.expires_on <= timezone.localdate():
        return f"expired on {local_date(item.expires_on)}"
    return f"valid until {local_date(item.valid_until)}"


def digest_message(digest: services.Digest) -> tuple[str, str, str, list[str]]:
    count = len(digest.items)
    lines = [
        f"Hello {digest.given_name},",
        "",
        f"Your role needs {'this training' if count == 1 else f'these {count} subjects'} soon, or now:",
        "",
        *(f"- {item.subject_name}: {_when(item)}" for item in digest.items),
        "",
        f"See your training in Candour: {_link('learning:show_my_training')}",
        "",
        "Book it through the learning system. You get this email at most once a week while anything is due.",
    ]
    return "Candour: training due", "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [digest.email]


def manager_message(notice: services.ManagerNotice) -> tuple[str, str, str, list[str]]:
    lines = [
        "Training has run out for people you manage:",
        "",
        *(
            f"- {item.full_name} ({item.staff_number}): {item.subject_name}, "
            f"expired on {local_date(item.expired_on)}"
            for item in notice.items
        ),
        "",
        f"See your team's training: {_link('learning:list_compliance_people', {'status': Status.EXPIRED})}",
        "",
        "You are told once when each subject runs out.",
    ]
    return (
        "Candour: training expired in your team",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [notice.email],
    )


@daily("07:00", name="learning.send_training_reminders")
@task()
def send_training_reminders() -> int:
    """Digests and managers' notices; returns how many emails were queued."""
    with transaction.atomic():
        # Logged and queued together: the outbox sends each email once, after this commits.
        reminders = services.training_reminders(
            today=timezone.localdate(), due_soon_days=settings.CANDOUR_TRAINING_DUE_SOON_DAYS
        )
        messages = [digest_message(d) for d in reminders.digests]
        messages += [manager_message(n) for n in reminders.notices]
        outbox.send(messages)
    return len(messages)


@daily("05:00", name="learning.reconcile_compliance")
@task()
def reconcile_compliance() -> int:
    """Starters, leavers and anyone else whose compliance items are out of step; returns items changed."""
    changes = services.reconcile_compliance(system="nightly compliance reconciliation")
    return changes.created + changes.updated + changes.deleted
