"""Operations periodic jobs: every morning, harm reviews past their due date escalated once each; every
night, the last days' calls matched to their recordings."""

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import daily
from candour.operations.services import escalate_overdue_reviews, recordings


@daily("07:00", name="operations.escalate_overdue_harm_reviews")
@task()
def escalate_overdue_harm_reviews() -> int:
    return escalate_overdue_reviews(today=timezone.localdate())


@daily("03:15", name="operations.reconcile_recordings")
@task()
def reconcile_recordings() -> str:
    """Reconcile the last CANDOUR_RECORDING_RECONCILE_DAYS days of calls with the recorder's index."""
    return recordings.reconcile_recent(system="nightly recording check").summary
