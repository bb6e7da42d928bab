"""The platform's own periodic jobs."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from candour.core import audit, once, outbox, task_results, throttle
from candour.core.importing import jobs
from candour.core.scheduling import daily, every


@daily("02:00", name="core.verify_audit_chain")
@task()
def verify_audit_chain() -> bool:
    """Walk the audit chain and keep the result for the administrators' home page."""
    return audit.verify_and_keep_result().intact


@every(dt.timedelta(hours=24), name="core.clear_expired_sessions")
@task()
def clear_expired_sessions() -> int:
    """Sessions past their expiry carry nothing anyone needs."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@every(dt.timedelta(hours=1), name="core.flush_deferred_audit")
@task()
def flush_deferred_audit() -> int:
    """Append yesterday's (and older) anonymous events to the audit chain, in random order."""
    return audit.flush_deferred(before=timezone.now().astimezone(dt.UTC).date())


@every(dt.timedelta(hours=24), name="core.forget_sent_forms")
@task()
def forget_sent_forms() -> int:
    """A week on, nobody reloads the page a form was sent from: its one-time token can go."""
    return once.forget_before(timezone.localdate() - dt.timedelta(days=7))


@every(dt.timedelta(minutes=15), name="core.forget_throttle_counts")
@task()
def forget_throttle_counts() -> int:
    """Finished throttle windows, and past days' keys, are deleted."""
    return throttle.forget_expired()


@every(dt.timedelta(days=1), name="core.prune_task_results")
@task()
def prune_task_results() -> int:
    """Finished task results older than CANDOUR_TASK_RESULTS_KEEP_DAYS are deleted."""
    keep = dt.timedelta(days=settings.CANDOUR_TASK_RESULTS_KEEP_DAYS)
    return task_results.prune_finished(before=timezone.now() - keep)


@every(dt.timedelta(minutes=5), name="core.deliver_email")
@task()
def deliver_email() -> int:
    """Send the emails that are due. New ones wake this as soon as their transaction commits; the schedule
    retries those the mail server did not take, once their back-off has passed."""
    return outbox.deliver_due()


@every(dt.timedelta(hours=24), name="core.forget_sent_email")
@task()
def forget_sent_email() -> int:
    """Sent emails older than CANDOUR_OUTBOX_KEEP_DAYS are deleted."""
    return outbox.forget_sent(before=timezone.now() - dt.timedelta(days=settings.CANDOUR_OUTBOX_KEEP_DAYS))


@task()
def run_import(job_id: int) -> str:
    """Import an uploaded file through its feed; the job keeps the outcome."""
    return jobs.run_import_job(job_id=job_id).status


@every(dt.timedelta(minutes=5), name="core.fail_stalled_imports")
@task()
def fail_stalled_imports() -> int:
    """The watchdog: imports whose worker stopped are marked failed, and their upload removed."""
    return jobs.fail_stalled_imports()


@every(dt.timedelta(hours=24), name="core.forget_import_files")
@task()
def forget_import_files() -> int:
    """Uploads no import needs any more (left waiting for their columns, or after a worker died) go."""
    return jobs.forget_old_files()
