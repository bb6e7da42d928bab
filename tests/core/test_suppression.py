"""Small numbers that cannot be worked out: every small count is hidden, and so is enough beside it that no
subtraction of what is shown, however combined, narrows a hidden count down."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candour.core.suppression import is_small, suppress, would_be_all_hidden
from tests.support.small_numbers import could_be, given_away


def _line(parts: dict) -> tuple[dict, list]:
    """Parts beside their shown total."""
    values = {**parts, "total": sum(parts.values())}
    return values, [("total", list(parts))]


def _grid(cells: list[list[int]]) -> tuple[dict, list]:
    """A table with row totals, column totals and the grand total, all shown."""
    values, totals = {}, []
    rows, columns = range(len(cells)), range(len(cells[0]))
    for r in rows:
        for c in columns:
            values[(r, c)] = cells[r][c]
    for r in rows:
        values[("row", r)] = sum(cells[r])
        totals.append((("row", r), [(r, c) for c in columns]))
    for c in columns:
        values[("column", c)] = sum(cells[r][c] for r in rows)
        totals.append((("column", c), [(r, c) for r in rows]))
    values["all"] = sum(map(sum, cells))
    totals.append(("all", [("row", r) for r in rows]))
    totals.append(("all", [("column", c) for c in columns]))
    return values, totals


@pytest.mark.parametrize(("count", "small"), [(0, False), (1, True), (4, True), (5, False), (60, False)])
def test_counts_from_one_to_four_are_small(settings, count, small):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5

    assert is_small(count) is small


@pytest.mark.parametrize(
    ("counts", "all_hidden"),
    [([0, 3, 1], True), ([0, 0, 0], False), ([3, 5, 0], False), ([4], True), ([], False)],
)
def test_a_line_would_be_all_hidden_when_something_is_counted_and_nothing_is_big_enough(
    settings, counts, all_hidden
):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5

    assert would_be_all_hidden(counts) is all_hidden


def test_the_threshold_is_the_setting(settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 10

    assert suppress({"a": 7, "b": 12}) == {"a"}


def test_a_small_count_with_no_total_beside_it_is_all_that_is_hidden():
    assert suppress({"a": 1, "b": 40, "c": 0}, below=5) == {"a"}


def test_a_lone_small_part_of_a_shown_total_takes_the_next_smallest_that_protects_it_with_it():
    # The guardian's return as it was: groups adding to 59 of 60 gave the hidden group away as 1.
    values, totals = _line({"medical": 1, "nursing": 3, "allied": 9, "admin": 47})

    hidden = suppress(values, totals, below=5)

    assert hidden == {"medical", "nursing", "allied"}
    assert given_away(values, totals, hidden) == {}


def test_two_small_parts_that_would_add_up_to_a_giveaway_are_protected_with_a_third():
    values, totals = _line({"a": 1, "b": 1, "c": 30})

    hidden = suppress(values, totals, below=5)

    assert given_away(values, totals, {"a", "b"}) == {"a": {1}, "b": {1}}
    assert could_be(values, totals, {"a", "b", "c"})["a"] == {1, 2, 3, 4, 5}
    assert hidden == {"a", "b", "c"} and given_away(values, totals, hidden) == {}


def test_zero_is_never_hidden_and_a_small_total_hides_with_its_parts():
    values, totals = _line({"a": 2, "b": 0, "c": 1})

    hidden = suppress(values, totals, below=5)

    assert hidden == {"a", "c", "total"}
    assert given_away(values, totals, hidden) == {}
    # The reader knows two parts are not zero, so the total is 2 or more: never more than that.
    assert could_be(values, totals, hidden)["total"] == {2, 3, 4, 5}


def test_in_a_table_with_margins_each_small_cell_is_protected_by_a_rectangle_of_hidden_cells():
    values, totals = _grid([[1, 6, 9], [7, 8, 12], [10, 11, 2]])

    hidden = suppress(values, totals, below=5)

    assert {(0, 0), (2, 2)} <= hidden and not any(isinstance(key, str) for key in hidden)
    assert given_away(values, totals, hidden) == {}
    assert len(hidden) <= 6


def test_a_count_hidden_only_to_protect_another_says_nothing_of_which_it_is():
    values, totals = _line({"a": 1, "b": 9, "c": 20})

    hidden = suppress(values, totals, below=5)

    assert could_be(values, totals, hidden)["a"] == {1, 2, 3, 4, 5}


def test_unshown_counts_that_tie_two_tables_together_are_reasoned_with_but_never_reported():
    # Two breakdowns of the same month: the month's count is not printed, but both add up to it.
    values = {"area north": 3, "area south": 20, "bullying": 9, "patient safety": 14, "month": 23}
    totals = [("month", ["area north", "area south"]), ("month", ["bullying", "patient safety"])]

    hidden = suppress(values, totals, unshown=["month"], below=5)

    assert "month" not in hidden and "area north" in hidden
    assert given_away(values, totals, hidden, unshown=["month"]) == {}


def test_totals_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="add up"):
        suppress({"a": 1, "b": 2, "total": 4}, [("total", ["a", "b"])])


def test_the_search_tries_every_subtraction_so_an_unprotected_table_is_caught():
    values, totals = _grid([[1, 6], [7, 8]])

    # Primary suppression alone: the row and the column each give the 1 back.
    assert given_away(values, totals, {(0, 0)}) == {(0, 0): {1}}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6))
def test_no_line_of_parts_beside_its_total_gives_a_small_count_away(parts):
    values, totals = _line({f"p{index}": count for index, count in enumerate(parts)})

    hidden = suppress(values, totals, below=5)

    assert {key for key, value in values.items() if 0 < value < 5} <= hidden
    assert not any(values[key] == 0 for key in hidden)
    assert given_away(values, totals, hidden) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=2, max_value=3).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(min_value=0, max_value=9), min_size=width, max_size=width),
            min_size=2,
            max_size=3,
        )
    )
)
def test_no_table_with_row_and_column_totals_gives_a_small_count_away(cells):
    values, totals = _grid(cells)

    hidden = suppress(values, totals, below=5)

    assert {key for key, value in values.items() if 0 < value < 5} <= hidden
    assert not any(values[key] == 0 for key in hidden)
    assert given_away(values, totals, hidden) == {}
