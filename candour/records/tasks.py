"""Records tasks: retention, each night, of what Candour holds about patient records."""

from django_tasks import task

from candour.core.scheduling import daily
from candour.records.services import retention


@daily("02:30", name="records.apply_retention")
@task()
def apply_retention() -> int:
    """Delete or anonymise what has passed its retention period; returns how many rows."""
    return retention.apply_retention().total
