"""Operations tasks: each night, every call of the last days matched to its recording."""

from django_tasks import task

from candour.core.scheduling import daily
from candour.operations.services import recordings


@daily("03:15", name="operations.reconcile_recordings")
@task()
def reconcile_recordings() -> str:
    """Reconcile the last CANDOUR_RECORDING_RECONCILE_DAYS days of calls with the recorder's index."""
    return recordings.reconcile_recent(system="nightly recording check").summary
