"""Operations services: the only code in the app that writes, besides the importers."""

from candour.operations.services.harm_reviews import (
    complete_review,
    escalate_overdue_reviews,
    open_reviews,
    sweep_long_waits,
    viewed,
)
from candour.operations.services.recordings import close_exception, reconcile, reconcile_recent

__all__ = [
    "close_exception",
    "complete_review",
    "escalate_overdue_reviews",
    "open_reviews",
    "reconcile",
    "reconcile_recent",
    "sweep_long_waits",
    "viewed",
]
