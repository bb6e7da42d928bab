"""Stock left per batch and expiry, worked out from a part's entries (docs/adr/0031, "Expiry").

The register records what came in with its batch and expiry, but an administration does not say which
ampoule was used, so what is left of each batch is worked out by one rule, first-expiry-first-out: every
movement out takes from the batch that expires first; stock whose expiry was never recorded (entries from
before expiry was kept, stock put back by a correction) is taken last. A movement out that names a batch (a
destruction, a return, a transfer) takes from that batch first, and a correction of an entry that brought
stock in adds to or takes from that entry's batch. A transfer moves the first-expiring stock and carries its
batch and expiry, so the receiving part counts all of it as expiring then: a warning comes early, never late.

Whenever a part's balance was zero every batch was empty, so only the entries after its last zero are read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from candour.medicines.models import INCOMING, RegisterEntry

_LAST = dt.date.max


@dataclass(frozen=True)
class StockChange:
    """What one entry did to the stock, as the rule needs it."""

    change: int
    batch: str
    expires_on: dt.date | None
    # The batch and expiry of the entry a correction corrects, when that entry brought stock in.
    corrected_batch: str = ""
    corrected_expires_on: dt.date | None = None
    corrects_incoming: bool = False


@dataclass(frozen=True)
class Lot:
    """What is left of one batch (or of stock whose expiry was never recorded) in one part."""

    part_id: int
    batch: str
    expires_on: dt.date | None
    quantity: int


def _take(lots: dict, amount: int, first: tuple | None) -> list[tuple]:
    """Take `amount` from the lots, from `first` and then first-expiry-first-out; returns the lots taken
    from, in order."""
    order = sorted(lots, key=lambda key: (key != first, *_by_expiry(key)))
    taken = []
    for key in order:
        if amount <= 0:
            break
        used = min(lots[key], amount)
        if used:
            lots[key] -= used
            amount -= used
            taken.append(key)
    return taken


def _by_expiry(key: tuple) -> tuple:
    return (key[1] or _LAST, key[1] is None, key[0])


def _first_of_batch(lots: dict, batch: str) -> tuple | None:
    return next((key for key in sorted(lots, key=_by_expiry) if key[0] == batch), None) if batch else None


def walk(movements: Iterable[StockChange]) -> dict[tuple, int]:
    """The quantity left of each (batch, expiry) after the movements, in register order."""
    lots: dict[tuple, int] = defaultdict(int)
    for movement in movements:
        corrected = (movement.corrected_batch, movement.corrected_expires_on)
        if movement.change > 0:
            key = corrected if movement.corrects_incoming else (movement.batch, movement.expires_on)
            lots[key] += movement.change
        elif movement.change < 0:
            first = corrected if movement.corrects_incoming else _first_of_batch(lots, movement.batch)
            _take(lots, -movement.change, first)
    return {key: quantity for key, quantity in lots.items() if quantity > 0}


def next_out(lots: dict[tuple, int], amount: int, batch: str = "") -> tuple | None:
    """The (batch, expiry) a movement out of `amount` would take first, by the same rule."""
    taken = _take(dict(lots), amount, _first_of_batch(lots, batch))
    return taken[0] if taken else None


def lots_of(part_ids) -> list[Lot]:
    """What is left of each batch in each of the parts (ids, or a query of them), from their entries since
    each last stood at zero, in one query."""
    last_zero = (
        RegisterEntry.objects.filter(part=OuterRef("part"), balance_after=0)
        .order_by()
        .values("part")
        .annotate(last=Max("sequence"))
        .values("last")
    )
    rows = (
        RegisterEntry.objects.filter(part_id__in=part_ids)
        .annotate(cut=Coalesce(Subquery(last_zero), Value(0)))
        .filter(sequence__gt=F("cut"))
        .order_by("part_id", "sequence")
        .values_list(
            "part_id",
            "change",
            "batch",
            "expires_on",
            "corrects__batch",
            "corrects__expires_on",
            "corrects__kind",
        )
    )
    by_part: dict[int, list[StockChange]] = defaultdict(list)
    for part_id, change, batch, expires_on, c_batch, c_expires_on, c_kind in rows:
        by_part[part_id].append(
            StockChange(
                change=change,
                batch=batch,
                expires_on=expires_on,
                corrected_batch=c_batch or "",
                corrected_expires_on=c_expires_on,
                corrects_incoming=c_kind in INCOMING,
            )
        )
    return [
        Lot(part_id, batch, expires_on, quantity)
        for part_id, movements in by_part.items()
        for (batch, expires_on), quantity in walk(movements).items()
    ]
