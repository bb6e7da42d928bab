"""Which incidents are long waits: a response over the threshold of the category it counts under (a setting,
the category's 90th-centile standard unless the trust sets its own), or over the "any C2" limit for an
incident ever coded C2 (first coded or re-triaged to), so a C2 downgraded to C4 is not let off by C4's longer
standard; or one the CAD itself flagged as a long wait, whatever its response.

The rule is written twice, side by side, because it is asked two ways: of one incident (`long_wait`, which
also says why) and of every stored incident at once (`long_waits`, a database filter for the sweep after a
threshold changes). A test holds them to the same answers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from candour.core.formatting import duration
from candour.operations.arp.categories import CODED, Category
from candour.operations.arp.reference import STANDARDS
from candour.operations.models import Retriage


@dataclass(frozen=True)
class LongWait:
    # None when the CAD flagged it and the response went over no threshold.
    threshold_seconds: int | None
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


def any_c2_limit() -> int:
    return settings.CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES * 60


def long_wait(
    *, coded_as: Collection[str], counted_category: str, response_seconds: int | None, flagged_by_cad: bool
) -> LongWait | None:
    """Why an incident is a long wait, or None when it is not. `coded_as` is every category it was coded as
    (first and each re-triage); `flagged_by_cad` is the CAD's own long-wait flag."""
    counted = Category(counted_category)
    if response_seconds is not None:
        limit = thresholds()[counted]
        if response_seconds > limit:
            return LongWait(
                limit, f"{counted} response of {duration(response_seconds)}, over {duration(limit)}"
            )
        c2_limit = any_c2_limit()
        if Category.C2.value in coded_as and response_seconds > c2_limit:
            return LongWait(
                c2_limit,
                f"Coded C2, response of {duration(response_seconds)}, over {duration(c2_limit)}",
            )
    if flagged_by_cad:
        response = (
            f"{counted} response of {duration(response_seconds)}"
            if response_seconds is not None
            else "nobody arrived"
        )
        return LongWait(None, f"Flagged as a long wait by the CAD ({response})")
    return None


def long_waits() -> Q:
    """The incidents `long_wait` would name, as a filter on CadIncident."""
    over = Q(long_wait=True)
    for category, limit in thresholds().items():
        over |= Q(counted_category=category.value, response_seconds__gt=limit)
    retriaged_to_c2 = Exists(Retriage.objects.filter(incident=OuterRef("pk"), category=Category.C2.value))
    return over | (Q(response_seconds__gt=any_c2_limit()) & (Q(category=Category.C2.value) | retriaged_to_c2))
