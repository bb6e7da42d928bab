"""Assurance attention: an action owner's actions at risk or overdue, and a risk owner's overdue reviews."""

from django.urls import reverse
from django.utils import timezone

from candour.assurance.queries import plans as plan_queries
from candour.assurance.queries import risks as risk_queries
from candour.core.attention import AttentionItem, and_more, provider


def _link(rows) -> str:
    """One action: straight to it; several: the list, where they head the page."""
    if len(rows) == 1:
        return reverse("assurance:show_action", kwargs={"action_id": rows[0].public_id})
    return reverse("assurance:list_plans")


@provider
def own_actions(user):
    """Overdue actions are urgent; actions at risk are a warning, with the first reason."""
    if not getattr(user, "is_authenticated", False):
        return
    found = plan_queries.own_actions_needing_attention(user, timezone.localdate())
    if found.overdue:
        count = len(found.overdue)
        yield AttentionItem(
            "Your overdue actions" if count > 1 else "Your action is overdue",
            f"“{found.overdue[0].title}”"
            + and_more(count)
            + " passed the due date. Finish it and add its evidence, or ask for a new date.",
            _link(found.overdue),
            count,
            urgent=True,
        )
    if found.at_risk:
        count = len(found.at_risk)
        first = found.at_risk[0]
        yield AttentionItem(
            "Your actions at risk" if count > 1 else "Your action is at risk",
            f"“{first.title}”: {first.judgement.reason}." + (f" And {count - 1} more." if count > 1 else ""),
            _link(found.at_risk),
            count,
        )


@provider
def own_risk_reviews(user):
    if not getattr(user, "is_authenticated", False):
        return
    overdue = risk_queries.overdue_reviews_owned(user, timezone.localdate())
    if overdue:
        count = len(overdue)
        link = (
            reverse("assurance:show_risk", kwargs={"risk_id": overdue[0].public_id})
            if count == 1
            else reverse("assurance:list_risks")
        )
        yield AttentionItem(
            "Risk reviews overdue",
            f"{overdue[0].reference} {overdue[0].title}"
            + and_more(count)
            + ": past the review date. Review the scores and controls.",
            link,
            count,
            urgent=True,
        )


@provider
def escalations_to_me(user):
    """Overdue actions escalated to this person (an owner's line manager, or the plan's accountable owner):
    urgent, as the owner has already let the date pass."""
    escalated = plan_queries.escalated_to(user, timezone.localdate())
    if not escalated:
        return
    count = len(escalated)
    yield AttentionItem(
        "Actions escalated to you" if count > 1 else "An action escalated to you",
        f"“{escalated[0].title}”"
        + and_more(count)
        + " passed the due date and came to you. Ask its owner for the evidence, or agree a new date.",
        reverse("assurance:list_plans") + "#escalated",
        count,
        urgent=True,
    )
