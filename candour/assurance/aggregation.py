"""How CQC ratings aggregate (STANDARDS.md §2), as pure functions over plain values.

The rules, as STANDARDS.md §2 gives them:

- "Key-question percentage = Σ scores ÷ (4 x statements scored) [R]; bands 25-38 % inadequate, 39-62 % RI,
  63-87 % good, > 87 % outstanding [R]." The band edges are recalled, so they are settings (`Bands`). The
  bands are whole percentages with gaps between them (38 and 39), so the percentage is rounded half up to a
  whole percent before it is banded: 62.5 % is 63 %, good.
- "A regulatory breach caps the rating at RI; key questions weigh equally; outstanding = ≥2 outstanding and
  the rest good; good = no inadequate and ≤1 RI; RI = ≥2 RI (or exactly one inadequate [R]); inadequate = ≥2
  inadequate." (`combine`, `cap_for_breach`.)
- "Inspectors may depart with a recorded reason ... Always store an override with a reason." An override is
  the final word for its slot: it replaces the default (breach cap included), and the level above
  aggregates the overridden rating (`apply_override`).
- "Ambulance trusts: level 1 = core service x key question; level 2 = core service aggregate; level 3 = trust
  aggregate, except trust well-led, which comes from its own assessment." The callers choose the inputs;
  the rules are the same at every level.

Unscored and unrated things, decided here and used everywhere:

- A key question with no scored statements is not rated (None), never a guess.
- A rating that is None is left out of aggregation: the principles count only rated key questions (or, at
  trust level, only rated core services). Something with nothing rated below it is not rated.
- A breach cannot rate something that is not rated: a breach on an unscored key question leaves it not
  rated (the breach is still listed beside it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings

from candour.assurance.models.framework import Rating

__all__ = [
    "Bands",
    "Outcome",
    "Override",
    "apply_override",
    "cap_for_breach",
    "combine",
    "key_question_percentage",
    "rating_for_percentage",
    "rating_for_scores",
]

# Worst first: a cap keeps the worse of a rating and the cap.
_WORST_FIRST = [Rating.INADEQUATE, Rating.REQUIRES_IMPROVEMENT, Rating.GOOD, Rating.OUTSTANDING]


@dataclass(frozen=True)
class Bands:
    """The top of each band, in whole percentages; above `good_up_to` is outstanding."""

    inadequate_up_to: int = 38
    requires_improvement_up_to: int = 62
    good_up_to: int = 87

    def __post_init__(self):
        if not 0 <= self.inadequate_up_to < self.requires_improvement_up_to < self.good_up_to < 100:
            raise ValueError(f"Rating bands must rise and sit between 0 and 100: {self}")

    @classmethod
    def from_settings(cls) -> Bands:
        return cls(
            inadequate_up_to=settings.CANDOUR_CQC_INADEQUATE_UP_TO_PERCENT,
            requires_improvement_up_to=settings.CANDOUR_CQC_REQUIRES_IMPROVEMENT_UP_TO_PERCENT,
            good_up_to=settings.CANDOUR_CQC_GOOD_UP_TO_PERCENT,
        )


def key_question_percentage(scores: Iterable[int | float | Decimal]) -> int | None:
    """Σ scores ÷ (4 x statements scored), as a whole percent rounded half up; None when nothing is scored.

    Scores may be decimals (evidence scores carry one decimal place); the arithmetic is exact.
    """
    values = [Fraction(str(score)) if isinstance(score, float) else Fraction(score) for score in scores]
    if not values:
        return None
    exact = Fraction(100) * sum(values) / (4 * len(values))
    return (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)


def rating_for_percentage(percentage: int | None, bands: Bands) -> Rating | None:
    if percentage is None:
        return None
    if percentage <= bands.inadequate_up_to:
        return Rating.INADEQUATE
    if percentage <= bands.requires_improvement_up_to:
        return Rating.REQUIRES_IMPROVEMENT
    if percentage <= bands.good_up_to:
        return Rating.GOOD
    return Rating.OUTSTANDING


def rating_for_scores(scores: Sequence[int | float | Decimal], bands: Bands) -> Rating | None:
    return rating_for_percentage(key_question_percentage(scores), bands)


def combine(ratings: Iterable[Rating | str | None]) -> Rating | None:
    """One rating from several by the principles: a core service from its key questions, a trust key
    question from its core services, the trust overall from its key questions. Unrated ones are left out."""
    counts = Counter(Rating(rating) for rating in ratings if rating)
    if not counts:
        return None
    inadequate = counts[Rating.INADEQUATE]
    requires_improvement = counts[Rating.REQUIRES_IMPROVEMENT]
    if inadequate >= 2:
        return Rating.INADEQUATE
    if inadequate == 1 or requires_improvement >= 2:
        return Rating.REQUIRES_IMPROVEMENT
    # No inadequate and at most one RI from here on: good, unless outstanding.
    if counts[Rating.OUTSTANDING] >= 2 and requires_improvement == 0:
        return Rating.OUTSTANDING
    return Rating.GOOD


def cap_for_breach(rating: Rating | str | None, *, breached: bool) -> Rating | None:
    """An open regulatory breach caps a rating at requires improvement; it never raises one."""
    if rating is None:
        return None
    rating = Rating(rating)
    if not breached:
        return rating
    return min(rating, Rating.REQUIRES_IMPROVEMENT, key=_WORST_FIRST.index)


@dataclass(frozen=True)
class Override:
    rating: Rating | str | None
    reason: str


@dataclass(frozen=True)
class Outcome:
    """A slot's rating: the default the rules give, and the rating in force (an override's, if any)."""

    default: Rating | None
    rating: Rating | None
    capped_by_breach: bool = False
    override_reason: str = ""

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


def apply_override(default: Rating | None, override: Override | None, *, capped_by_breach: bool = False):
    """The latest override for a slot replaces the default, with its reason; one with a blank rating has
    lifted the override, so the default stands."""
    if override is None or not override.rating:
        return Outcome(default=default, rating=default, capped_by_breach=capped_by_breach)
    return Outcome(
        default=default,
        rating=Rating(override.rating),
        capped_by_breach=capped_by_breach,
        override_reason=override.reason,
    )
