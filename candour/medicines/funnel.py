"""How many events (wastages, unmatched doses) a clinician may have among their doses before the count is
far above their peers': the upper limit of a funnel plot that stays honest when the peers' rate is near
zero.

A p-chart's limit, the peers' rate plus three standard errors, collapses onto the rate itself as the rate
goes to zero: with peers at 0 of 400, one wasted dose of ten is "far above". But 0 of 400 does not say the
peers' true rate is zero, only that it is small. So the peers' rate is taken as what their doses say it
could be (a Jeffreys beta distribution: their events plus a half, out of their doses plus one), and the
limit is the largest count a clinician with the same true rate would exceed by chance no more often than a
point passes a three-sigma limit on any other chart here (0.135%): the beta-binomial's upper quantile. It
is exact for small counts, never below one event while the peers' rate is below a half, and comes to the
binomial funnel as the peers' doses grow.
"""

from __future__ import annotations

import math

# The chance a normal point lies above three sigma: the one-sided tail every three-sigma limit has.
TAIL = 0.5 * math.erfc(3 / math.sqrt(2))
# Jeffreys' prior: half an event and half a non-event before any dose is counted.
PRIOR = 0.5


def upper_count(doses: int, peer_events: int, peer_doses: int, *, tail: float = TAIL) -> int:
    """The most events among `doses` still within limits, for peers with `peer_events` of `peer_doses`."""
    if doses < 0 or not 0 <= peer_events <= peer_doses:
        raise ValueError("Counts are whole numbers, and events are some of the doses")
    alpha, beta = peer_events + PRIOR, peer_doses - peer_events + PRIOR
    # The beta-binomial's probabilities term by term: P(0), then each from the one before.
    probability = math.exp(
        math.lgamma(doses + beta)
        + math.lgamma(alpha + beta)
        - math.lgamma(beta)
        - math.lgamma(doses + alpha + beta)
    )
    below = 0.0
    for count in range(doses + 1):
        below += probability
        if 1 - below <= tail:
            return count
        probability *= (doses - count) * (count + alpha) / ((count + 1) * (doses - count - 1 + beta))
    return doses
