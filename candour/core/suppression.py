"""Small numbers that cannot be worked out, for any page or file that shows counts beside their totals.

A count from 1 to one below `CANDOUR_SMALL_NUMBER_THRESHOLD` is never shown (primary suppression). That is
not enough where a total is shown too: the total less the shown parts gives a lone hidden part back, and
two hidden parts of 1 and 1 beside a total that leaves 2 for them give both back. So more cells are hidden
(complementary suppression) until every small count is *protected*: there is a way to change the hidden
cells together, keeping every total right and every hidden cell at 1 or more, that takes the small count
from its own value up through the threshold. Whatever anyone subtracts from whatever is shown, they can
then neither pin a hidden count down nor even tell that it is small.

Zero is shown as 0 (it identifies no one, and everyone can see nothing was counted), so a reader knows that
every hidden cell is at least 1. Every hidden cell looks the same, small or hidden to protect another, so a
reader cannot tell which is which. Hiding more cells only widens what a hidden count could be, so each
small count is protected on its own, and the cheapest protection is chosen: the smallest cells beside it.
See docs/adr/0019.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

from django.conf import settings

# Protections are looked for among at most this many cells (a rectangle of four in a table with margins
# is the usual one), and the search gives up after this many steps and hides more instead.
MOST_CELLS = 8
MOST_STEPS = 20_000


def threshold() -> int:
    return settings.CANDOUR_SMALL_NUMBER_THRESHOLD


def is_small(count: int, *, below: int | None = None) -> bool:
    """Too small to show: from 1 to one below the threshold."""
    return 0 < count < (threshold() if below is None else below)


def would_be_all_hidden(counts: Iterable[int]) -> bool:
    """Something is counted, and nothing counted is big enough to show: a row or column of a table that
    would read as nothing but hidden cells, better put together with others than shown."""
    counts = list(counts)
    return any(is_small(count) for count in counts) and all(not count or is_small(count) for count in counts)


def suppress(
    counts: Mapping[Hashable, int],
    totals: Iterable[tuple[Hashable, Iterable[Hashable]]] = (),
    *,
    unshown: Iterable[Hashable] = (),
    below: int | None = None,
) -> frozenset[Hashable]:
    """The keys of `counts` that must not be shown.

    `totals` are (total, parts): the count at `total` is the sum of the counts at `parts`, which a reader
    can check. `unshown` are counts the page never prints but a reader could still reason with, such as
    a month's count that two tables break down in different ways. `below` overrides the threshold.
    """
    limit = threshold() if below is None else below
    values = dict(counts)
    unshown = frozenset(unshown)
    equations = _equations(values, totals)
    small = [key for key in values if key not in unshown and 0 < values[key] < limit]
    small.sort(key=lambda key: values[key])
    hidden = set(small) | unshown
    search = _Search(values, equations, unshown, limit)
    for key in small:
        if search.protection(key, hidden, may_hide=False) is not None:
            continue
        found = search.protection(key, hidden, may_hide=True)
        if found is None:
            # Nothing small enough to find: hide everything the count is tied to, and then its ties' ties.
            hidden |= search.neighbours(key)
            found = search.protection(key, hidden, may_hide=True) or search.component(key)
        hidden |= found
    return frozenset(hidden - unshown)


def _equations(values: dict, totals) -> list[dict[Hashable, int]]:
    """Each total as {cell: coefficient}, summing to zero: parts +1, the total -1."""
    equations = []
    for total, parts in totals:
        parts = list(parts)
        if values[total] != sum(values[part] for part in parts):
            raise ValueError(f"{total!r} is {values[total]}, but its parts add up to a different number")
        equation: dict[Hashable, int] = {total: -1}
        for part in parts:
            if part == total or part in equation:
                raise ValueError(f"{part!r} appears twice in the total {total!r}")
            equation[part] = 1
        equations.append(equation)
    return equations


class _Search:
    """Looks for a protection of one small count: cells that can move together with it, each by one for
    each one it moves (with it or against it, by its sign), that keep every total right."""

    def __init__(self, values: dict, equations: list[dict], unshown: frozenset, limit: int):
        self.values = values
        self.equations = equations
        self.unshown = unshown
        self.limit = limit
        self.order = {key: index for index, key in enumerate(values)}
        self.equations_of: dict[Hashable, list[int]] = defaultdict(list)
        for index, equation in enumerate(equations):
            for key in equation:
                self.equations_of[key].append(index)

    def _room(self, small: Hashable, key: Hashable, sign: int) -> bool:
        """Whether `key` can move with (sign +1) or against (sign -1) the small count while it rises to
        the threshold, staying at its floor or above: 1 for a hidden cell, 0 for an unshown count."""
        if sign > 0:
            return True
        floor = 0 if key in self.unshown else 1
        return self.values[key] - (self.limit - self.values[small]) >= floor

    def _unbalanced(self, moving: dict) -> tuple[int, int] | None:
        for key in moving:
            for index in self.equations_of[key]:
                equation = self.equations[index]
                # Over the few cells moving, not the equation's many: a column total may have hundreds.
                imbalance = sum(equation.get(cell, 0) * sign for cell, sign in moving.items())
                if imbalance:
                    return index, imbalance
        return None

    def protection(self, small: Hashable, hidden: set, *, may_hide: bool) -> set | None:
        """The cheapest protection (least count newly hidden) among hidden cells, or, with `may_hide`,
        among any; None if there is none within reach."""
        best: list = [None, float("inf")]
        steps = 0

        def walk(moving: dict, cost: int, most: int) -> None:
            nonlocal steps
            steps += 1
            if steps > MOST_STEPS or cost >= best[1]:
                return
            found = self._unbalanced(moving)
            if found is None:
                best[:] = [set(moving), cost]
                return
            if len(moving) >= most:
                return
            index, imbalance = found
            wanted = -1 if imbalance > 0 else 1
            choices = []
            for key, coefficient in self.equations[index].items():
                if key in moving or (not may_hide and key not in hidden):
                    continue
                if self.values[key] == 0 and key not in self.unshown:
                    continue  # zero is shown, so it can never move
                sign = wanted * coefficient
                if self._room(small, key, sign):
                    added = 0 if key in hidden else self.values[key]
                    choices.append((added, self.order[key], key, sign))
            for added, _, key, sign in sorted(choices):
                moving[key] = sign
                walk(moving, cost + added, most)
                del moving[key]

        for most in range(1, MOST_CELLS + 1):
            walk({small: 1}, 0, most)
            if best[0] is not None:
                return best[0]
        return None

    def neighbours(self, key: Hashable) -> set:
        """Every cell that shares a total with this one and is not zero."""
        return {
            cell
            for index in self.equations_of[key]
            for cell in self.equations[index]
            if self.values[cell] or cell in self.unshown
        }

    def component(self, key: Hashable) -> set:
        """Every cell tied to this one through totals, however distantly, that is not zero."""
        seen, waiting = {key}, [key]
        while waiting:
            for cell in self.neighbours(waiting.pop()) - seen:
                seen.add(cell)
                waiting.append(cell)
        return seen
