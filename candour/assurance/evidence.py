"""Evidence scores and the candour gap, as pure functions over plain values.

A measure bound to a quality statement turns its value into a 1 to 4 score by three thresholds the quality
lead sets: the value at which the score reaches 2, 3 and 4, on STANDARDS.md §2's scale "each scored 1-4
(significant shortfalls / some shortfalls / good / exceptional)". The thresholds are read in the measure's
improvement direction: for a higher-is-better measure they rise and a value at or above one reaches it; for
a lower-is-better measure they fall and a value at or below one reaches it. A measure whose direction is
neither cannot be scored: no value of it is better than another.

A statement's evidence score is the mean of its bindings' scores (those with a value that month), rounded
to one decimal place. The gap is the self-assessed score minus the evidence score; it is flagged when the
self-assessment is more optimistic by at least the flag setting (a whole point by default). Arithmetic is
decimal, so a gap of exactly 1.0 is 1.0, never 0.9999.

Evidence is judged on complete months only (`CANDOUR_EVIDENCE_MONTHS` of them, docs/adr/0026), and a value
from fewer cases than `CANDOUR_EVIDENCE_MINIMUM_CASES` is too few to judge: it earns no score, so it neither
lifts nor sinks the statement. A value's cases are its denominator (the staff asked, the concerns closed,
the answers given). A count has no denominator: it is judged whatever its size, since a small count is the
good news a lower-is-better count hopes for, and calling it "too few" would hide exactly that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from candour.core.measures import Direction

ONE_PLACE = Decimal("0.1")


class ThresholdError(ValueError):
    """Thresholds that cannot score a measure; the message says why, in words for the person setting them."""


@dataclass(frozen=True)
class Thresholds:
    score_2_from: float
    score_3_from: float
    score_4_from: float

    def validate(self, direction: Direction | str) -> None:
        """Raise ThresholdError unless the thresholds run the way the measure improves."""
        direction = Direction(direction)
        low, middle, high = self.score_2_from, self.score_3_from, self.score_4_from
        if direction == Direction.NEITHER:
            raise ThresholdError(
                "This measure cannot be bound: neither higher nor lower is better for it, so no value of it "
                "is better evidence than another"
            )
        if direction == Direction.HIGHER_IS_BETTER and not low < middle < high:
            raise ThresholdError(
                "Higher is better for this measure, so the thresholds must rise: the value for a score of 2 "
                "below the value for 3, and that below the value for 4"
            )
        if direction == Direction.LOWER_IS_BETTER and not low > middle > high:
            raise ThresholdError(
                "Lower is better for this measure, so the thresholds must fall: the value for a score of 2 "
                "above the value for 3, and that above the value for 4"
            )

    def score(self, value: float | None, direction: Direction | str) -> int | None:
        """The 1 to 4 score a value earns; None when there is no value."""
        if value is None:
            return None
        self.validate(direction)
        reached = (
            (lambda threshold: value >= threshold)
            if Direction(direction) == Direction.HIGHER_IS_BETTER
            else (lambda threshold: value <= threshold)
        )
        score = 1
        for threshold in (self.score_2_from, self.score_3_from, self.score_4_from):
            if not reached(threshold):
                break
            score += 1
        return score


def evidence_score(scores: Iterable[int | None]) -> Decimal | None:
    """The mean of the scores that exist, to one decimal place (half up); None when there are none."""
    known = [Decimal(score) for score in scores if score is not None]
    if not known:
        return None
    return (sum(known) / len(known)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def gap(self_score: int | None, evidence: Decimal | None) -> Decimal | None:
    """How much more optimistic the self-assessment is than the evidence (negative: more modest)."""
    if self_score is None or evidence is None:
        return None
    return Decimal(self_score) - evidence


def is_flagged(difference: Decimal | None, flag_points: float | Decimal) -> bool:
    return difference is not None and difference >= Decimal(str(flag_points))


@dataclass(frozen=True)
class WindowValue:
    """A measure's value over the months evidence is judged on, and the cases it comes from (None for a
    count, which has no denominator)."""

    value: float | None
    cases: float | None = None

    def too_few(self, minimum: int) -> bool:
        """A value from fewer cases than the minimum: shown, never scored."""
        return self.value is not None and self.cases is not None and self.cases < minimum


def over_months(months: Iterable[tuple[float | None, float | None]]) -> WindowValue:
    """One value from each month's (value, cases): the months weighted by their cases when every month with
    a value counts them, so a share over several months is the share of all their cases; otherwise the plain
    mean, so a count per month stays a count per month. Months without a value are left out."""
    known = [(value, cases) for value, cases in months if value is not None]
    if not known:
        return WindowValue(None)
    if len(known) == 1:
        return WindowValue(known[0][0], known[0][1])
    if all(cases is not None for _, cases in known):
        total = sum(cases for _, cases in known)
        if total:
            return WindowValue(sum(value * cases for value, cases in known) / total, total)
    return WindowValue(sum(value for value, _ in known) / len(known))
