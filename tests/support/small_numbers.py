"""A reader who tries to work hidden counts out: every way of filling the hidden cells of a table that keeps
every shown total right, searched in full. Used to prove that suppression gives nothing away."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def equations_of(totals: Iterable[tuple[Hashable, Iterable[Hashable]]]) -> list[dict[Hashable, int]]:
    return [{total: -1, **dict.fromkeys(parts, 1)} for total, parts in totals]


def could_be(
    values: Mapping[Hashable, int],
    totals: Iterable[tuple[Hashable, Iterable[Hashable]]],
    hidden: Iterable[Hashable],
    *,
    unshown: Iterable[Hashable] = (),
    below: int = 5,
) -> dict[Hashable, set[int]]:
    """For each hidden small count, which of 1 .. below it could be, for a reader who sees every shown
    count and knows every total, that every hidden cell is at least 1 (zero is shown) and every unshown
    one at least 0. A value is kept when some filling of all the hidden cells makes it so."""
    equations = equations_of(totals)
    unshown = set(unshown)
    unknown = [key for key in values if key in set(hidden) | unshown]
    known = {key: values[key] for key in values if key not in unknown}
    # No cell can be more than everything counted put together.
    cap = sum(values.values()) + below
    floors = {key: 0 if key in unshown else 1 for key in unknown}
    small = [key for key in unknown if key not in unshown and 0 < values[key] < below]
    return {
        key: {
            value for value in range(1, below + 1) if _fillable(equations, known | {key: value}, floors, cap)
        }
        for key in small
    }


def _fillable(equations, assigned: dict, floors: dict, cap: int) -> bool:
    assigned = dict(assigned)
    while True:
        forced = None
        for equation in equations:
            missing = [cell for cell in equation if cell not in assigned]
            total = sum(c * assigned[cell] for cell, c in equation.items() if cell in assigned)
            if not missing:
                if total:
                    return False
                continue
            low = total + sum(min(c * floors[k], c * cap) for k in missing for c in [equation[k]])
            high = total + sum(max(c * floors[k], c * cap) for k in missing for c in [equation[k]])
            if not low <= 0 <= high:
                return False
            if len(missing) == 1:
                forced = (missing[0], -total * equation[missing[0]])
                break
        if forced is None:
            break
        cell, value = forced
        if not floors[cell] <= value <= cap:
            return False
        assigned[cell] = value
    free = [cell for cell in floors if cell not in assigned]
    if not free:
        return True
    cell = free[0]
    return any(
        _fillable(equations, assigned | {cell: value}, floors, cap) for value in range(floors[cell], cap + 1)
    )


def given_away(values, totals, hidden, *, unshown=(), below: int = 5) -> dict[Hashable, set[int]]:
    """The hidden small counts a reader can narrow down, with what they can narrow each to: any that could
    not be every value from what it is up to the threshold (so that it might not be small at all)."""
    return {
        key: possible
        for key, possible in could_be(values, totals, hidden, unshown=unshown, below=below).items()
        if not set(range(values[key], below + 1)) <= possible
    }
