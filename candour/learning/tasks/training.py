"""Learning tasks: training. Imports of uploaded files in the worker, the weekly digest of training due, and
the nightly reconciliation of compliance items."""

from django_tasks import task

from candour.learning import importers


@task()
def import_training_file(job_id: int) -> str:
    """Import an uploaded training-records file; the job keeps the outcome."""
    return importers.run_import_job(job_id=job_id).status
