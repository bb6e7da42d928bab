"""SPC charts for measures over time: the view model (`view`), how figures are written (`numbers`), and the
SVG drawn from them (`drawing`). Pages and reports import from here."""

from candour.core.charts.drawing import MARGIN_TOP, MAX_X_LABELS, _extent, nice_ticks
from candour.core.charts.numbers import format_value, unit_label
from candour.core.charts.view import (
    COLOURS,
    SO_FAR_MARKER,
    ChartRow,
    ChartView,
    Marker,
    VariationIcon,
    spc_chart,
)

__all__ = [
    "COLOURS",
    "MARGIN_TOP",
    "MAX_X_LABELS",
    "SO_FAR_MARKER",
    "ChartRow",
    "ChartView",
    "Marker",
    "VariationIcon",
    "_extent",
    "format_value",
    "nice_ticks",
    "spc_chart",
    "unit_label",
]
