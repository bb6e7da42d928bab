"""API tasks: large submissions imported in the worker."""

from django_tasks import task

from candour.api import importers
from candour.api.models import Submission


@task()
def import_submission(submission_id: int) -> str:
    """Import a large submission's kept rows; the submission keeps the outcome and progress."""
    return importers.run(Submission.objects.get(pk=submission_id)).state
