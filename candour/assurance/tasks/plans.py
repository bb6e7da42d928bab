"""Assurance tasks: action plans. Once a day, escalate overdue actions to their owners' line managers.

The work is in the service; this only schedules it.
"""

from django.utils import timezone
from django_tasks import task

from candour.assurance.services import plans as services
from candour.core.scheduling import daily


@daily("07:00", name="assurance.escalate_overdue_actions")
@task()
def escalate_overdue_actions() -> int:
    """Escalate each overdue action once per due date; returns how many were escalated."""
    return services.escalate_overdue_actions(today=timezone.localdate())
