"""SPC charts that tell the truth: limits held to what a measure can reach (and marked), no negative axis
under a count, an empty state instead of an empty axis, the month still running shown as "so far" and
never judged, and limits recalculated from the month a shift began."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.template import engines

from candour.core import charts
from candour.core.measures import Direction, Measure, MeasureSeries, MeasureValue, Period, SeriesPoint
from candour.core.spc import Colour, Rule, SpcConfig, xmr_chart

SVG = "{http://www.w3.org/2000/svg}"
CONFIG = SpcConfig()
# Every series here ends in December 2025; charts are drawn as on a day in January 2026 unless said.
JANUARY = dt.date(2026, 1, 20)
DECEMBER = dt.date(2025, 12, 10)


def _measure(unit="%", direction=Direction.HIGHER_IS_BETTER, **kwargs) -> Measure:
    return Measure(
        key="test.measure",
        title="Test measure",
        unit=unit,
        direction=direction,
        description="A measure for the chart tests.",
        compute=lambda unit, period: MeasureValue(None),
        **kwargs,
    )


def _series(values, unit="%", **kwargs) -> MeasureSeries:
    periods = Period.month(2025, 12).previous_months(len(values))
    return MeasureSeries(
        _measure(unit, **kwargs), tuple(SeriesPoint(p, v) for p, v in zip(periods, values, strict=True))
    )


def _chart(values, unit="%", on=JANUARY, **kwargs) -> charts.ChartView:
    return charts.spc_chart(_series(values, unit), config=CONFIG, on=on, **kwargs)


def _svg(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def _ticks(chart) -> list[str]:
    return [text.text for text in _svg(chart).iter(f"{SVG}text") if text.get("text-anchor") == "end"]


def _render(chart, **kwargs) -> str:
    template = engines["jinja2"].from_string(
        '{% from "components/spc_chart.jinja" import spc_chart %}{{ spc_chart(chart, collapsible=false) }}'
    )
    return template.render({"chart": chart, **kwargs})


# Shares close to 100% that swing: the upper limit works out above 100%.
NEAR_FULL = [99, 93, 100, 94, 99, 92, 100, 95, 98, 93, 100, 94, 99, 95, 100, 93]
# Counts close to zero that swing: the lower limit works out below zero.
NEAR_EMPTY = [0, 6, 1, 7, 0, 5, 1, 6, 0, 7, 1, 5, 0, 6, 1, 7]


def test_a_share_whose_upper_limit_works_out_above_100_is_drawn_and_tabled_at_100():
    engine = xmr_chart(NEAR_FULL, config=CONFIG)
    assert engine.points[-1].upper_limit > 100
    chart = _chart(NEAR_FULL)
    row = chart.rows[-1]
    assert row.upper_limit == 100 and row.upper_clipped
    assert row.upper_limit_cell == "100.0% (cannot be higher)"
    assert not row.lower_clipped and "(cannot" not in row.lower_limit_cell
    ticks = _ticks(chart)
    assert ticks[-1] == "100%"
    limits = list(next(g for g in _svg(chart).iter() if g.get("class") == "candour-chart-limits"))
    top = charts.MARGIN_TOP
    assert any(float(line.get("y1")) == pytest.approx(top, abs=0.2) for line in limits), (
        "the held line is drawn"
    )


def test_a_count_whose_lower_limit_works_out_below_zero_is_held_at_zero_and_the_table_says_so():
    engine = xmr_chart(NEAR_EMPTY, config=CONFIG)
    assert engine.points[-1].lower_limit < 0
    chart = _chart(NEAR_EMPTY, unit="concerns")
    row = chart.rows[-1]
    assert row.lower_limit == 0 and row.lower_clipped
    assert row.lower_limit_cell == "0.0 (cannot be lower)"
    assert _ticks(chart)[0] == "0"
    assert not any(tick.startswith("-") for tick in _ticks(chart))
    html = _render(chart)
    assert "0.0 (cannot be lower)" in html
    assert "drawn and tabled at 0" in html


def test_a_measure_that_may_go_negative_keeps_its_limits_as_worked_out():
    series = MeasureSeries(
        _measure("points", negative_allowed=True),
        _series(NEAR_EMPTY, unit="points").points,
    )
    row = charts.spc_chart(series, config=CONFIG, on=JANUARY).rows[-1]
    assert row.lower_limit < 0 and not row.lower_clipped


def test_readings_use_the_limits_as_worked_out_and_no_point_lies_beyond_a_held_bound():
    chart = _chart(NEAR_EMPTY, unit="concerns")
    engine = xmr_chart(NEAR_EMPTY, config=CONFIG)
    for row, point in zip(chart.rows, engine.points, strict=True):
        assert row.point.lower_limit == point.lower_limit
        assert row.colour == point.colour
        assert not any(flag.rule == Rule.BEYOND_LIMIT for flag in point.flags)
        assert row.value >= row.lower_limit


def test_a_flat_count_of_zero_never_shows_a_negative_axis():
    chart = _chart([0] * 16, unit="actions")
    ticks = [float(tick) for tick in _ticks(chart)]
    assert ticks[0] == 0
    assert min(ticks) >= 0
    assert charts.nice_ticks(0, 0, floor=0)[0] == 0


def test_a_flat_share_of_100_never_shows_an_axis_above_100():
    assert charts.nice_ticks(100, 100, ceiling=100)[-1] == 100
    assert max(float(tick.rstrip("%")) for tick in _ticks(_chart([100] * 16))) == 100


def test_a_chart_with_no_values_is_an_empty_state_not_an_empty_axis():
    chart = _chart([None] * 24)
    html = _render(chart)
    assert "No values yet" in html
    assert "<svg" not in html
    assert "0.00" not in html and "1.00" not in html
    assert "once a month has a value" in html


def test_an_empty_share_chart_drawn_anyway_spans_0_to_100():
    ticks = _ticks(_chart([None] * 24))
    assert ticks[0] == "0%" and ticks[-1] == "100%"


def test_the_month_still_running_is_shown_so_far_and_never_judged():
    # 16 steady months, then a December far above the limits, charted while December runs.
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 48, 50, 51, 90]
    running = _chart(values, on=DECEMBER)
    over = _chart(values, on=JANUARY)
    assert over.rows[-1].colour != Colour.GREY, "judged once the month is over"
    row = running.rows[-1]
    assert row.so_far and row.value == 90 and row.colour is None and row.point is None
    assert row.month == "December 2025 so far"
    assert row.reading == "Not judged: the month is not over"
    assert running.latest.month == "November 2025"
    assert running.so_far is row
    assert running.variation == charts.VariationIcon.COMMON_CAUSE
    point = next(g for g in _svg(running).iter() if g.get("data-month") == "2025-12" and g.get("data-shape"))
    assert point.get("data-so-far") == "true" and point.get("data-shape") == "ring"
    assert charts.SO_FAR_MARKER in running.legend
    html = _render(running)
    assert "candour-spc__so-far" in html
    assert "December 2025 so far" in html
    assert "not judged until the month is over" in running.summary


def test_the_latest_value_is_the_last_complete_month():
    chart = _chart([40, 41, 42, 43], on=dt.date(2025, 12, 1))
    assert chart.latest.period == Period.month(2025, 11)
    assert chart.latest.value == 42
    assert chart.so_far.value == 43


SHIFTED = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 48, 50, 51, 49, 56, 57, 56, 58, 57, 56, 57]


def test_a_shift_still_running_offers_recalculation_from_the_month_it_began():
    chart = _chart(SHIFTED)
    assert chart.shift_start == Period.month(2025, 6)
    assert chart.rows[16].period == Period.month(2025, 6)


def test_no_offer_without_a_shift_or_when_the_shift_has_ended():
    assert _chart(SHIFTED[:16]).shift_start is None
    assert _chart([*SHIFTED, 50, 49]).shift_start is None


def test_limits_recalculated_from_a_month_start_with_its_value_and_are_shown():
    recalculated = _chart(SHIFTED, recalculate_from=[dt.date(2025, 6, 1)])
    assert recalculated.recalculations == [Period.month(2025, 6)]
    assert recalculated.rows[16].recalculated
    assert recalculated.rows[16].mean != recalculated.rows[15].mean
    assert recalculated.rows[16].reading.startswith("Limits recalculated from this month.")
    assert recalculated.shift_start is None, "no offer once recalculated there"
    lines = next(g for g in _svg(recalculated).iter() if g.get("class") == "candour-chart-recalculations")
    assert [line.get("data-month") for line in lines] == ["2025-06"]
    assert "Limits recalculated" in _render(recalculated)


def test_a_series_carries_its_recalculations_to_every_chart_of_it():
    series = _series(SHIFTED)
    series = MeasureSeries(series.measure, series.points, recalculated_from=(dt.date(2025, 6, 1),))
    chart = charts.spc_chart(series, config=CONFIG, on=JANUARY)
    assert chart.recalculations == [Period.month(2025, 6)]
