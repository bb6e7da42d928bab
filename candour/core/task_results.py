"""The worker's record of each task it ran (django-tasks' result rows), kept only as long as it is useful.

Nothing reads a finished result once its job's own record (the import, the report run, the audit event) says
how it went; left alone they grow by tens of thousands a year.
"""

import datetime as dt

from django_tasks_db.models import DBTaskResult


def prune_finished(*, before: dt.datetime) -> int:
    """Delete results that succeeded or failed before `before`; waiting and running ones are kept."""
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted
