"""The 90th centile two ways, and rounding as AmbSYS rounds, all in exact fractions so that every database
and every platform gives the same whole seconds.

- linear: interpolation between the closest ranks, as PostgreSQL's `percentile_cont(0.9)` (and Excel's
  PERCENTILE.INC): the value at position 0.9 (n - 1) of the sorted times, counting from 0.
- nearest: the nearest rank, the value at rank ⌈0.9 n⌉ of the sorted times, counting from 1.

NHS England does not say how a trust interpolates, so operations' method is a setting
(CANDOUR_ARP_CENTILE_METHOD). Pure arithmetic on whole seconds, so it lives in core: operations' response
times and fleet's bariatric waits both use it (ADR 0032)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from fractions import Fraction

NINETIETH = Fraction(9, 10)


class CentileMethod(StrEnum):
    LINEAR = "linear"
    NEAREST = "nearest"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    CentileMethod.LINEAR: "linear interpolation between the closest ranks (as PostgreSQL's percentile_cont)",
    CentileMethod.NEAREST: "nearest rank (the value at rank ⌈0.9 n⌉)",
}


def centile(values: Sequence[int], method: CentileMethod, fraction: Fraction = NINETIETH) -> Fraction:
    """The exact centile of some whole-second times (in any order); a ValueError when there are none."""
    if not values:
        raise ValueError("a centile needs at least one value")
    ordered = sorted(values)
    if method == CentileMethod.NEAREST:
        return Fraction(ordered[max(math.ceil(fraction * len(ordered)), 1) - 1])
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    if below == len(ordered) - 1:
        return Fraction(ordered[below])
    return ordered[below] + (position - below) * (ordered[below + 1] - ordered[below])


def round_half_up(value: Fraction | int) -> int:
    """Whole seconds, a half rounded up (AmbSYS publishes 1.5 s as 2 s); times are never negative."""
    return math.floor(Fraction(value) + Fraction(1, 2))


def mean_seconds(total_seconds: int, incidents: int) -> int:
    """Total seconds over incidents, rounded half up, as AmbSYS publishes a mean."""
    return round_half_up(Fraction(total_seconds, incidents))
