"""The funnel's upper limit: the beta-binomial's upper quantile at a three-sigma tail, checked against the
distribution summed term by term, and never collapsing to no events when the peers have none."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candour.medicines.funnel import PRIOR, TAIL, upper_count


def _tail_from(count: int, doses: int, peer_events: int, peer_doses: int) -> float:
    """P(at least `count` events among `doses`), each term from the beta function, not the recurrence."""
    alpha, beta = peer_events + PRIOR, peer_doses - peer_events + PRIOR

    def log_beta(x, y):
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    return sum(
        math.comb(doses, each) * math.exp(log_beta(each + alpha, doses - each + beta) - log_beta(alpha, beta))
        for each in range(count, doses + 1)
    )


@given(
    doses=st.integers(1, 200),
    peer_doses=st.integers(1, 2_000),
    share=st.floats(0, 0.5),
)
def test_the_limit_is_the_least_count_whose_excess_is_as_rare_as_three_sigma(doses, peer_doses, share):
    peer_events = round(share * peer_doses)
    upper = upper_count(doses, peer_events, peer_doses)

    if upper < doses:
        assert _tail_from(upper + 1, doses, peer_events, peer_doses) <= TAIL * (1 + 1e-9)
    if upper > 0:
        assert _tail_from(upper, doses, peer_events, peer_doses) > TAIL * (1 - 1e-9)


def test_peers_with_no_events_still_allow_one():
    assert upper_count(10, 0, 400) == 1
    assert upper_count(10, 0, 30) == 3  # thirty doses say less about a rate than four hundred


def test_many_peer_doses_come_to_the_binomial_limit():
    # Peers at exactly 5% of a million doses: the binomial's three-sigma quantile for 100 doses is 13.
    binomial_tail = sum(math.comb(100, k) * 0.05**k * 0.95 ** (100 - k) for k in range(14, 101))

    assert upper_count(100, 50_000, 1_000_000) == 13
    assert binomial_tail <= TAIL


def test_counts_that_cannot_be_are_refused():
    with pytest.raises(ValueError):
        upper_count(10, 5, 4)
