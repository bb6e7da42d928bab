"""Response-time figures per group, and NHS England's roll-up of trusts' figures to regions and England."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from candour.operations.arp.centiles import CentileMethod, centile, mean_seconds, round_half_up


@dataclass(frozen=True)
class Figures:
    """A group's counted incidents, their total whole seconds, the mean and the 90th centile (whole s)."""

    incidents: int
    total_seconds: int
    mean_seconds: int
    centile90_seconds: int


def figures_of(seconds: Sequence[int], method: CentileMethod) -> Figures:
    """The figures of one group's response times (whole seconds, at least one)."""
    total = sum(seconds)
    return Figures(
        incidents=len(seconds),
        total_seconds=total,
        mean_seconds=mean_seconds(total, len(seconds)),
        centile90_seconds=round_half_up(centile(seconds, method)),
    )


def roll_up(parts: Iterable[Figures]) -> Figures:
    """Trusts' figures rolled up as NHS England publishes a region or England: incidents and seconds
    added, the mean their quotient, and the 90th centile the incident-weighted mean of the trusts' 90th
    centiles (not a centile of the pooled times). Parts without incidents carry no weight."""
    parts = [part for part in parts if part.incidents]
    if not parts:
        raise ValueError("nothing to roll up: no part has incidents")
    incidents = sum(part.incidents for part in parts)
    total = sum(part.total_seconds for part in parts)
    weighted = sum(part.incidents * part.centile90_seconds for part in parts)
    return Figures(
        incidents=incidents,
        total_seconds=total,
        mean_seconds=mean_seconds(total, incidents),
        centile90_seconds=round_half_up(Fraction(weighted, incidents)),
    )
