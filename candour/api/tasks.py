"""API tasks: large submissions imported in the worker, and the watchdog for those whose worker died."""

import datetime as dt

from django_tasks import task

from candour.api import importers
from candour.api.models import Submission
from candour.core.scheduling import every


@task()
def import_submission(submission_id: int) -> str:
    """Import a large submission's kept rows; the submission keeps the outcome and progress."""
    return importers.run(Submission.objects.get(pk=submission_id)).state


@every(dt.timedelta(minutes=5), name="api.fail_stalled_submissions")
@task()
def fail_stalled_submissions() -> int:
    """The watchdog: submissions whose worker stopped are marked failed, and their kept rows removed."""
    return importers.fail_stalled()
