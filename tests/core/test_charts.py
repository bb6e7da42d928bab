"""SPC charts as drawn: points coloured and shaped by the rules, lines where they belong, gaps for missing
months, and a data table that says the same as the picture."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import engines

from candour.core import charts
from candour.core.measures import Direction, Measure, MeasureSeries, MeasureValue, Period, SeriesPoint
from candour.core.spc import AssuranceIcon, Colour, SpcConfig, VariationIcon

SVG = "{http://www.w3.org/2000/svg}"
CONFIG = SpcConfig()


def _measure(direction=Direction.HIGHER_IS_BETTER, unit="%") -> Measure:
    return Measure(
        key="test.measure",
        title="Test measure",
        unit=unit,
        direction=direction,
        description="A measure for the chart tests.",
        compute=lambda unit, period: MeasureValue(None),
    )


def _series(values, direction=Direction.HIGHER_IS_BETTER, unit="%") -> MeasureSeries:
    periods = Period.month(2025, 12).previous_months(len(values))
    return MeasureSeries(
        _measure(direction, unit), tuple(SeriesPoint(p, v) for p, v in zip(periods, values, strict=True))
    )


def _chart(values, **kwargs) -> charts.ChartView:
    direction = kwargs.pop("direction", Direction.HIGHER_IS_BETTER)
    return charts.spc_chart(_series(values, direction), config=CONFIG, **kwargs)


def _svg(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def _points(chart) -> dict[str, tuple[str, str, ET.Element]]:
    """month -> (colour, shape, drawn element) for each point drawn."""
    group = _group(_svg(chart), "candour-chart-points")
    return {g.get("data-month"): (g.get("data-colour"), g.get("data-shape"), g[0]) for g in group}


def _group(svg: ET.Element, name: str) -> ET.Element:
    return next(element for element in svg.iter() if element.get("class") == name)


def _lines(chart, name: str) -> list[ET.Element]:
    return list(_group(_svg(chart), name))


# A stable process for 16 months, then six months in a row above its mean: a shift.
STABLE = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 48, 50, 51, 49]
SHIFT_UP = [*STABLE, 53, 54, 53, 55, 54, 53]


def test_a_shift_upward_is_improvement_when_higher_is_better_drawn_as_blue_squares():
    chart = _chart(SHIFT_UP)
    points = list(_points(chart).values())
    assert {(colour, shape) for colour, shape, _ in points[-6:]} == {("blue", "square")}
    assert points[0][:2] == ("grey", "circle")
    assert chart.variation == VariationIcon.IMPROVING_HIGH
    assert chart.rows[-1].reading.startswith("Special cause: improvement (")
    assert "shift" in chart.rows[-1].reading
    assert chart.rows[-1].colour == Colour.BLUE


def test_the_same_shift_is_concern_when_lower_is_better_drawn_as_orange_triangles():
    chart = _chart(SHIFT_UP, direction=Direction.LOWER_IS_BETTER)
    points = list(_points(chart).values())
    assert {(colour, shape) for colour, shape, _ in points[-6:]} == {("orange", "triangle")}
    assert chart.variation == VariationIcon.CONCERNING_HIGH
    assert chart.rows[-1].reading.startswith("Special cause: concern (")


def test_the_same_shift_is_neither_when_no_direction_is_better_drawn_as_purple_diamonds():
    chart = _chart(SHIFT_UP, direction=Direction.NEITHER)
    points = list(_points(chart).values())
    assert {(colour, shape) for colour, shape, _ in points[-6:]} == {("purple", "diamond")}
    assert chart.variation == VariationIcon.NEITHER_HIGH
    assert chart.rows[-1].reading == "Special cause: unusually high (shift)"


def test_points_use_the_palette_colours_for_their_reading():
    chart = _chart(SHIFT_UP)
    fills = {colour: element.get("fill") for colour, _, element in _points(chart).values()}
    assert fills == {"grey": charts.COLOURS[Colour.GREY], "blue": charts.COLOURS[Colour.BLUE]}


def test_fewer_than_13_points_show_the_mean_only_all_grey_with_a_note():
    chart = _chart(SHIFT_UP[:12])
    assert not chart.has_limits
    assert _lines(chart, "candour-chart-limits") == []
    assert len(_lines(chart, "candour-chart-mean")) == 1
    assert {colour for colour, _, _ in _points(chart).values()} == {"grey"}
    assert chart.variation == VariationIcon.NONE
    assert "at least 13" in chart.note
    assert chart.rows[0].reading == "Not judged: fewer than 13 values"


def test_13_points_bring_process_limits():
    chart = _chart(SHIFT_UP[:13])
    assert chart.has_limits
    assert chart.note is None
    assert len(_lines(chart, "candour-chart-limits")) == 2
    assert chart.variation == VariationIcon.COMMON_CAUSE


def test_all_values_equal_give_limits_on_the_mean_and_a_drawable_chart():
    chart = _chart([7.0] * 20)
    row = chart.rows[-1]
    assert row.mean == row.lower_limit == row.upper_limit == 7.0
    assert {colour for colour, _, _ in _points(chart).values()} == {"grey"}
    text = str(chart.svg)
    assert not re.search(r"\b(nan|inf)\b", text, re.IGNORECASE)
    heights = {element.get("cy") for _, _, element in _points(chart).values()}
    assert len(heights) == 1
    mean_line = _lines(chart, "candour-chart-mean")[0]
    assert mean_line.get("y1") == heights.pop()


def test_a_point_on_the_mean_is_common_cause_and_drawn_on_the_mean_line():
    values = [1, 3] * 7 + [2]
    chart = _chart(values)
    assert chart.rows[-1].mean == 2
    assert chart.rows[-1].reading == "Common cause"
    last = list(_points(chart).values())[-1][2]
    assert last.get("cy") == _lines(chart, "candour-chart-mean")[0].get("y1")


def test_a_month_without_a_value_leaves_a_gap_and_keeps_its_place():
    values = list(STABLE)
    values[5] = None
    chart = _chart(values)
    svg = _svg(chart)
    assert len(chart.rows) == len(values)
    assert chart.rows[5].reading == "No value this month"
    assert chart.rows[5].value_text == "No value"
    assert len(_points(chart)) == len(values) - 1
    runs = [line for line in svg.iter(f"{SVG}polyline")]
    assert [len(run.get("points").split()) for run in runs] == [5, len(values) - 6]
    # Months keep their places: the gap is twice the spacing of its neighbours.
    xs = [float(element.get("cx")) for _, _, element in _points(chart).values()]
    step = xs[1] - xs[0]
    assert math.isclose(xs[5] - xs[4], 2 * step, abs_tol=0.2)
    # The engine saw only the known values: 15 of them, so the limits are there.
    assert chart.has_limits


def test_a_target_draws_its_line_and_reads_assurance():
    chart = _chart(STABLE, target=40)
    svg = _svg(chart)
    targets = [element for element in svg.iter() if element.get("class") == "candour-chart-target"]
    assert len(targets) == 1
    assert chart.assurance == AssuranceIcon.CONSISTENTLY_PASS
    assert chart.assurance_label == "Consistently passing the target"
    assert 'data-icon="consistently_pass"' in str(chart.assurance_icon)
    assert "Target 40%: consistently passing the target." in chart.summary


def test_a_target_inside_the_limits_is_hit_or_miss():
    chart = _chart(STABLE, target=50)
    assert chart.assurance == AssuranceIcon.HIT_OR_MISS
    assert 'data-icon="hit_or_miss"' in str(chart.assurance_icon)


def test_without_a_target_there_is_no_target_line():
    chart = _chart(STABLE)
    assert not any(element.get("class") == "candour-chart-target" for element in _svg(chart).iter())
    assert chart.assurance_label == "No target set"


def test_the_svg_is_an_image_named_and_described_by_its_reading():
    chart = _chart(SHIFT_UP, title="Share of staff who feel safe")
    svg = _svg(chart)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text.startswith("Share of staff who feel safe")
    assert "Latest value 53% in December 2025." in desc.text
    assert "Special cause variation: improvement (higher)." in desc.text


def test_two_charts_on_one_page_have_distinct_ids():
    first, second = _chart(STABLE), _chart(STABLE)
    assert _svg(first).get("aria-labelledby") != _svg(second).get("aria-labelledby")


def test_crowded_month_labels_are_thinned_and_end_on_the_latest_month():
    chart = _chart([*SHIFT_UP, 53, 54])
    labels = [text.text for text in _svg(chart).iter(f"{SVG}text") if text.get("text-anchor") == "middle"]
    assert 4 <= len(labels) <= charts.MAX_X_LABELS
    assert labels[-1] == "Dec 2025"


def test_y_axis_ticks_cover_every_value_and_limit():
    chart = _chart(SHIFT_UP, target=60)
    low, high = charts._extent(chart)
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= min(SHIFT_UP) and ticks[-1] >= 60
    assert ticks[0] <= chart.rows[-1].lower_limit


def test_recalculating_after_a_month_gives_each_segment_its_own_mean():
    chart = _chart([*SHIFT_UP, 54, 53, 55, 54, 53, 54, 55, 54], recalculate_after=[Period.month(2024, 10)])
    assert len(_lines(chart, "candour-chart-mean")) == 2
    assert chart.rows[0].mean != chart.rows[-1].mean


def test_a_series_with_no_values_says_so():
    chart = _chart([None] * 24)
    assert chart.latest is None
    assert "No values yet" in str(chart.svg)
    assert chart.variation_label == "No values yet"


def test_table_cells_carry_the_figure_and_the_caption_the_unit(render):
    chart = charts.spc_chart(_series([*STABLE, 1204], unit="people"), config=CONFIG)
    html = render(chart)
    assert chart.rows[-1].value_cell == "1,204"
    assert chart.rows[-1].value_text == "1,204 people"
    assert "by month (people)</caption>" in html
    assert "1,204 people" not in html.split("<table", 1)[1]


def test_values_are_written_with_their_unit():
    assert charts.format_value(85.25, "%", 1) == "85.2%"
    assert charts.format_value(1204, "people", 0) == "1,204 people"
    assert charts.format_value(None, "%") == "No value"


def test_the_sparkline_is_decorative_and_has_a_point_per_known_month():
    values = list(STABLE)
    values[3] = None
    sparkline = ET.fromstring(str(_chart(values).sparkline))
    assert sparkline.get("aria-hidden") == "true"
    assert len(list(sparkline.iter(f"{SVG}circle"))) == len(values) - 1


@pytest.fixture
def render():
    def render(chart, **kwargs):
        template = engines["jinja2"].from_string(
            '{% from "components/spc_chart.jinja" import spc_chart %}'
            "{{ spc_chart(chart, caption=caption, collapsible=collapsible) }}"
        )
        return template.render(
            {"chart": chart, "caption": kwargs.get("caption"), "collapsible": kwargs.get("collapsible", True)}
        )

    return render


def test_the_macro_renders_a_table_row_for_every_month_with_its_values(render):
    values = list(SHIFT_UP)
    values[2] = None
    chart = _chart(values, target=40)
    html = render(chart, caption="Feel safe")
    assert "Show the data" in html
    assert "<figcaption" in html and "Feel safe" in html
    table = html[html.index("<table") : html.index("</table>") + len("</table>")]
    body = ET.fromstring(table.replace("&nbsp;", " ")).find("tbody")
    rows = body.findall("tr")
    assert len(rows) == len(values)
    # Newest first, each with month, value, mean, limits and reading.
    for tr, row in zip(rows, reversed(chart.rows), strict=True):
        cells = ["".join(cell.itertext()).strip() for cell in tr]
        assert cells[0] == row.month
        assert cells[1] == row.value_cell
        assert cells[-1] == row.reading
    latest = ["".join(cell.itertext()).strip() for cell in rows[0]]
    last = chart.rows[-1]
    assert latest == [
        "December 2025",
        "53%",
        f"{last.mean:.1f}%",
        f"{last.lower_limit:.1f}%",
        f"{last.upper_limit:.1f}%",
        "Special cause: improvement (shift)",
    ]
    missing = ["".join(cell.itertext()).strip() for cell in rows[-3]]
    assert missing[:2] == [chart.rows[2].month, "No value"]
    assert "Variation:" in html and chart.variation_label in html
    assert "Assurance:" in html and "(target 40%)" in html


def test_the_macro_leaves_limit_columns_out_without_limits(render):
    html = render(_chart(STABLE[:8]), collapsible=False)
    assert "Lower process limit" not in html
    assert "<details" not in html
    assert "only the mean is shown" in html
