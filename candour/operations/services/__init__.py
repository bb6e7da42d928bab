"""Operations services: the only code in the app that writes, besides the CAD importer."""

from candour.operations.services.harm_reviews import (
    complete_review,
    escalate_overdue_reviews,
    open_reviews,
    viewed,
)

__all__ = ["complete_review", "escalate_overdue_reviews", "open_reviews", "viewed"]
