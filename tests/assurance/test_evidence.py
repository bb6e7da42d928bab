"""Thresholds turn a measure's value into a 1 to 4 evidence score, read in its improvement direction; the
candour gap is flagged at a whole point (STANDARDS.md §2)."""

from decimal import Decimal

import pytest

from candour.assurance.evidence import ThresholdError, Thresholds, evidence_score, gap, is_flagged
from candour.core.measures import Direction

RISING = Thresholds(60, 85, 95)  # e.g. training compliance, %
FALLING = Thresholds(10, 5, 2)  # e.g. median days to triage


@pytest.mark.parametrize(
    ("value", "score"),
    [(0, 1), (59.9, 1), (60, 2), (84.9, 2), (85, 3), (94.99, 3), (95, 4), (100, 4)],
)
def test_higher_is_better_scores_rise_at_each_threshold(value, score):
    assert RISING.score(value, Direction.HIGHER_IS_BETTER) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [(30, 1), (10.1, 1), (10, 2), (5.1, 2), (5, 3), (2.5, 3), (2, 4), (0, 4)],
)
def test_lower_is_better_scores_rise_as_the_value_falls(value, score):
    assert FALLING.score(value, Direction.LOWER_IS_BETTER) == score


def test_no_value_no_score():
    assert RISING.score(None, Direction.HIGHER_IS_BETTER) is None


@pytest.mark.parametrize(
    "thresholds",
    [Thresholds(85, 60, 95), Thresholds(60, 60, 95), Thresholds(95, 85, 60), Thresholds(60, 95, 85)],
)
def test_higher_is_better_thresholds_must_rise(thresholds):
    with pytest.raises(
        ThresholdError, match="Higher is better for this measure, so the thresholds must rise"
    ):
        thresholds.validate(Direction.HIGHER_IS_BETTER)


@pytest.mark.parametrize("thresholds", [Thresholds(2, 5, 10), Thresholds(10, 10, 2), Thresholds(10, 2, 5)])
def test_lower_is_better_thresholds_must_fall(thresholds):
    with pytest.raises(ThresholdError, match="Lower is better for this measure, so the thresholds must fall"):
        thresholds.validate(Direction.LOWER_IS_BETTER)


def test_a_measure_that_is_neither_cannot_be_scored_and_says_why():
    with pytest.raises(ThresholdError, match="neither higher nor lower is better"):
        RISING.validate(Direction.NEITHER)


def test_evidence_score_is_the_mean_to_one_decimal_place():
    assert evidence_score([2, 3]) == Decimal("2.5")
    assert evidence_score([2, 2, 3]) == Decimal("2.3")  # 2.333...
    assert evidence_score([2, 3, 3]) == Decimal("2.7")  # 2.666...
    assert evidence_score([2, None, 4]) == Decimal("3.0")
    assert evidence_score([None]) is None
    assert evidence_score([]) is None


def test_gap_is_self_minus_evidence():
    assert gap(4, Decimal("2.3")) == Decimal("1.7")
    assert gap(2, Decimal("3.0")) == Decimal("-1.0")
    assert gap(None, Decimal("2")) is None
    assert gap(3, None) is None


def test_flagged_at_exactly_one_point_not_at_point_nine():
    assert is_flagged(gap(3, Decimal("2.0")), 1)
    assert not is_flagged(gap(3, Decimal("2.1")), 1)
    assert is_flagged(Decimal("1.0"), 1.0)
    assert not is_flagged(Decimal("0.9"), 1)
    assert not is_flagged(None, 1)


def test_flag_points_are_a_setting_that_may_be_a_decimal():
    assert is_flagged(Decimal("0.5"), 0.5)
    assert not is_flagged(Decimal("0.4"), 0.5)
