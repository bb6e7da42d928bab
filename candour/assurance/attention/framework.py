"""Assurance attention: the candour gap, for the quality lead and the executives who answer for it."""

from django.urls import reverse
from django.utils import timezone

from candour.assurance.queries.gap import candour_gap
from candour.core.attention import AttentionItem, provider
from candour.people.access import has_role
from candour.people.roles import Role


@provider
def optimistic_self_assessments(user):
    """Self-assessments flagged as more optimistic than their evidence, if there are any."""
    if not has_role(user, Role.QUALITY_LEAD, Role.EXECUTIVE):
        return
    report = candour_gap(on=timezone.localdate())
    flagged = len(report.flagged)
    if not flagged:
        return
    yield AttentionItem(
        "Candour gap",
        f"{flagged} quality statement{'s are' if flagged != 1 else ' is'} assessed more optimistically "
        f"than the evidence in {report.evidence.label}.",
        reverse("assurance:show_gap"),
        flagged,
    )
