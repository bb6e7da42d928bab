"""Operations periodic jobs: harm reviews past their due date, escalated once each, every morning."""

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import daily
from candour.operations.services import escalate_overdue_reviews


@daily("07:00", name="operations.escalate_overdue_harm_reviews")
@task()
def escalate_overdue_harm_reviews() -> int:
    return escalate_overdue_reviews(today=timezone.localdate())
