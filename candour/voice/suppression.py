"""Small-number suppression (DESIGN.md): no breakdown shows a group of fewer than
settings.CANDOUR_SMALL_NUMBER_THRESHOLD people, and none can be worked out by subtraction.

Hiding a small group is not enough when its total is shown: with one group hidden, the total minus the
others gives it back. So wherever exactly one group in a line that adds up to a shown total is hidden, the
next smallest is hidden too (complementary suppression), and this is repeated until no line gives one away.
A group with no one in it is shown as none: it says nothing about anyone, and hiding it would protect no
one (where nothing could have been counted, everyone knows it is none).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings


def threshold() -> int:
    return settings.CANDOUR_SMALL_NUMBER_THRESHOLD


def _small(counts: Mapping) -> set:
    return {key for key, count in counts.items() if 0 < count < threshold()}


def _complete(lines: list[tuple[list[Hashable], Hashable | None]], counts: Mapping, hidden: set) -> set:
    """Hide more until no line (parts, and the total they add up to) has exactly one hidden member."""
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = [*parts, *([total] if total is not None else [])]
            if sum(member in hidden for member in members) != 1:
                continue
            # The smallest shown part goes first; the total only when no part is left to hide.
            shown_parts = sorted((counts[p], i) for i, p in enumerate(parts) if p not in hidden and counts[p])
            if shown_parts:
                hidden.add(parts[shown_parts[0][1]])
                changed = True
            elif total is not None and total not in hidden:
                hidden.add(total)
                changed = True
    return hidden


def suppressed(counts: Mapping[Hashable, int], *, total_shown: bool = True) -> set[Hashable]:
    """The groups to hide when each is shown beside their total (or beside one another only)."""
    hidden = _small(counts)
    if not total_shown:
        return hidden
    return _complete([(list(counts), None)], counts, hidden) if len(counts) > 1 else hidden


@dataclass(frozen=True)
class Grid:
    """A table of counts by row and column with its margins, and which of them may be shown."""

    rows: tuple[Hashable, ...]
    columns: tuple[Hashable, ...]
    counts: dict
    hidden: frozenset

    def cell(self, row, column) -> int | None:
        """The count, or None when it must not be shown."""
        return self._shown(("cell", row, column))

    def row_total(self, row) -> int | None:
        return self._shown(("row", row))

    def column_total(self, column) -> int | None:
        return self._shown(("column", column))

    @property
    def total(self) -> int | None:
        return self._shown(("all",))

    def _shown(self, key) -> int | None:
        return None if key in self.hidden else self.counts.get(key, 0)


def grid(counts: Mapping[tuple[Hashable, Hashable], int], rows: Iterable, columns: Iterable) -> Grid:
    """Suppress a rows x columns table of counts shown with its row, column and grand totals."""
    rows, columns = tuple(rows), tuple(columns)
    values: dict = {("all",): 0}
    for row in rows:
        values[("row", row)] = 0
    for column in columns:
        values[("column", column)] = 0
    for row in rows:
        for column in columns:
            count = counts.get((row, column), 0)
            values[("cell", row, column)] = count
            values[("row", row)] += count
            values[("column", column)] += count
            values[("all",)] += count
    lines = [([("cell", r, c) for c in columns], ("row", r)) for r in rows]
    lines += [([("cell", r, c) for r in rows], ("column", c)) for c in columns]
    lines += [([("row", r) for r in rows], ("all",)), ([("column", c) for c in columns], ("all",))]
    hidden = _small(values)
    return Grid(rows, columns, values, frozenset(_complete(lines, values, hidden)))
