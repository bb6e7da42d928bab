"""Both 90th-centile methods and AmbSYS's rounding, against examples worked by hand."""

from fractions import Fraction

import pytest
from django.db import connection

from candour.operations.arp.centiles import CentileMethod, centile, mean_seconds, round_half_up
from candour.operations.arp.figures import Figures, figures_of

LINEAR, NEAREST = CentileMethod.LINEAR, CentileMethod.NEAREST


def test_linear_interpolates_between_the_closest_ranks():
    # Five times: position 0.9 x 4 = 3.6, so 40 + 0.6 x (50 - 40) = 46.
    assert centile([50, 10, 40, 20, 30], LINEAR) == 46


def test_nearest_rank_takes_the_value_at_rank_ceiling_of_nine_tenths_of_n():
    # Five times: rank ⌈4.5⌉ = 5, the largest.
    assert centile([50, 10, 40, 20, 30], NEAREST) == 50


def test_nearest_rank_is_exact_where_nine_tenths_of_n_is_whole():
    # Twenty times: rank ⌈18⌉ = 18 (in floating point 0.9 x 20 is 18.000000000000004, and would give 19).
    assert centile(list(range(1, 21)), NEAREST) == 18


def test_linear_keeps_the_fraction_for_rounding():
    # Twenty times: position 0.9 x 19 = 17.1, so 18 + 0.1 x (19 - 18) = 18.1.
    assert centile(list(range(1, 21)), LINEAR) == Fraction(181, 10)


def test_one_time_is_its_own_centile_either_way():
    assert centile([427], LINEAR) == centile([427], NEAREST) == 427


def test_a_centile_of_no_times_is_refused():
    with pytest.raises(ValueError, match="at least one value"):
        centile([], LINEAR)


def test_a_half_second_rounds_up_not_to_even():
    # Two times 0 and 5: position 0.9, so 4.5 s, published as 5 s (Python's round would give 4).
    assert round_half_up(centile([0, 5], LINEAR)) == 5
    assert round_half_up(Fraction(7, 2)) == 4
    assert round_half_up(Fraction(349, 100)) == 3


def test_the_mean_is_total_seconds_over_incidents_rounded_half_up():
    assert mean_seconds(1001, 2) == 501
    assert mean_seconds(1000, 3) == 333


def test_a_groups_figures_are_its_count_total_mean_and_rounded_centile():
    assert figures_of([600, 300, 900, 1200], LINEAR) == Figures(4, 3000, 750, 1110)
    assert figures_of([600, 300, 900, 1200], NEAREST) == Figures(4, 3000, 750, 1200)


@pytest.mark.django_db
@pytest.mark.parametrize("times", [[50, 10, 40, 20, 30], list(range(1, 21)), [0, 5], [7, 7, 7, 9], [3600]])
def test_linear_gives_what_postgresql_percentile_cont_gives(times):
    if connection.vendor != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "select percentile_cont(0.9) within group (order by t) from unnest(%s::int[]) as t", [times]
        )
        (theirs,) = cursor.fetchone()
    assert float(centile(times, LINEAR)) == pytest.approx(theirs)
