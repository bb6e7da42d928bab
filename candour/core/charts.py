"""SPC charts for measures over time: server-rendered, accessible SVG and the data table behind it.

`spc_chart(series)` runs the Making Data Count engine (`core.spc`) over the complete months that have a value
and lays the result out as a `ChartView`: an SVG (works in pages and PDFs, no JavaScript), one table row per
month, and the variation and assurance readings with their icons. A month with no value keeps its place on
the axis and leaves a gap; the engine only ever sees the known values of months that are over. The month
still running is shown as "so far" (a hollow point, its own row) and is never judged.

Process limits are worked out as the engine does, then held to what the measure can reach for drawing and
tabling (a share within 0 to 100%, a count at 0 or more), and marked where they were held; the readings use
the limits as worked out, which no value can pass beyond a held bound anyway.

Colour is never the only signal (WCAG 1.4.1): each kind of point also has its own marker shape, and every
reading is written out in words in the table.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from markupsafe import Markup, escape

from candour.core import chart_icons
from candour.core.measures import Measure, MeasureSeries, Period, SeriesPoint
from candour.core.months import last_complete_month
from candour.core.spc import (
    AssuranceIcon,
    Colour,
    Direction,
    Flag,
    Rule,
    Side,
    SpcChart,
    SpcConfig,
    SpcPoint,
    VariationIcon,
    xmr_chart,
)

__all__ = [
    "COLOURS",
    "ChartRow",
    "ChartView",
    "Marker",
    "format_value",
    "spc_chart",
    "unit_label",
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
        return Markup(  # noqa: S704 - a constant shape and colour
            '<svg class="candour-chart-marker" width="14" height="14" viewBox="-7 -7 14 14" '
            f'aria-hidden="true" focusable="false">{_marker_shape(self.shape, 0, 0, self.fill, size=5)}</svg>'
        )


MARKERS = {
    Colour.GREY: Marker(Colour.GREY, "circle", "Common cause"),
    Colour.BLUE: Marker(Colour.BLUE, "square", "Special cause: improvement"),
    Colour.ORANGE: Marker(Colour.ORANGE, "triangle", "Special cause: concern"),
    Colour.PURPLE: Marker(Colour.PURPLE, "diamond", "Special cause: neither improvement nor concern"),
}
# The month still running: a hollow point, as it is not judged.
SO_FAR_MARKER = Marker(Colour.GREY, "ring", "This month so far, not judged until it is over")
RECALCULATION_COLOUR = "#425563"

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
SPARKLINES_KEPT = 4096
_SPARKLINES: dict[tuple, Markup] = {}


@dataclass(frozen=True)
class ChartRow:
    """One month of the chart, as its data table shows it."""

    period: Period
    value: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    colour: Colour | None
    places: int
    unit: str
    numerator: float | None = None
    denominator: float | None = None
    # A limit held to what the measure can reach (0, or 100%), and where limits were recalculated from.
    lower_clipped: bool = False
    upper_clipped: bool = False
    recalculated: bool = False
    # The month still running: shown, never judged.
    so_far: bool = False
    # What the reading is worked out from, only when a table asks for it.
    point: SpcPoint | None = field(default=None, repr=False, compare=False)
    direction: Direction = field(default=Direction.HIGHER_IS_BETTER, repr=False, compare=False)
    minimum_points: int = field(default=13, repr=False, compare=False)

    @property
    def month(self) -> str:
        return f"{self.period.label} so far" if self.so_far else self.period.label

    @property
    def reading(self) -> str:
        """The month's SPC reading in words, such as "Special cause: improvement (shift)"."""
        if self.so_far:
            return (
                "Not judged: the month is not over" if self.value is not None else "No value yet this month"
            )
        if self.point is None:
            return "No value this month"
        reading = _reading(self.point, self.direction, self.minimum_points)
        return f"Limits recalculated from this month. {reading}" if self.recalculated else reading

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

    # The data table names the unit once, in its caption: its cells carry the figure alone (a share keeps %).

    @property
    def value_cell(self) -> str:
        return format_value(self.value, _cell_unit(self.unit), self.places)

    @property
    def mean_cell(self) -> str:
        return _figure(self.mean, self.unit, self.places + 1 if self.places == 0 else self.places)

    @property
    def lower_limit_cell(self) -> str:
        figure = _figure(self.lower_limit, self.unit, self.places + 1 if self.places == 0 else self.places)
        return f"{figure} (cannot be lower)" if self.lower_clipped else figure

    @property
    def upper_limit_cell(self) -> str:
        figure = _figure(self.upper_limit, self.unit, self.places + 1 if self.places == 0 else self.places)
        return f"{figure} (cannot be higher)" if self.upper_clipped else figure

    @property
    def numerator_text(self) -> str:
        return _count(self.numerator)

    @property
    def denominator_text(self) -> str:
        return _count(self.denominator)

    @property
    def marker(self) -> Marker | None:
        if self.so_far:
            return SO_FAR_MARKER if self.value is not None else None
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

    @cached_property
    def latest(self) -> ChartRow | None:
        """The most recent complete month with a value: the month still running is `so_far`."""
        return next((row for row in reversed(self.rows) if row.value is not None and not row.so_far), None)

    @cached_property
    def so_far(self) -> ChartRow | None:
        """The month still running, when it has a value yet."""
        return next((row for row in self.rows if row.so_far and row.value is not None), None)

    @cached_property
    def known_rows(self) -> list[ChartRow]:
        """Months with a value, the month still running among them."""
        return [row for row in self.rows if row.value is not None]

    @cached_property
    def complete_rows(self) -> list[ChartRow]:
        """Complete months with a value: what the readings are worked out from."""
        return [row for row in self.known_rows if not row.so_far]

    @cached_property
    def recalculations(self) -> list[Period]:
        """The months from which limits were recalculated, oldest first."""
        return [row.period for row in self.rows if row.recalculated]

    @cached_property
    def shift_start(self) -> Period | None:
        """The month a shift began, when the limits could be recalculated from it (Making Data Count): the
        run of points on one side of the mean still runs in the latest complete month, and began after the
        latest limits did."""
        judged = [row for row in self.complete_rows if row.point is not None]
        if not judged or not _shift_side(judged[-1]):
            return None
        side = _shift_side(judged[-1])
        start = len(judged) - 1
        while start > 0 and _shift_side(judged[start - 1]) == side and not judged[start].recalculated:
            start -= 1
        if judged[start].recalculated or start == 0:
            return None
        return judged[start].period

    @property
    def clipped(self) -> bool:
        return any(row.lower_clipped or row.upper_clipped for row in self.rows)

    @property
    def clipping_note(self) -> str | None:
        """Why a limit sits on 0 or 100%, when one does."""
        if not self.clipped:
            return None
        low, high = self.measure.bounds
        bounds = " or ".join(
            format_value(bound, _cell_unit(self.unit), 0) for bound in (low, high) if bound is not None
        )
        return (
            "A process limit that works out beyond what the measure can reach is drawn and tabled at "
            f"{bounds}, and marked so in the table. The readings use the limits as worked out; no value "
            "can pass them."
        )

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

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
        count = len(self.complete_rows)
        if self.has_limits:
            return None
        if not self.known_rows:
            return "There are no values for this measure yet."
        complete = " complete" if self.so_far else ""
        return (
            f"There {'is' if count == 1 else 'are'} {count}{complete} month{'' if count == 1 else 's'} "
            f"with a value. Process limits and special-cause readings need at least {self.minimum_points}, "
            "so only the mean is shown and every point is grey."
        )

    @property
    def legend(self) -> list[Marker]:
        """The kinds of point this chart shows, for a legend."""
        shown = {row.colour for row in self.rows if row.colour and not row.so_far}
        markers = [marker for colour, marker in MARKERS.items() if colour in shown]
        return [*markers, SO_FAR_MARKER] if self.so_far else markers

    @property
    def summary(self) -> str:
        """One paragraph saying what the chart shows, for its SVG description."""
        latest = self.latest
        if latest is None and self.so_far is None:
            return f"{self.title}: there are no values yet."
        if latest is None:
            return (
                f"{self.title}: {self.so_far.value_text} in {self.so_far.month}, not judged until it is over."
            )
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
        if self.so_far:
            parts.append(
                f"{self.so_far.month}: {self.so_far.value_text}, not judged until the month is over."
            )
        return " ".join(parts)

    @property
    def has_numerators(self) -> bool:
        return any(row.numerator is not None for row in self.rows)

    @property
    def has_denominators(self) -> bool:
        return any(row.denominator is not None for row in self.rows)

    @cached_property
    def chart_id(self) -> str:
        """An id unique on the page, for the SVG's title and description and the table's caption."""
        return f"candour-chart-{next(_ids)}"

    @cached_property
    def svg(self) -> Markup:
        return _render_svg(self, self.chart_id)

    @cached_property
    def sparkline(self) -> Markup:
        """A small chart without axes, for lists: the values, the mean and the limits."""
        # It depends only on the rows' figures and colours, the target and the unit, so a list page draws
        # each once until the snapshots change.
        key = (
            tuple(
                (row.value, row.mean, row.lower_limit, row.upper_limit, row.colour, row.so_far)
                for row in self.rows
            ),
            self.target,
            self.unit,
        )
        drawn = _SPARKLINES.get(key)
        if drawn is None:
            if len(_SPARKLINES) >= SPARKLINES_KEPT:
                _SPARKLINES.clear()
            drawn = _SPARKLINES[key] = _render_sparkline(self)
        return drawn


def spc_chart(
    series: MeasureSeries,
    *,
    target: float | None = None,
    title: str | None = None,
    baseline: int | None = None,
    recalculate_after: Iterable[int | dt.date | Period] = (),
    recalculate_from: Iterable[dt.date | Period] = (),
    on: dt.date | None = None,
    config: SpcConfig | None = None,
) -> ChartView:
    """Chart a measure's monthly series with the Making Data Count rules.

    `baseline` is a number of known values; `recalculate_after` holds either counts of known values (as the
    engine takes them) or months, each starting new limits with the first value after it; `recalculate_from`
    (and the series' own `recalculated_from`) holds months, each starting new limits with its own value.
    A month not over on `on` (today by default) is shown as so far and left out of the readings.
    """
    config = config or SpcConfig.from_settings()
    measure = series.measure
    complete_until = last_complete_month(on or timezone.localdate()).start
    known = [
        (index, point)
        for index, point in enumerate(series.points)
        if point.value is not None and point.period.start <= complete_until
    ]
    values = [point.value for _, point in known]
    periods = [point.period for _, point in known]
    starts = [*recalculate_from, *series.recalculated_from]
    breaks = sorted({*_breaks(periods, recalculate_after), *_breaks_from(periods, starts)})
    chart = _xmr(tuple(values), config, Direction(measure.direction), target, baseline, tuple(breaks))
    places = _places([point.value for point in series.known], measure.unit)
    by_index = {index: spc for (index, _), spc in zip(known, chart.points, strict=True)}
    restarts = {known[count][0] for count in breaks}
    direction = Direction(measure.direction)
    rows = tuple(
        _row(
            point,
            by_index.get(index),
            direction,
            places,
            measure,
            config.minimum_points,
            recalculated=index in restarts,
            so_far=point.period.start > complete_until,
        )
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


@functools.lru_cache(maxsize=4096)
def _xmr(
    values: tuple[float, ...],
    config: SpcConfig,
    direction: Direction,
    target: float | None,
    baseline: int | None,
    breaks: tuple[int, ...],
) -> SpcChart:
    """The engine's reading, remembered: it is a pure function of its inputs, and a page of charts asks
    again for the same series until the snapshots change."""
    return xmr_chart(
        values, config=config, direction=direction, target=target, baseline=baseline, recalculate_after=breaks
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


def _breaks_from(periods: list[Period], starts: Iterable[dt.date | Period]) -> list[int]:
    """Months from which limits start again, as counts of known values before each."""
    breaks = set()
    for item in starts:
        day = item.start if isinstance(item, Period) else item
        count = sum(1 for period in periods if period.start < day)
        if 0 < count < len(periods):
            breaks.add(count)
    return sorted(breaks)


def _row(
    source: SeriesPoint,
    point: SpcPoint | None,
    direction: Direction,
    places: int,
    measure: Measure,
    minimum: int,
    *,
    recalculated: bool,
    so_far: bool,
) -> ChartRow:
    counts = {"numerator": source.numerator, "denominator": source.denominator}
    unit = measure.unit
    if point is None:
        value = source.value if so_far else None
        return ChartRow(source.period, value, None, None, None, None, places, unit, **counts, so_far=so_far)
    low, high = measure.bounds
    lower, upper = point.lower_limit, point.upper_limit
    lower_clipped = lower is not None and low is not None and lower < low
    upper_clipped = upper is not None and high is not None and upper > high
    return ChartRow(
        source.period,
        point.value,
        point.mean,
        low if lower_clipped else lower,
        high if upper_clipped else upper,
        point.colour,
        places,
        unit,
        **counts,
        lower_clipped=lower_clipped,
        upper_clipped=upper_clipped,
        recalculated=recalculated,
        point=point,
        direction=direction,
        minimum_points=minimum,
    )


def _shift_side(row: ChartRow) -> Side | None:
    return next((flag.side for flag in row.point.flags if flag.rule == Rule.SHIFT), None)


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


def _marker_shape(shape: str, x: float, y: float, fill: str, size: float = 4.5) -> str:
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


def _render_svg(chart: ChartView, chart_id: str) -> Markup:
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
        shape = _marker_shape(marker.shape, frame.x(index), frame.y(row.value), marker.fill)
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


def _render_sparkline(chart: ChartView) -> Markup:
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
                _marker_shape(row.marker.shape, frame.x(index), frame.y(row.value), row.marker.fill, size=2.2)
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and constants only
