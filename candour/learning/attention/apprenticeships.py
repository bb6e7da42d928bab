"""Learning attention: apprenticeships. The education lead sees how many apprentices need attention; an
apprentice sees when their own progress review is due."""

from django.urls import reverse

from candour.core.attention import AttentionItem, provider
from candour.core.formatting import local_date
from candour.learning.access import MANAGE_APPRENTICES
from candour.learning.queries import apprenticeships as queries
from candour.people.access import can


@provider
def apprentices_needing_attention(user):
    if not can(user, MANAGE_APPRENTICES):
        return
    count = queries.needing_attention_count(user)
    if count:
        yield AttentionItem(
            "Apprentices needing attention",
            "Overdue reviews, off-the-job shortfalls, welfare flags, no mentor, or ending soon.",
            f"{reverse('learning:show_caseload')}?show={queries.NEEDS_ATTENTION}",
            count,
        )


@provider
def my_review_due(user):
    due = queries.review_due_for_apprentice(user)
    if due:
        when = "was due" if due.overdue else "is due"
        yield AttentionItem(
            "Your progress review is due",
            f"Your apprenticeship progress review {when} by {local_date(due.due_on)}. "
            "Arrange it with your mentor and education lead.",
            reverse("learning:show_apprenticeship", kwargs={"apprenticeship_id": due.apprenticeship_id}),
            urgent=due.overdue,
        )
