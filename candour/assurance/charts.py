"""SPC charts for measures over time: server-rendered, accessible SVG and the data table behind it.

`spc_chart(series)` runs the Making Data Count engine (`assurance.spc`) over the months that have a value and
lays the result out as a `ChartView`: an SVG (works in pages and PDFs, no JavaScript), one table row per
month, and the variation and assurance readings with their icons. A month with no value keeps its place on
the axis and leaves a gap; the engine only ever sees the known values.

Colour is never the only signal (WCAG 1.4.1): each kind of point also has its own marker shape, and every
reading is written out in words in the table.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from candour.assurance import chart_icons
from candour.assurance.queries.measures import MeasureSeries
from candour.assurance.spc import (
    AssuranceIcon,
    Colour,
    Direction,
    Flag,
    Rule,
    Side,
    SpcConfig,
    SpcPoint,
    VariationIcon,
    xmr_chart,
)
from candour.core.measures import Measure, Period

__all__ = [
    "COLOURS",
    "ChartRow",
    "ChartView",
    "Marker",
    "format_value",
    "spc_chart",
]

# NHS palette, each at least 3:1 against white (WCAG 1.4.11) so that a point can be seen whatever its colour.
COLOURS = {
    Colour.GREY: "#768692",
    Colour.BLUE: "#005eb8",
    Colour.ORANGE: "#c25e00",
    Colour.PURPLE: "#7030a0",
}
MEAN_COLOUR = "#425563"
LIMIT_COLOUR = "#425563"
TARGET_COLOUR = "#d5281b"
LINE_COLOUR = "#aeb7bd"
AXIS_COLOUR = "#4c6272"
TEXT_COLOUR = "#212b32"


@dataclass(frozen=True)
class Marker:
    """How a kind of point is drawn and named: its colour and its shape."""

    colour: Colour
    shape: str
    label: str

    @property
    def fill(self) -> str:
        return COLOURS[self.colour]

    @property
    def svg(self) -> Markup:
        """The marker alone, for a legend beside the chart."""
        return Markup(
            '<svg class="candour-chart-marker" width="14" height="14" viewBox="-7 -7 14 14" '
            'aria-hidden="true" focusable="false">{}</svg>'
        ).format(_marker_shape(self.shape, 0, 0, self.fill, size=5))


MARKERS = {
    Colour.GREY: Marker(Colour.GREY, "circle", "Common cause"),
    Colour.BLUE: Marker(Colour.BLUE, "square", "Special cause: improvement"),
    Colour.ORANGE: Marker(Colour.ORANGE, "triangle", "Special cause: concern"),
    Colour.PURPLE: Marker(Colour.PURPLE, "diamond", "Special cause: neither improvement nor concern"),
}

RULE_WORDS = {
    Rule.BEYOND_LIMIT: "beyond a process limit",
    Rule.SHIFT: "shift",
    Rule.TREND: "trend",
    Rule.TWO_OF_THREE: "two of three close to a limit",
}
RULE_ORDER = [Rule.BEYOND_LIMIT, Rule.SHIFT, Rule.TREND, Rule.TWO_OF_THREE]

VARIATION_LABELS = {
    VariationIcon.NONE: "No variation reading yet",
    VariationIcon.COMMON_CAUSE: "Common cause variation",
    VariationIcon.IMPROVING_HIGH: "Special cause variation: improvement (higher)",
    VariationIcon.IMPROVING_LOW: "Special cause variation: improvement (lower)",
    VariationIcon.CONCERNING_HIGH: "Special cause variation: concern (higher)",
    VariationIcon.CONCERNING_LOW: "Special cause variation: concern (lower)",
    VariationIcon.NEITHER_HIGH: "Special cause variation: higher, neither improvement nor concern",
    VariationIcon.NEITHER_LOW: "Special cause variation: lower, neither improvement nor concern",
}
ASSURANCE_LABELS = {
    AssuranceIcon.NONE: "No target assurance",
    AssuranceIcon.HIT_OR_MISS: "Hit or miss: the target lies within the process limits",
    AssuranceIcon.CONSISTENTLY_PASS: "Consistently passing the target",
    AssuranceIcon.CONSISTENTLY_FAIL: "Consistently failing the target",
}

# The SVG's own coordinate space; it scales to its container (width 100%, viewBox).
WIDTH, HEIGHT = 720, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 24, 20, 40
MAX_X_LABELS = 8
SMALL_WIDTH, SMALL_HEIGHT, SMALL_PAD = 160, 48, 5

_ids = itertools.count(1)


@dataclass(frozen=True)
class ChartRow:
    """One month of the chart, as its data table shows it."""

    period: Period
    value: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    colour: Colour | None
    reading: str
    places: int
    unit: str

    @property
    def month(self) -> str:
        return self.period.label

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.unit, self.places)

    @property
    def mean_text(self) -> str:
        return format_value(self.mean, self.unit, self.places + 1 if self.places == 0 else self.places)

    @property
    def lower_limit_text(self) -> str:
        return format_value(self.lower_limit, self.unit, self.places + 1 if self.places == 0 else self.places)

    @property
    def upper_limit_text(self) -> str:
        return format_value(self.upper_limit, self.unit, self.places + 1 if self.places == 0 else self.places)

    @property
    def marker(self) -> Marker | None:
        return MARKERS.get(self.colour) if self.colour else None


@dataclass(frozen=True)
class ChartView:
    """A measure's SPC chart, ready for a page or a PDF: build it with `spc_chart`."""

    measure: Measure
    title: str
    rows: tuple[ChartRow, ...]
    variation: VariationIcon
    assurance: AssuranceIcon
    target: float | None
    has_limits: bool
    minimum_points: int
    places: int

    @property
    def latest(self) -> ChartRow | None:
        """The most recent month with a value."""
        return next((row for row in reversed(self.rows) if row.value is not None), None)

    @property
    def known_rows(self) -> list[ChartRow]:
        return [row for row in self.rows if row.value is not None]

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def direction_label(self) -> str:
        return Direction(self.measure.direction).label

    @property
    def variation_label(self) -> str:
        if self.variation == VariationIcon.NONE and self.known_rows:
            return f"No variation reading: fewer than {self.minimum_points} values"
        if self.variation == VariationIcon.NONE:
            return "No values yet"
        return VARIATION_LABELS[self.variation]

    @property
    def assurance_label(self) -> str:
        if self.target is None:
            return "No target set"
        if self.assurance == AssuranceIcon.NONE:
            if Direction(self.measure.direction) == Direction.NEITHER:
                return "No target assurance: neither higher nor lower is better"
            return f"No target assurance: fewer than {self.minimum_points} values"
        return ASSURANCE_LABELS[self.assurance]

    @property
    def variation_icon(self) -> Markup:
        return chart_icons.variation_icon(self.variation)

    @property
    def assurance_icon(self) -> Markup:
        return chart_icons.assurance_icon(self.assurance)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.unit, self.places)

    @property
    def note(self) -> str | None:
        """Why the chart shows no limits, when it does not."""
        count = len(self.known_rows)
        if self.has_limits:
            return None
        if not count:
            return "There are no values for this measure yet."
        return (
            f"There {'is' if count == 1 else 'are'} {count} month{'' if count == 1 else 's'} with a value. "
            f"Process limits and special-cause readings need at least {self.minimum_points}, so only the "
            "mean is shown and every point is grey."
        )

    @property
    def legend(self) -> list[Marker]:
        """The kinds of point this chart shows, for a legend."""
        shown = {row.colour for row in self.rows if row.colour}
        return [marker for colour, marker in MARKERS.items() if colour in shown]

    @property
    def summary(self) -> str:
        """One paragraph saying what the chart shows, for its SVG description."""
        latest = self.latest
        if latest is None:
            return f"{self.title}: there are no values yet."
        parts = [
            f"Latest value {latest.value_text} in {latest.month}.",
            f"{self.variation_label}.",
        ]
        if self.has_limits:
            parts.append(
                f"Mean {latest.mean_text}, process limits {latest.lower_limit_text} to "
                f"{latest.upper_limit_text}."
            )
        else:
            parts.append(f"Mean {latest.mean_text}.")
        if self.target is not None:
            parts.append(
                f"Target {self.target_text}: {self.assurance_label[0].lower()}{self.assurance_label[1:]}."
            )
        parts.append(self.direction_label + ".")
        return " ".join(parts)

    @cached_property
    def svg(self) -> Markup:
        return _render_svg(self, f"candour-chart-{next(_ids)}")

    @cached_property
    def sparkline(self) -> Markup:
        """A small chart without axes, for lists: the values, the mean and the limits."""
        return _render_sparkline(self)


def spc_chart(
    series: MeasureSeries,
    *,
    target: float | None = None,
    title: str | None = None,
    baseline: int | None = None,
    recalculate_after: Iterable[int | dt.date | Period] = (),
    config: SpcConfig | None = None,
) -> ChartView:
    """Chart a measure's monthly series with the Making Data Count rules.

    `baseline` is a number of known values; `recalculate_after` holds either counts of known values (as the
    engine takes them) or months, each starting new limits with the first value after it.
    """
    config = config or SpcConfig.from_settings()
    measure = series.measure
    known = [(index, point) for index, point in enumerate(series.points) if point.value is not None]
    values = [point.value for _, point in known]
    breaks = _breaks([point.period for _, point in known], recalculate_after)
    chart = xmr_chart(
        values,
        config=config,
        direction=Direction(measure.direction),
        target=target,
        baseline=baseline,
        recalculate_after=breaks,
    )
    places = _places(values, measure.unit)
    by_index = {index: spc for (index, _), spc in zip(known, chart.points, strict=True)}
    direction = Direction(measure.direction)
    rows = tuple(
        _row(point.period, by_index.get(index), direction, places, measure.unit, config.minimum_points)
        for index, point in enumerate(series.points)
    )
    return ChartView(
        measure=measure,
        title=title or measure.title,
        rows=rows,
        variation=chart.variation,
        assurance=chart.assurance,
        target=None if target is None else float(target),
        has_limits=any(point.upper_limit is not None for point in chart.points),
        minimum_points=config.minimum_points,
        places=places,
    )


def _breaks(periods: list[Period], recalculate_after: Iterable[int | dt.date | Period]) -> list[int]:
    """Recalculation points as counts of known values; a month becomes the count of values up to it."""
    breaks = set()
    for item in recalculate_after:
        if isinstance(item, int):
            breaks.add(item)
            continue
        day = item.start if isinstance(item, Period) else item
        count = sum(1 for period in periods if period.start <= day)
        if 0 < count < len(periods):
            breaks.add(count)
    return sorted(breaks)


def _row(
    period: Period, point: SpcPoint | None, direction: Direction, places: int, unit: str, minimum: int
) -> ChartRow:
    if point is None:
        return ChartRow(period, None, None, None, None, None, "No value this month", places, unit)
    return ChartRow(
        period,
        point.value,
        point.mean,
        point.lower_limit,
        point.upper_limit,
        point.colour,
        _reading(point, direction, minimum),
        places,
        unit,
    )


def _reading(point: SpcPoint, direction: Direction, minimum: int) -> str:
    """The SPC reading of one point in words, such as "Special cause: improvement (shift)"."""
    if point.upper_limit is None:
        return f"Not judged: fewer than {minimum} values"
    if point.colour == Colour.GREY:
        return "Common cause"
    improving = {Direction.HIGHER_IS_BETTER: Side.HIGH, Direction.LOWER_IS_BETTER: Side.LOW}.get(direction)
    if point.colour == Colour.BLUE:
        kind, flags = "improvement", _on_side(point.flags, improving)
    elif point.colour == Colour.ORANGE:
        kind, flags = "concern", point.flags
    else:
        sides = {flag.side for flag in point.flags}
        kind = (
            "unusually high"
            if sides == {Side.HIGH}
            else "unusually low"
            if sides == {Side.LOW}
            else "unusual"
        )
        flags = point.flags
    rules = [RULE_WORDS[rule] for rule in RULE_ORDER if any(flag.rule == rule for flag in flags)]
    return f"Special cause: {kind} ({', '.join(rules)})"


def _on_side(flags: frozenset[Flag], side: Side | None) -> list[Flag]:
    return [flag for flag in flags if flag.side == side]


def _places(values: Sequence[float], unit: str) -> int:
    """Decimal places for a series: whole numbers stay whole; small figures keep two places."""
    if all(float(value).is_integer() for value in values):
        return 0
    largest = max((abs(value) for value in values), default=0)
    return 1 if largest >= 10 or unit == "%" else 2


def format_value(value: float | None, unit: str, places: int = 1) -> str:
    """A measure's value with its unit: "85.3%", "1,204 people", "2.41 per 100 staff"."""
    if value is None:
        return "No value"
    number = f"{value:,.{places}f}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


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
    """The lowest and highest value the chart has to show (values, limits and target)."""
    figures = [
        figure
        for row in chart.rows
        for figure in (row.value, row.mean, row.lower_limit, row.upper_limit)
        if figure is not None
    ]
    if chart.target is not None:
        figures.append(chart.target)
    if not figures:
        return 0.0, 1.0
    return min(figures), max(figures)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]; equal ends (a flat series) still get a span."""
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
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
    return ticks


def _tick_places(ticks: list[float]) -> int:
    for places in range(0, 4):
        if all(abs(round(tick, places) - tick) < 1e-9 for tick in ticks):
            return places
    return 3


def _f(number: float) -> str:
    """A coordinate, short and stable."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _marker_shape(shape: str, x: float, y: float, fill: str, size: float = 4.5) -> Markup:
    if shape == "square":
        side = size * 1.7
        return Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
            _f(x - side / 2), _f(y - side / 2), _f(side), _f(side), fill
        )
    if shape == "triangle":
        r = size * 1.3
        points = (
            f"{_f(x)},{_f(y - r)} {_f(x + r * 0.9)},{_f(y + r * 0.6)} {_f(x - r * 0.9)},{_f(y + r * 0.6)}"
        )
        return Markup('<polygon points="{}" fill="{}"/>').format(points, fill)
    if shape == "diamond":
        r = size * 1.3
        points = f"{_f(x)},{_f(y - r)} {_f(x + r)},{_f(y)} {_f(x)},{_f(y + r)} {_f(x - r)},{_f(y)}"
        return Markup('<polygon points="{}" fill="{}"/>').format(points, fill)
    return Markup('<circle cx="{}" cy="{}" r="{}" fill="{}"/>').format(_f(x), _f(y), _f(size), fill)


def _runs(rows: Sequence[ChartRow], frame: _Frame) -> list[list[tuple[float, float]]]:
    """The value line as runs of consecutive months with values: a month without one leaves a gap."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, row in enumerate(rows):
        if row.value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((frame.x(index), frame.y(row.value)))
    if current:
        runs.append(current)
    return runs


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
) -> list[Markup]:
    half = (frame.x(1) - frame.x(0)) / 2 if frame.count > 1 else 0
    lines = []
    for first, last, level in _segments(rows, attribute):
        y = _f(frame.y(level))
        x1 = frame.x(first) - (half if first == last else 0)
        x2 = frame.x(last) + (half if first == last else 0)
        lines.append(
            Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>').format(
                _f(x1),
                y,
                _f(x2),
                y,
                colour,
                width,
                Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
            )
        )
    return lines


def _x_label_indices(count: int) -> list[int]:
    """Which months get a label: every one when few, else evenly thinned, always ending on the latest."""
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = math.ceil(count / MAX_X_LABELS)
    return [index for index in range(count) if (count - 1 - index) % step == 0]


def _render_svg(chart: ChartView, chart_id: str) -> Markup:
    rows = chart.rows
    low, high = _extent(chart)
    ticks = nice_ticks(low, high)
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
    parts: list[Markup] = [
        Markup(
            '<svg class="candour-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
            'aria-labelledby="{id}-title {id}-desc" font-family="Frutiger W01, Arial, sans-serif">'
        ).format(w=WIDTH, h=HEIGHT, id=chart_id),
        Markup('<title id="{}-title">{}</title>').format(chart_id, f"{chart.title}: SPC chart by month"),
        Markup('<desc id="{}-desc">{}</desc>').format(chart_id, chart.summary),
        Markup('<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>').format(WIDTH, HEIGHT),
    ]
    # Y axis: gridlines and tick labels.
    for tick in ticks:
        y = _f(frame.y(tick))
        parts.append(
            Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e8edee" stroke-width="1"/>').format(
                MARGIN_LEFT, y, WIDTH - MARGIN_RIGHT, y
            )
        )
        parts.append(
            Markup(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="12" '
                'fill="{}">{}</text>'
            ).format(MARGIN_LEFT - 6, y, TEXT_COLOUR, _tick_label(tick, tick_places, chart.unit))
        )
    parts.append(
        Markup('<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}" stroke-width="1"/>').format(
            l=MARGIN_LEFT, r=WIDTH - MARGIN_RIGHT, b=_f(frame.bottom), c=AXIS_COLOUR
        )
    )
    parts.append(
        Markup('<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{c}" stroke-width="1"/>').format(
            l=MARGIN_LEFT, t=_f(frame.top), b=_f(frame.bottom), c=AXIS_COLOUR
        )
    )
    # X axis: month labels, thinned when crowded.
    for index in _x_label_indices(len(rows)):
        x = _f(frame.x(index))
        parts.append(
            Markup('<line x1="{x}" y1="{b}" x2="{x}" y2="{b2}" stroke="{c}" stroke-width="1"/>').format(
                x=x, b=_f(frame.bottom), b2=_f(frame.bottom + 5), c=AXIS_COLOUR
            )
        )
        parts.append(
            Markup('<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>').format(
                x, _f(frame.bottom + 20), TEXT_COLOUR, f"{rows[index].period.start:%b %Y}"
            )
        )
    # Limits (dashed), mean and target, behind the points.
    parts.append(Markup('<g class="candour-chart-limits">'))
    parts += _level_lines(rows, "upper_limit", frame, LIMIT_COLOUR, 1.5, "6 4")
    parts += _level_lines(rows, "lower_limit", frame, LIMIT_COLOUR, 1.5, "6 4")
    parts.append(Markup("</g>"))
    parts.append(Markup('<g class="candour-chart-mean">'))
    parts += _level_lines(rows, "mean", frame, MEAN_COLOUR, 2, None)
    parts.append(Markup("</g>"))
    if chart.target is not None:
        y = _f(frame.y(chart.target))
        parts.append(
            Markup(
                '<line class="candour-chart-target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
                'stroke-width="2" stroke-dasharray="2 3"/>'
            ).format(_f(frame.left), y, _f(frame.right), y, TARGET_COLOUR)
        )
    # The values: a line through each run of months, then the points on top.
    for run in _runs(rows, frame):
        if len(run) > 1:
            parts.append(
                Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"/>').format(
                    " ".join(f"{_f(x)},{_f(y)}" for x, y in run), LINE_COLOUR
                )
            )
    parts.append(Markup('<g class="candour-chart-points">'))
    for index, row in enumerate(rows):
        if row.value is None or row.marker is None:
            continue
        marker = row.marker
        parts.append(
            Markup('<g data-colour="{}" data-shape="{}" data-month="{}">{}</g>').format(
                marker.colour,
                marker.shape,
                f"{row.period.start:%Y-%m}",
                _marker_shape(marker.shape, frame.x(index), frame.y(row.value), marker.fill),
            )
        )
    parts.append(Markup("</g>"))
    if not chart.known_rows:
        parts.append(
            Markup(
                '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="{}">No values yet</text>'
            ).format(_f((frame.left + frame.right) / 2), _f((frame.top + frame.bottom) / 2), TEXT_COLOUR)
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _tick_label(tick: float, places: int, unit: str) -> str:
    text = f"{tick:,.{places}f}"
    return f"{text}%" if unit == "%" else text


def _render_sparkline(chart: ChartView) -> Markup:
    rows = chart.rows
    low, high = _extent(chart)
    if high == low:
        low, high = low - 1, high + 1
    frame = _Frame(
        left=SMALL_PAD,
        right=SMALL_WIDTH - SMALL_PAD,
        top=SMALL_PAD,
        bottom=SMALL_HEIGHT - SMALL_PAD,
        count=max(len(rows), 1),
        low=low,
        high=high,
    )
    parts: list[Markup] = [
        Markup(
            '<svg class="candour-sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" aria-hidden="true" focusable="false">'
        ).format(w=SMALL_WIDTH, h=SMALL_HEIGHT),
    ]
    parts += _level_lines(rows, "upper_limit", frame, LIMIT_COLOUR, 1, "3 2")
    parts += _level_lines(rows, "lower_limit", frame, LIMIT_COLOUR, 1, "3 2")
    parts += _level_lines(rows, "mean", frame, MEAN_COLOUR, 1, None)
    if chart.target is not None:
        y = _f(frame.y(chart.target))
        parts.append(
            Markup(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1" stroke-dasharray="1 2"/>'
            ).format(_f(frame.left), y, _f(frame.right), y, TARGET_COLOUR)
        )
    for run in _runs(rows, frame):
        if len(run) > 1:
            parts.append(
                Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="1"/>').format(
                    " ".join(f"{_f(x)},{_f(y)}" for x, y in run), LINE_COLOUR
                )
            )
    for index, row in enumerate(rows):
        if row.value is not None and row.marker is not None:
            parts.append(
                _marker_shape(row.marker.shape, frame.x(index), frame.y(row.value), row.marker.fill, size=2.2)
            )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
