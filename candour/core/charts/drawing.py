"""Drawing a ChartView as SVG: the full chart with axes, limits and markers, and the small one for lists."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from candour.core.charts.view import (
    AXIS_COLOUR,
    LIMIT_COLOUR,
    LINE_COLOUR,
    MEAN_COLOUR,
    RECALCULATION_COLOUR,
    TARGET_COLOUR,
    TEXT_COLOUR,
    ChartRow,
    ChartView,
)

# The SVG's own coordinate space; it scales to its container (width 100%, viewBox).
WIDTH, HEIGHT = 720, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 24, 20, 40
MAX_X_LABELS = 8
SMALL_WIDTH, SMALL_HEIGHT, SMALL_PAD = 160, 48, 5
SPARKLINES_KEPT = 4096
_SPARKLINES: dict[tuple, Markup] = {}


# Drawing.


@dataclass(frozen=True)
class _Frame:
    """Maps month positions and values to SVG coordinates."""

    left: float
    right: float
    top: float
    bottom: float
    count: int
    low: float
    high: float

    def x(self, index: int) -> float:
        if self.count <= 1:
            return (self.left + self.right) / 2
        return self.left + (self.right - self.left) * index / (self.count - 1)

    def y(self, value: float) -> float:
        span = self.high - self.low
        return self.bottom - (self.bottom - self.top) * (value - self.low) / span


def _extent(chart: ChartView) -> tuple[float, float]:
    """The span the chart shows: every value, mean, limit and the target. Limits are already held to what
    the measure can reach, so a share's axis stays within 0 to 100% and a count's never goes below 0."""
    figures = [row.value for row in chart.rows if row.value is not None]
    if chart.target is not None:
        figures.append(chart.target)
    if not figures:
        # Nothing to show: the measure's own range (the page shows an empty state instead).
        return 0.0, 100.0 if chart.unit == "%" else 10.0
    for row in chart.rows:
        figures += [figure for figure in (row.mean, row.lower_limit, row.upper_limit) if figure is not None]
    return min(figures), max(figures)


def nice_ticks(
    low: float, high: float, count: int = 5, *, floor: float | None = None, ceiling: float | None = None
) -> list[float]:
    """Round tick values covering [low, high]; equal ends (a flat series) still get a span, never beyond
    `floor` or `ceiling` (what the measure can reach: 0, 100%)."""
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
        if floor is not None:
            low = max(low, floor)
        if ceiling is not None:
            high = min(high, ceiling)
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    tick = first
    while tick <= last + step / 1e6:
        ticks.append(round(tick, 10))
        tick += step
    # A rounded end never steps past a bound the values cannot pass (no -20 under a count, no 120%).
    return [
        tick
        for tick in ticks
        if (floor is None or tick >= floor - step / 1e6) and (ceiling is None or tick <= ceiling + step / 1e6)
    ]


def _tick_places(ticks: list[float]) -> int:
    for places in range(0, 4):
        if all(abs(round(tick, places) - tick) < 1e-9 for tick in ticks):
            return places
    return 3


def _f(number: float) -> str:
    """A coordinate, to a tenth of a unit (finer than any screen shows)."""
    return f"{number:.1f}"


# Drawing builds plain strings: every figure and attribute below is a number or one of this module's
# constants; only text (titles, descriptions, labels) comes from outside, and it is escaped.


def marker_shape(shape: str, x: float, y: float, fill: str, size: float = 4.5) -> str:
    if shape == "square":
        side = size * 1.7
        return (
            f'<rect x="{_f(x - side / 2)}" y="{_f(y - side / 2)}" width="{_f(side)}" height="{_f(side)}" '
            f'fill="{fill}"/>'
        )
    if shape == "triangle":
        r = size * 1.3
        points = (
            f"{_f(x)},{_f(y - r)} {_f(x + r * 0.9)},{_f(y + r * 0.6)} {_f(x - r * 0.9)},{_f(y + r * 0.6)}"
        )
        return f'<polygon points="{points}" fill="{fill}"/>'
    if shape == "ring":
        return (
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size - 0.75)}" fill="#ffffff" stroke="{fill}" '
            'stroke-width="1.5"/>'
        )
    if shape == "diamond":
        r = size * 1.3
        points = f"{_f(x)},{_f(y - r)} {_f(x + r)},{_f(y)} {_f(x)},{_f(y + r)} {_f(x - r)},{_f(y)}"
        return f'<polygon points="{points}" fill="{fill}"/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size)}" fill="{fill}"/>'


def _runs(rows: Sequence[ChartRow], frame: _Frame) -> list[list[tuple[float, float]]]:
    """The value line as runs of consecutive months with values: a month without one leaves a gap."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, row in enumerate(rows):
        if row.value is None or row.so_far:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((frame.x(index), frame.y(row.value)))
    if current:
        runs.append(current)
    return runs


def _polylines(rows: Sequence[ChartRow], frame: _Frame, width: float) -> list[str]:
    lines = [
        f'<polyline points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in run)}" fill="none" '
        f'stroke="{LINE_COLOUR}" stroke-width="{width}"/>'
        for run in _runs(rows, frame)
        if len(run) > 1
    ]
    # The month so far joins the line dashed, as it will still move.
    for index in range(1, len(rows)):
        before, row = rows[index - 1], rows[index]
        if row.so_far and row.value is not None and before.value is not None and not before.so_far:
            lines.append(
                f'<line class="candour-chart-so-far" x1="{_f(frame.x(index - 1))}" '
                f'y1="{_f(frame.y(before.value))}" '
                f'x2="{_f(frame.x(index))}" y2="{_f(frame.y(row.value))}" stroke="{LINE_COLOUR}" '
                f'stroke-width="{width}" stroke-dasharray="3 3"/>'
            )
    return lines


def _recalculation_lines(rows: Sequence[ChartRow], frame: _Frame) -> list[str]:
    """A dotted upright line before each month limits were recalculated from."""
    half = (frame.x(1) - frame.x(0)) / 2 if frame.count > 1 else 0
    return [
        f'<line x1="{_f(frame.x(index) - half)}" y1="{_f(frame.top)}" x2="{_f(frame.x(index) - half)}" '
        f'y2="{_f(frame.bottom)}" stroke="{RECALCULATION_COLOUR}" stroke-width="1" stroke-dasharray="1 3" '
        f'data-month="{row.period.start:%Y-%m}"/>'
        for index, row in enumerate(rows)
        if row.recalculated
    ]


def _axis_bounds(chart: ChartView, low: float, high: float) -> dict[str, float | None]:
    """The measure's bounds for the axis, unless a value (wrongly) lies beyond one."""
    floor, ceiling = chart.measure.bounds
    return {
        "floor": floor if floor is not None and low >= floor else None,
        "ceiling": ceiling if ceiling is not None and high <= ceiling else None,
    }


def _segments(rows: Sequence[ChartRow], attribute: str) -> list[tuple[int, int, float]]:
    """(first index, last index, level) for each stretch of known months sharing a mean or limit."""
    segments: list[tuple[int, int, float]] = []
    for index, row in enumerate(rows):
        level = getattr(row, attribute)
        if level is None:
            continue
        if segments and segments[-1][2] == level:
            segments[-1] = (segments[-1][0], index, level)
        else:
            segments.append((index, index, level))
    return segments


def _level_lines(
    rows: Sequence[ChartRow], attribute: str, frame: _Frame, colour: str, width: float, dash: str | None
) -> list[str]:
    half = (frame.x(1) - frame.x(0)) / 2 if frame.count > 1 else 0
    dashing = f' stroke-dasharray="{dash}"' if dash else ""
    lines = []
    for first, last, level in _segments(rows, attribute):
        if not frame.low <= level <= frame.high:
            continue
        y = _f(frame.y(level))
        x1 = frame.x(first) - (half if first == last else 0)
        x2 = frame.x(last) + (half if first == last else 0)
        lines.append(
            f'<line x1="{_f(x1)}" y1="{y}" x2="{_f(x2)}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{width}"{dashing}/>'
        )
    return lines


def _x_label_indices(count: int) -> list[int]:
    """Which months get a label: every one when few, else evenly thinned, always ending on the latest."""
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = math.ceil(count / MAX_X_LABELS)
    return [index for index in range(count) if (count - 1 - index) % step == 0]


def render_svg(chart: ChartView, chart_id: str) -> Markup:
    rows = chart.rows
    low, high = _extent(chart)
    ticks = nice_ticks(low, high, **_axis_bounds(chart, low, high))
    frame = _Frame(
        left=MARGIN_LEFT + 8,
        right=WIDTH - MARGIN_RIGHT - 8,
        top=MARGIN_TOP,
        bottom=HEIGHT - MARGIN_BOTTOM,
        count=max(len(rows), 1),
        low=ticks[0],
        high=ticks[-1],
    )
    tick_places = _tick_places(ticks)
    bottom = _f(frame.bottom)
    parts = [
        f'<svg class="candour-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="Frutiger W01, Arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(chart.title)}: SPC chart by month</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.summary)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Y axis: gridlines and tick labels.
    for tick in ticks:
        y = _f(frame.y(tick))
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y}" stroke="#e8edee" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="12" fill="{TEXT_COLOUR}">{escape(_tick_label(tick, tick_places, chart.unit))}</text>'
        )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{bottom}" x2="{WIDTH - MARGIN_RIGHT}" y2="{bottom}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{_f(frame.top)}" x2="{MARGIN_LEFT}" y2="{bottom}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    # X axis: month labels, thinned when crowded.
    for index in _x_label_indices(len(rows)):
        x = _f(frame.x(index))
        parts.append(
            f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{_f(frame.bottom + 5)}" stroke="{AXIS_COLOUR}" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x}" y="{_f(frame.bottom + 20)}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{rows[index].period.start:%b %Y}</text>'
        )
    # Where limits were recalculated, then limits (dashed), mean and target, behind the points.
    parts.append('<g class="candour-chart-recalculations">')
    parts += _recalculation_lines(rows, frame)
    parts.append("</g>")
    parts.append('<g class="candour-chart-limits">')
    parts += _level_lines(rows, "upper_limit", frame, LIMIT_COLOUR, 1.5, "6 4")
    parts += _level_lines(rows, "lower_limit", frame, LIMIT_COLOUR, 1.5, "6 4")
    parts.append("</g>")
    parts.append('<g class="candour-chart-mean">')
    parts += _level_lines(rows, "mean", frame, MEAN_COLOUR, 2, None)
    parts.append("</g>")
    if chart.target is not None:
        y = _f(frame.y(chart.target))
        parts.append(
            f'<line class="candour-chart-target" x1="{_f(frame.left)}" y1="{y}" x2="{_f(frame.right)}" '
            f'y2="{y}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="2 3"/>'
        )
    # The values: a line through each run of months, then the points on top.
    parts += _polylines(rows, frame, 1.5)
    parts.append('<g class="candour-chart-points">')
    for index, row in enumerate(rows):
        marker = row.marker
        if row.value is None or marker is None:
            continue
        shape = marker_shape(marker.shape, frame.x(index), frame.y(row.value), marker.fill)
        so_far = ' data-so-far="true"' if row.so_far else ""
        parts.append(
            f'<g data-colour="{marker.colour}" data-shape="{marker.shape}" '
            f'data-month="{row.period.start:%Y-%m}"{so_far}>{shape}</g>'
        )
    parts.append("</g>")
    if not chart.known_rows:
        parts.append(
            f'<text x="{_f((frame.left + frame.right) / 2)}" y="{_f((frame.top + frame.bottom) / 2)}" '
            f'text-anchor="middle" font-size="14" fill="{TEXT_COLOUR}">No values yet</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and constants; outside text is escaped above


def _tick_label(tick: float, places: int, unit: str) -> str:
    text = f"{tick:,.{places}f}"
    return f"{text}%" if unit == "%" else text


def _draw_sparkline(chart: ChartView) -> Markup:
    rows = chart.rows
    low, high = _extent(chart)
    if high == low:
        bounds = _axis_bounds(chart, low, high)
        low = low - 1 if bounds["floor"] is None else max(low - 1, bounds["floor"])
        high = high + 1 if bounds["ceiling"] is None else min(high + 1, bounds["ceiling"])
    frame = _Frame(
        left=SMALL_PAD,
        right=SMALL_WIDTH - SMALL_PAD,
        top=SMALL_PAD,
        bottom=SMALL_HEIGHT - SMALL_PAD,
        count=max(len(rows), 1),
        low=low,
        high=high,
    )
    parts = [
        f'<svg class="candour-sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SMALL_WIDTH} '
        f'{SMALL_HEIGHT}" width="{SMALL_WIDTH}" height="{SMALL_HEIGHT}" aria-hidden="true" focusable="false">'
    ]
    parts += _level_lines(rows, "upper_limit", frame, LIMIT_COLOUR, 1, "3 2")
    parts += _level_lines(rows, "lower_limit", frame, LIMIT_COLOUR, 1, "3 2")
    parts += _level_lines(rows, "mean", frame, MEAN_COLOUR, 1, None)
    if chart.target is not None:
        y = _f(frame.y(chart.target))
        parts.append(
            f'<line x1="{_f(frame.left)}" y1="{y}" x2="{_f(frame.right)}" y2="{y}" stroke="{TARGET_COLOUR}" '
            'stroke-width="1" stroke-dasharray="1 2"/>'
        )
    parts += _polylines(rows, frame, 1)
    for index, row in enumerate(rows):
        if row.value is not None and row.marker is not None:
            parts.append(
                marker_shape(row.marker.shape, frame.x(index), frame.y(row.value), row.marker.fill, size=2.2)
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and constants only


def render_sparkline(chart: ChartView) -> Markup:
    """A small chart without axes, drawn once per figures: it depends only on the rows' values, limits and
    colours, the target and the unit, so a list page draws each until the snapshots change."""
    key = (
        tuple(
            (row.value, row.mean, row.lower_limit, row.upper_limit, row.colour, row.so_far)
            for row in chart.rows
        ),
        chart.target,
        chart.unit,
    )
    drawn = _SPARKLINES.get(key)
    if drawn is None:
        if len(_SPARKLINES) >= SPARKLINES_KEPT:
            _SPARKLINES.clear()
        drawn = _SPARKLINES[key] = _draw_sparkline(chart)
    return drawn
