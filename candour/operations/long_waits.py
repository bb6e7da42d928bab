"""Which responses are long waits: over the threshold of the category they count under (a setting, the
category's 90th-centile standard unless the trust sets its own), or over the "any C2" limit for an incident
ever coded C2, so a C2 downgraded to C4 is not let off by C4's longer standard."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from candour.core.formatting import duration
from candour.operations.arp.categories import CODED, Category
from candour.operations.arp.reference import STANDARDS


@dataclass(frozen=True)
class LongWait:
    threshold_seconds: int
    reason: str


def thresholds() -> dict[Category, int]:
    """Each coded category's threshold in seconds: the trust's own setting, or the 90th-centile standard."""
    own = settings.CANDOUR_HARM_REVIEW_OVER_MINUTES
    return {
        category: own[category.value] * 60
        if own.get(category.value) is not None
        else STANDARDS[category].centile90_seconds
        for category in CODED
    }


def long_wait(
    *, category: str, retriaged_to: str, counted_category: str, response_seconds: int | None
) -> LongWait | None:
    """Why an incident's response is a long wait, or None when it is not (or nobody arrived)."""
    if response_seconds is None:
        return None
    counted = Category(counted_category)
    limit = thresholds()[counted]
    if response_seconds > limit:
        return LongWait(limit, f"{counted} response of {duration(response_seconds)}, over {duration(limit)}")
    c2_limit = settings.CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES * 60
    if Category.C2.value in (category, retriaged_to) and response_seconds > c2_limit:
        return LongWait(
            c2_limit,
            f"Coded C2, response of {duration(response_seconds)}, over {duration(c2_limit)}",
        )
    return None
