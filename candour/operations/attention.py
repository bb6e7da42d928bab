"""Operations on the home page: harm reviews of long waits for those who complete them."""

from django.urls import reverse
from django.utils import timezone

from candour.core.attention import AttentionItem, provider
from candour.operations.access import COMPLETE_HARM_REVIEWS
from candour.operations.models import HarmReview
from candour.people.access import can, scope_of


@provider
def harm_reviews_to_complete(user):
    """Open harm reviews in the user's scope; urgent when any is overdue."""
    if not can(user, COMPLETE_HARM_REVIEWS):
        return
    reviews = HarmReview.objects.for_scope(scope_of(user, COMPLETE_HARM_REVIEWS))
    waiting = reviews.open().count()
    if waiting:
        overdue = reviews.overdue(timezone.localdate()).count()
        yield AttentionItem(
            "Harm reviews of long waits",
            f"{overdue} past the due date."
            if overdue
            else "Long waits whose harm review is not yet complete.",
            reverse("operations:list_harm_reviews"),
            waiting,
            urgent=bool(overdue),
        )
