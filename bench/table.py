"""The benchmark's rows as a Markdown table, for a scenario run on its own (`python -m bench.<name>`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

HEADER = "| measure | value | reference | ratio |\n| --- | --- | --- | --- |"


def print_rows(rows: Iterable[Sequence[str]]) -> None:
    """Print (measure, value[, reference, ratio]) rows under the table's header."""
    print(HEADER)
    for row in rows:
        print("| " + " | ".join(row) + " |")
