"""Staff voice tasks: forgetting who answered a pulse once it has closed."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from candour.core.scheduling import every
from candour.voice import services


@every(dt.timedelta(hours=6), name="voice.forget_tokens")
@task()
def forget_tokens() -> int:
    """Delete the response tokens of closed pulses; returns how many."""
    return services.forget_tokens(today=timezone.localdate())
