"""Learning tasks: apprenticeships. Moves planned for a future date are made on the day; a cohort's transfer
packs are made in the worker, and forgotten after a few days."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import daily, every
from candour.learning.services import apprenticeships as services
from candour.learning.services import cohort_packs


@daily("00:30", name="learning.make_planned_transfers")
@task()
def make_planned_transfers() -> int:
    """Apprentices whose planned move to a new provider falls today or before; returns how many moved."""
    return services.make_planned_transfers(today=timezone.localdate())


@task()
def make_cohort_pack(pack_id: int) -> str:
    """Make one cohort's zip of transfer packs; the pack keeps the outcome."""
    return cohort_packs.make_cohort_pack(pack_id=pack_id).status


@every(dt.timedelta(days=1), name="learning.forget_old_cohort_packs")
@task()
def forget_old_cohort_packs() -> int:
    """Cohort packs past their keeping; returns how many went."""
    return cohort_packs.forget_old_cohort_packs(today=timezone.localdate())
