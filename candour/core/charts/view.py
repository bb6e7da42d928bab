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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from markupsafe import Markup

from candour.core import chart_icons
from candour.core.charts.numbers import _cell_unit, _count, _figure, _places, format_value, unit_label
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
        from candour.core.charts.drawing import marker_shape  # drawing reads this module's palette

        return Markup(  # noqa: S704 - a constant shape and colour
            '<svg class="candour-chart-marker" width="14" height="14" viewBox="-7 -7 14 14" '
            f'aria-hidden="true" focusable="false">{marker_shape(self.shape, 0, 0, self.fill, size=5)}</svg>'
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
        from candour.core.charts.drawing import render_svg  # drawing reads this module's palette

        return render_svg(self, self.chart_id)

    @cached_property
    def sparkline(self) -> Markup:
        """A small chart without axes, for lists: the values, the mean and the limits."""
        from candour.core.charts.drawing import render_sparkline

        return render_sparkline(self)


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
    target = target if target is not None else measure.standard
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
