import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candour.core.spc import (
    AssuranceIcon,
    Colour,
    Direction,
    Flag,
    Rule,
    Side,
    SpcConfig,
    VariationIcon,
    xmr_chart,
)

NHS_DEFAULTS = SpcConfig()
HIGH, LOW, NEITHER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.NEITHER

# Twenty points alternating around 10: mean 10, average moving range 2, so the process limits are
# 10 ± 5.32 and the two-sigma lines 10 ± 3.546. Used as a fixed baseline to place later points exactly.
STEADY = [9, 11] * 10


def chart(values, **options):
    return xmr_chart(values, config=options.pop("config", NHS_DEFAULTS), **options)


def colours(result):
    return [point.colour for point in result.points]


def indices_flagged(result, flag):
    return [index for index, point in enumerate(result.points) if flag in point.flags]


def test_xmr_chart_limits_use_the_published_constants():
    values = [10, 12, 11, 13] * 5
    mean_moving_range = 37 / 19

    first = chart(values).points[0]

    assert first.mean == 11.5
    assert first.upper_limit == pytest.approx(11.5 + 2.66 * mean_moving_range)
    assert first.lower_limit == pytest.approx(11.5 - 2.66 * mean_moving_range)
    assert set(colours(chart(values))) == {Colour.GREY}


def test_xmr_chart_with_fewer_than_minimum_points_shows_mean_only():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 90]

    result = chart(values, target=50)

    assert all(point.upper_limit is None and point.lower_limit is None for point in result.points)
    assert result.points[0].mean == pytest.approx(sum(values) / 12)
    assert set(colours(result)) == {Colour.GREY}
    assert result.variation == VariationIcon.NONE
    assert result.assurance == AssuranceIcon.NONE


def test_xmr_chart_minimum_points_is_a_parameter():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 90]

    result = chart(values, config=SpcConfig(minimum_points=12))

    assert result.points[-1].colour == Colour.BLUE
    assert result.points[-1].upper_limit is not None


def test_xmr_chart_with_no_values_is_empty():
    result = chart([])

    assert result.points == ()
    assert result.variation == VariationIcon.NONE


def test_xmr_chart_with_all_values_equal_is_common_cause():
    result = chart([5] * 20)

    assert {(point.mean, point.upper_limit, point.lower_limit) for point in result.points} == {(5, 5, 5)}
    assert set(colours(result)) == {Colour.GREY}
    assert result.variation == VariationIcon.COMMON_CAUSE


def test_shift_of_seven_points_each_side_of_the_mean_is_special_cause():
    result = chart(around_ten(middle=11))

    assert indices_flagged(result, Flag(Rule.SHIFT, Side.HIGH)) == list(range(6, 13))
    assert indices_flagged(result, Flag(Rule.SHIFT, Side.LOW)) == list(range(13, 20))


def test_shift_is_broken_by_a_point_exactly_on_the_mean():
    result = chart(around_ten(middle=10))

    assert result.points[0].mean == 10
    assert not any(flag.rule == Rule.SHIFT for point in result.points for flag in point.flags)


def test_shift_with_decimal_values_is_broken_by_a_point_exactly_on_the_mean():
    # Summed as floats these average 0.9999999999999997, which would put 1.0 above the mean.
    values = [value / 10 for value in around_ten(middle=10)]

    result = chart(values)

    assert not any(flag.rule == Rule.SHIFT for point in result.points for flag in point.flags)


def test_shift_length_is_a_parameter():
    result = chart(around_ten(middle=11), config=SpcConfig(shift_length=8))

    assert not any(flag.rule == Rule.SHIFT for point in result.points for flag in point.flags)


def test_trend_of_six_rising_points_is_special_cause_even_crossing_the_mean():
    result = chart([10, 12, 11, 13] * 3 + [8, 9, 10, 11, 12, 13])

    assert result.points[0].mean == pytest.approx(201 / 18)
    assert indices_flagged(result, Flag(Rule.TREND, Side.HIGH)) == list(range(12, 18))
    assert colours(result)[12:] == [Colour.BLUE] * 6


def test_trend_of_six_falling_points_is_special_cause():
    result = chart([10, 12, 11, 13] * 3 + [13, 12, 11, 10, 9, 8])

    assert indices_flagged(result, Flag(Rule.TREND, Side.LOW)) == list(range(12, 18))


def test_trend_is_broken_by_equal_neighbours():
    result = chart([10, 12, 11, 13] * 3 + [8, 9, 10, 10, 11, 12, 13])

    assert not any(flag.rule == Rule.TREND for point in result.points for flag in point.flags)


def test_trend_length_is_a_parameter():
    result = chart([10, 12, 11, 13] * 3 + [8, 9, 10, 11, 12, 13], config=SpcConfig(trend_length=7))

    assert not any(flag.rule == Rule.TREND for point in result.points for flag in point.flags)


def test_two_of_three_beyond_the_two_sigma_line_is_special_cause():
    result = chart([*STEADY, 11, 14, 14], baseline=20)

    assert indices_flagged(result, Flag(Rule.TWO_OF_THREE, Side.HIGH)) == [21, 22]
    assert colours(result)[20:] == [Colour.GREY, Colour.BLUE, Colour.BLUE]


def test_two_of_three_does_not_count_points_beyond_the_process_limit():
    result = chart([*STEADY, 11, 14, 16], baseline=20)

    assert result.points[22].flags == {Flag(Rule.BEYOND_LIMIT, Side.HIGH)}
    assert result.points[21].flags == set()


def test_two_of_three_needs_all_three_points_on_the_same_side_of_the_mean():
    result = chart([*STEADY, 14, 9, 14], baseline=20)

    assert not any(flag.rule == Rule.TWO_OF_THREE for point in result.points for flag in point.flags)


@pytest.mark.parametrize(
    ("direction", "above", "below"),
    [
        (HIGH, Colour.BLUE, Colour.ORANGE),
        (LOW, Colour.ORANGE, Colour.BLUE),
        (NEITHER, Colour.PURPLE, Colour.PURPLE),
    ],
)
def test_point_beyond_a_process_limit_is_coloured_by_direction(direction, above, below):
    result = chart([*STEADY, 16, 10, 4], baseline=20, direction=direction)

    assert colours(result)[20:] == [above, Colour.GREY, below]


@pytest.mark.parametrize("direction", [HIGH, LOW])
def test_point_flagged_both_ways_is_blue(direction):
    # Rising (a high signal) while below the mean (a low shift): improvement wins either way round.
    result = chart([*STEADY, 5, 6, 7, 8, 9, 9.5], baseline=20, direction=direction)

    last = result.points[-1]
    assert {Flag(Rule.TREND, Side.HIGH), Flag(Rule.SHIFT, Side.LOW)} <= last.flags
    assert colours(result)[20:] == [Colour.BLUE] * 6


def test_baseline_fixes_the_limits_from_the_first_points_and_extends_them():
    result = chart([*STEADY, 20, 21], baseline=20)

    assert {point.mean for point in result.points} == {10}
    assert [point.upper_limit for point in result.points] == pytest.approx([15.32] * 22)
    assert colours(result)[20:] == [Colour.BLUE, Colour.BLUE]


def test_recalculation_gives_each_segment_its_own_limits():
    result = chart([9, 11] * 7 + [19, 21] * 7, recalculate_after=[14])

    assert [point.mean for point in result.points] == [10] * 14 + [20] * 14
    assert result.points[14].upper_limit == pytest.approx(20 + 2.66 * 2)
    assert set(colours(result)) == {Colour.GREY}


def test_recalculation_keeps_multi_point_rules_running_across_the_break():
    before = [10, 12] * 6 + [8, 9, 10]
    after = [11, 12, 13] + [10, 12] * 6

    result = chart(before + after, recalculate_after=[15])

    assert indices_flagged(result, Flag(Rule.TREND, Side.HIGH)) == list(range(12, 18))


def test_recalculated_segment_with_too_few_points_shows_mean_only():
    result = chart([*STEADY, 30, 31, 32], recalculate_after=[20])

    assert [point.mean for point in result.points[20:]] == [31, 31, 31]
    assert all(point.upper_limit is None for point in result.points[20:])
    assert colours(result)[20:] == [Colour.GREY] * 3
    assert result.variation == VariationIcon.NONE


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"recalculate_after": [0]}, "Recalculation"),
        ({"recalculate_after": [20]}, "Recalculation"),
        ({"baseline": 0}, "baseline"),
        ({"baseline": 11, "recalculate_after": [10]}, "baseline"),
    ],
)
def test_xmr_chart_rejects_segments_outside_the_series(options, message):
    with pytest.raises(ValueError, match=message):
        chart(STEADY, **options)


def test_xmr_chart_rejects_values_that_are_not_finite():
    with pytest.raises(ValueError, match="finite"):
        chart([*STEADY, math.nan])


def test_config_rejects_runs_shorter_than_two():
    with pytest.raises(ValueError, match="shift_length"):
        SpcConfig(shift_length=1)


def test_config_from_settings_reads_settings_at_call_time(settings):
    settings.CANDOUR_SPC_SHIFT_LENGTH = 7
    settings.CANDOUR_SPC_TREND_LENGTH = 8
    settings.CANDOUR_SPC_MINIMUM_POINTS = 15

    assert SpcConfig.from_settings() == SpcConfig(minimum_points=15, shift_length=7, trend_length=8)


@pytest.mark.parametrize(
    ("last", "direction", "icon"),
    [
        (10, HIGH, VariationIcon.COMMON_CAUSE),
        (20, HIGH, VariationIcon.IMPROVING_HIGH),
        (0, HIGH, VariationIcon.CONCERNING_LOW),
        (0, LOW, VariationIcon.IMPROVING_LOW),
        (20, LOW, VariationIcon.CONCERNING_HIGH),
        (20, NEITHER, VariationIcon.NEITHER_HIGH),
        (0, NEITHER, VariationIcon.NEITHER_LOW),
    ],
)
def test_variation_icon_follows_the_latest_point(last, direction, icon):
    assert chart([*STEADY, last], baseline=20, direction=direction).variation == icon


@pytest.mark.parametrize(
    ("target", "direction", "icon"),
    [
        (10, HIGH, AssuranceIcon.HIT_OR_MISS),
        (Decimal("15.32"), HIGH, AssuranceIcon.HIT_OR_MISS),
        (3, HIGH, AssuranceIcon.CONSISTENTLY_PASS),
        (17, HIGH, AssuranceIcon.CONSISTENTLY_FAIL),
        (3, LOW, AssuranceIcon.CONSISTENTLY_FAIL),
        (17, LOW, AssuranceIcon.CONSISTENTLY_PASS),
        (17, NEITHER, AssuranceIcon.NONE),
        (None, HIGH, AssuranceIcon.NONE),
    ],
)
def test_assurance_icon_compares_the_target_with_the_limits(target, direction, icon):
    assert chart(STEADY, target=target, direction=direction).assurance == icon


def around_ten(middle):
    """Twenty points averaging exactly 10: a run of seven above (middle fourth) mirrored by seven below."""
    return [11, 9] * 3 + [11, 11, 11, middle, 11, 11, 11] + [9, 9, 9, 20 - middle, 9, 9, 9]


series = st.lists(st.integers(min_value=-1000, max_value=1000), max_size=40)


@given(series)
def test_limits_are_symmetric_about_the_mean(values):
    for point in chart(values).points:
        if point.upper_limit is not None:
            assert math.isclose(point.upper_limit - point.mean, point.mean - point.lower_limit, abs_tol=1e-9)


@given(st.lists(st.integers(min_value=-1000, max_value=1000), max_size=12))
def test_series_shorter_than_the_minimum_is_all_grey(values):
    assert set(colours(chart(values))) <= {Colour.GREY}


@given(series)
def test_colour_is_grey_exactly_when_no_rule_flags_the_point(values):
    for point in chart(values).points:
        assert (point.colour == Colour.GREY) == (not point.flags)


@given(series)
def test_mirrored_series_with_mirrored_direction_has_the_same_colours(values):
    mirrored = [-value for value in values]

    assert colours(chart(values, direction=HIGH)) == colours(chart(mirrored, direction=LOW))


@given(series)
def test_neither_direction_uses_only_grey_and_purple(values):
    assert set(colours(chart(values, direction=NEITHER))) <= {Colour.GREY, Colour.PURPLE}
