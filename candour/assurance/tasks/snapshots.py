"""Refresh the current and previous months' measure snapshots through the day, and fill any month of the
chart span never computed (a measure published since the last full refresh)."""

from django.conf import settings
from django_tasks import task

from candour.assurance.services import snapshots
from candour.core.scheduling import every


@every(settings.CANDOUR_SNAPSHOT_REFRESH_INTERVAL, name="assurance.refresh_snapshots")
@task()
def refresh_snapshots() -> int:
    return snapshots.refresh_recent()
