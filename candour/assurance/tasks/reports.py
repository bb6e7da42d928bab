"""Reports made by the worker, the watchdog for runs whose worker stopped, and the daily clean-up of old
report files."""

import datetime as dt

from django_tasks import task

from candour.assurance.services import reports as services
from candour.core.scheduling import every


@task()
def generate_report(run_id: int) -> str:
    """Generate a queued report; the run keeps its progress and its outcome."""
    return services.generate_run(run_id=run_id).status


@every(dt.timedelta(minutes=5), name="assurance.fail_stalled_reports")
@task()
def fail_stalled_reports() -> int:
    """The watchdog: runs whose worker stopped are marked failed, and their files removed."""
    return services.fail_stalled_runs()


@every(dt.timedelta(days=1), name="assurance.clean_up_reports")
@task()
def clean_up_reports() -> int:
    return services.clean_up_reports()
