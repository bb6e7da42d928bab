"""Operations periodic jobs: every morning, harm reviews past their due date escalated once each; every
night, the last days' calls matched to their recordings, and every stored incident that is a long wait under
the thresholds in force given its harm review (so a lowered threshold reaches those already imported)."""

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import daily
from candour.operations.services import escalate_overdue_reviews, recordings, sweep_long_waits


@daily("07:00", name="operations.escalate_overdue_harm_reviews")
@task()
def escalate_overdue_harm_reviews() -> int:
    return escalate_overdue_reviews(today=timezone.localdate())


@daily("03:15", name="operations.reconcile_recordings")
@task()
def reconcile_recordings() -> str:
    """Reconcile the last CANDOUR_RECORDING_RECONCILE_DAYS days of calls with the recorder's index."""
    return recordings.reconcile_recent(system="nightly recording check").summary


@daily("02:45", name="operations.open_reviews_of_long_waits")
@task()
def open_reviews_of_long_waits() -> int:
    return sweep_long_waits()
