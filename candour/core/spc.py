"""Statistical process control for measures: XmR charts with NHS England's Making Data Count rules.

The functions here are pure: they take explicit configuration, so they run and test without Django settings.
Arithmetic is exact (fractions), so "a point exactly on the mean" means what it says for decimal data too.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain, groupby, pairwise

from django.conf import settings

from candour.core.measures import Direction

__all__ = [
    "AssuranceIcon",
    "Colour",
    "Direction",
    "Flag",
    "Rule",
    "Side",
    "SpcChart",
    "SpcConfig",
    "SpcPoint",
    "VariationIcon",
    "xmr_chart",
]

PROCESS_LIMIT_FACTOR = Fraction("2.66")
TWO_SIGMA_FACTOR = Fraction("1.773")


class Colour(enum.StrEnum):
    GREY = "grey"
    BLUE = "blue"
    ORANGE = "orange"
    PURPLE = "purple"


class Rule(enum.StrEnum):
    BEYOND_LIMIT = "beyond_limit"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


class Side(enum.StrEnum):
    HIGH = "high"
    LOW = "low"


class VariationIcon(enum.StrEnum):
    NONE = "none"
    COMMON_CAUSE = "common_cause"
    IMPROVING_HIGH = "improving_high"
    IMPROVING_LOW = "improving_low"
    CONCERNING_HIGH = "concerning_high"
    CONCERNING_LOW = "concerning_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"


class AssuranceIcon(enum.StrEnum):
    NONE = "none"
    HIT_OR_MISS = "hit_or_miss"
    CONSISTENTLY_PASS = "consistently_pass"
    CONSISTENTLY_FAIL = "consistently_fail"


@dataclass(frozen=True)
class SpcConfig:
    minimum_points: int = 13
    shift_length: int = 6
    trend_length: int = 6

    def __post_init__(self):
        # Limits need at least one moving range; a run of one point is no run.
        for name in ("minimum_points", "shift_length", "trend_length"):
            if getattr(self, name) < 2:
                raise ValueError(f"{name} must be at least 2")

    @classmethod
    def from_settings(cls) -> SpcConfig:
        """The configuration in Django settings, falling back to NHS England's defaults."""
        return cls(
            minimum_points=getattr(settings, "CANDOUR_SPC_MINIMUM_POINTS", 13),
            shift_length=getattr(settings, "CANDOUR_SPC_SHIFT_LENGTH", 6),
            trend_length=getattr(settings, "CANDOUR_SPC_TREND_LENGTH", 6),
        )


@dataclass(frozen=True)
class Flag:
    rule: Rule
    side: Side


@dataclass(frozen=True)
class SpcPoint:
    value: float
    mean: float
    upper_limit: float | None
    lower_limit: float | None
    colour: Colour
    flags: frozenset[Flag]


@dataclass(frozen=True)
class SpcChart:
    points: tuple[SpcPoint, ...]
    variation: VariationIcon
    assurance: AssuranceIcon


@dataclass(frozen=True)
class _Centre:
    """The mean and average moving range of one segment; no moving range when it has too few points."""

    mean: Fraction
    mean_moving_range: Fraction | None

    def line(self, factor: Fraction, side: int) -> Fraction | None:
        if self.mean_moving_range is None:
            return None
        return self.mean + side * factor * self.mean_moving_range


def xmr_chart(
    values: Sequence[int | float | Decimal],
    *,
    config: SpcConfig,
    direction: Direction = Direction.HIGHER_IS_BETTER,
    target: int | float | Decimal | None = None,
    baseline: int | None = None,
    recalculate_after: Sequence[int] = (),
) -> SpcChart:
    """Chart values with limits, special-cause flags, colours and the variation and assurance icons."""
    if not values:
        return SpcChart((), VariationIcon.NONE, AssuranceIcon.NONE)
    exact = [_exact(value) for value in values]
    centres = _centres(exact, config, baseline, recalculate_after)
    flags = _flags(exact, centres, config)
    points = tuple(
        SpcPoint(
            value=float(value),
            mean=float(centre.mean),
            upper_limit=_float_or_none(centre.line(PROCESS_LIMIT_FACTOR, +1)),
            lower_limit=_float_or_none(centre.line(PROCESS_LIMIT_FACTOR, -1)),
            colour=_colour(point_flags, direction),
            flags=frozenset(point_flags),
        )
        for value, centre, point_flags in zip(exact, centres, flags, strict=True)
    )
    return SpcChart(
        points,
        _variation(exact[-1], centres[-1], flags[-1], direction),
        _assurance(None if target is None else _exact(target), centres[-1], direction),
    )


def _exact(value: int | float | Decimal) -> Fraction:
    # A float is taken as the decimal it prints as, so 0.1, 0.2 and 0.3 average to exactly 0.2.
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _float_or_none(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _centres(
    values: list[Fraction], config: SpcConfig, baseline: int | None, recalculate_after: Sequence[int]
) -> list[_Centre]:
    """The centre each point is judged against: one per segment, repeated for each of its points."""
    starts = [0, *sorted(set(recalculate_after))]
    if any(not 0 < start < len(values) for start in starts[1:]):
        raise ValueError(f"Recalculation points must fall between 1 and {len(values) - 1}")
    ends = [*starts[1:], len(values)]
    if baseline is not None and not 0 < baseline <= ends[0]:
        raise ValueError(f"The baseline must be between 1 and {ends[0]} points")
    centres = []
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        # A baseline fixes the first segment's limits from its opening points and extends them.
        basis = values[start : start + baseline] if number == 0 and baseline else values[start:end]
        centres.extend([_centre(basis, config.minimum_points)] * (end - start))
    return centres


def _centre(basis: list[Fraction], minimum_points: int) -> _Centre:
    mean = sum(basis) / len(basis)
    if len(basis) < minimum_points:
        return _Centre(mean, None)
    moving_ranges = [abs(current - previous) for previous, current in pairwise(basis)]
    return _Centre(mean, sum(moving_ranges) / len(moving_ranges))


def _flags(values: list[Fraction], centres: list[_Centre], config: SpcConfig) -> list[set[Flag]]:
    """Apply the four special-cause rules; multi-point rules run across recalculation breaks."""
    has_limits = [centre.mean_moving_range is not None for centre in centres]
    # Points without limits (too few to judge) sit on neither side, so they break every run.
    sides = [
        _sign(value - centre.mean) if limited else 0
        for value, centre, limited in zip(values, centres, has_limits, strict=True)
    ]
    flags: list[set[Flag]] = [set() for _ in values]
    for index, flag in chain(
        _beyond_limits(values, centres),
        _shifts(sides, config.shift_length),
        _trends(values, has_limits, config.trend_length),
        _two_of_three(values, centres, sides),
    ):
        flags[index].add(flag)
    return flags


def _beyond_limits(values: list[Fraction], centres: list[_Centre]) -> Iterator[tuple[int, Flag]]:
    for index, (value, centre) in enumerate(zip(values, centres, strict=True)):
        if centre.mean_moving_range is None:
            continue
        if value > centre.line(PROCESS_LIMIT_FACTOR, +1):
            yield index, Flag(Rule.BEYOND_LIMIT, Side.HIGH)
        if value < centre.line(PROCESS_LIMIT_FACTOR, -1):
            yield index, Flag(Rule.BEYOND_LIMIT, Side.LOW)


def _shifts(sides: list[int], length: int) -> Iterator[tuple[int, Flag]]:
    for start, end, sign in _runs(sides):
        if end - start >= length:
            yield from ((index, Flag(Rule.SHIFT, _side(sign))) for index in range(start, end))


def _trends(values: list[Fraction], has_limits: list[bool], length: int) -> Iterator[tuple[int, Flag]]:
    steps = [0] + [
        _sign(values[index] - values[index - 1]) if has_limits[index - 1] and has_limits[index] else 0
        for index in range(1, len(values))
    ]
    for start, end, sign in _runs(steps):
        # A run of n steps joins n + 1 points, starting with the point before the first step.
        if end - start + 1 >= length:
            yield from ((index, Flag(Rule.TREND, _side(sign))) for index in range(start - 1, end))


def _two_of_three(
    values: list[Fraction], centres: list[_Centre], sides: list[int]
) -> Iterator[tuple[int, Flag]]:
    # Read as NHS England's test set does: all three points on one side of the mean, and two of them
    # beyond that side's two-sigma line (but not beyond its process limit).
    zones = [_two_sigma_zone(value, centre) for value, centre in zip(values, centres, strict=True)]
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for sign in (+1, -1):
            beyond = [index for index in window if zones[index] == sign]
            if len(beyond) >= 2 and all(sides[index] == sign for index in window):
                yield from ((index, Flag(Rule.TWO_OF_THREE, _side(sign))) for index in beyond)


def _runs(keys: list[int]) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, key) for each maximal run of equal non-zero keys, end exclusive."""
    start = 0
    for key, group in groupby(keys):
        end = start + len(list(group))
        if key:
            yield start, end, key
        start = end


def _two_sigma_zone(value: Fraction, centre: _Centre) -> int:
    """+1 or -1 when beyond a two-sigma line but within the process limits, else 0."""
    if centre.mean_moving_range is None:
        return 0
    for sign in (+1, -1):
        beyond_two_sigma = sign * (value - centre.line(TWO_SIGMA_FACTOR, sign)) > 0
        within_limit = sign * (value - centre.line(PROCESS_LIMIT_FACTOR, sign)) <= 0
        if beyond_two_sigma and within_limit:
            return sign
    return 0


def _sign(difference: Fraction) -> int:
    return (difference > 0) - (difference < 0)


def _side(sign: int) -> Side:
    return Side.HIGH if sign > 0 else Side.LOW


def _improving_side(direction: Direction) -> Side | None:
    return {Direction.HIGHER_IS_BETTER: Side.HIGH, Direction.LOWER_IS_BETTER: Side.LOW}.get(direction)


def _colour(flags: set[Flag], direction: Direction) -> Colour:
    sides = {flag.side for flag in flags}
    if not sides:
        return Colour.GREY
    improving = _improving_side(direction)
    if improving is None:
        return Colour.PURPLE
    # A point flagged both ways counts as improvement.
    return Colour.BLUE if improving in sides else Colour.ORANGE


def _variation(value: Fraction, centre: _Centre, flags: set[Flag], direction: Direction) -> VariationIcon:
    if centre.mean_moving_range is None:
        return VariationIcon.NONE
    sides = {flag.side for flag in flags}
    if not sides:
        return VariationIcon.COMMON_CAUSE
    improving = _improving_side(direction)
    if improving is None:
        # With no better side, a point flagged both ways is read by where it lies.
        side = next(iter(sides)) if len(sides) == 1 else (Side.HIGH if value >= centre.mean else Side.LOW)
        return VariationIcon.NEITHER_HIGH if side == Side.HIGH else VariationIcon.NEITHER_LOW
    if improving in sides:
        return VariationIcon.IMPROVING_HIGH if improving == Side.HIGH else VariationIcon.IMPROVING_LOW
    return VariationIcon.CONCERNING_LOW if improving == Side.HIGH else VariationIcon.CONCERNING_HIGH


def _assurance(target: Fraction | None, centre: _Centre, direction: Direction) -> AssuranceIcon:
    improving = _improving_side(direction)
    # Passing and failing need a better side; no target or no limits means nothing to assure.
    if target is None or centre.mean_moving_range is None or improving is None:
        return AssuranceIcon.NONE
    upper = centre.line(PROCESS_LIMIT_FACTOR, +1)
    lower = centre.line(PROCESS_LIMIT_FACTOR, -1)
    if lower <= target <= upper:
        return AssuranceIcon.HIT_OR_MISS
    process_above_target = target < lower
    passes = process_above_target == (improving == Side.HIGH)
    return AssuranceIcon.CONSISTENTLY_PASS if passes else AssuranceIcon.CONSISTENTLY_FAIL
