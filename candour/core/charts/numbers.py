"""How a chart writes its figures: places to show, units, counts."""

from __future__ import annotations

from collections.abc import Sequence


def _places(values: Sequence[float], unit: str) -> int:
    """Decimal places for a series: as many as its values need, up to one for shares and figures of 10 or
    more and two for small figures (0.16 per 100 staff)."""
    largest = max((abs(value) for value in values), default=0)
    most = 1 if largest >= 10 or unit == "%" else 2
    for places in range(most):
        if all(round(value, places) == round(value, most) for value in values):
            return places
    return most


def _count(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _cell_unit(unit: str) -> str:
    return "%" if unit == "%" else ""


def _figure(value: float | None, unit: str, places: int) -> str:
    """A figure for a table cell: empty when there is none."""
    return "" if value is None else format_value(value, _cell_unit(unit), places)


def unit_label(unit: str) -> str:
    """A measure's unit as a heading reads it: "Percentage", "People", "Per 100 staff"."""
    if unit == "%":
        return "Percentage"
    return unit[:1].upper() + unit[1:]


def format_value(value: float | None, unit: str, places: int = 1) -> str:
    """A measure's value with its unit: "85.3%", "1,204 people", "2.41 per 100 staff"."""
    if value is None:
        return "No value"
    number = f"{value:,.{places}f}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number
