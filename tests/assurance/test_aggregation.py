"""The CQC aggregation principles (STANDARDS.md §2), case by case, and the percentage bands at their edges."""

import itertools

import pytest

from candour.assurance.aggregation import (
    Bands,
    Override,
    apply_override,
    cap_for_breach,
    combine,
    key_question_percentage,
    rating_for_percentage,
    rating_for_scores,
)
from candour.assurance.models import Rating

OUT, G, RI, INAD = Rating.OUTSTANDING, Rating.GOOD, Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE
BANDS = Bands()


# Key-question percentage and bands


@pytest.mark.parametrize(
    ("scores", "percentage"),
    [
        ([1, 1, 1, 1], 25),
        ([4, 4, 4, 4], 100),
        ([3, 3, 2], 67),  # 8 / 12 = 66.7
        ([2, 2, 2, 2, 2, 3], 54),  # 13 / 24 = 54.2
        ([3, 3, 3, 2, 2, 2], 63),  # 15 / 24 = 62.5, rounded half up
        ([2, 1, 1, 2, 1, 2, 1, 2], 38),  # 12 / 32 = 37.5, rounded half up
        ([2.3, 2.0], 54),  # evidence scores: 4.3 / 8 = 53.75
    ],
)
def test_percentage_is_the_sum_over_four_times_the_statements_scored(scores, percentage):
    assert key_question_percentage(scores) == percentage


def test_nothing_scored_has_no_percentage_and_no_rating():
    assert key_question_percentage([]) is None
    assert rating_for_scores([], BANDS) is None


@pytest.mark.parametrize(
    ("percentage", "rating"),
    [
        (25, INAD),
        (38, INAD),
        (39, RI),
        (62, RI),
        (63, G),
        (87, G),
        (88, OUT),
        (100, OUT),
    ],
)
def test_bands_at_their_edges(percentage, rating):
    assert rating_for_percentage(percentage, BANDS) == rating


def test_a_percentage_between_whole_bands_is_rounded_before_banding():
    # 6 statements scoring 15 of 24 is 62.5 %: rounded to 63 %, good; 14 of 24 (58.3 %) stays RI.
    assert rating_for_scores([3, 3, 3, 2, 2, 2], BANDS) == G
    assert rating_for_scores([3, 3, 2, 2, 2, 2], BANDS) == RI


def test_band_edges_are_settings(settings):
    settings.CANDOUR_CQC_INADEQUATE_UP_TO_PERCENT = 40
    settings.CANDOUR_CQC_REQUIRES_IMPROVEMENT_UP_TO_PERCENT = 65
    settings.CANDOUR_CQC_GOOD_UP_TO_PERCENT = 90
    bands = Bands.from_settings()

    assert rating_for_percentage(40, bands) == INAD
    assert rating_for_percentage(63, bands) == RI
    assert rating_for_percentage(88, bands) == G
    assert rating_for_percentage(91, bands) == OUT


def test_bands_that_do_not_rise_are_refused():
    with pytest.raises(ValueError, match="must rise"):
        Bands(inadequate_up_to=62, requires_improvement_up_to=38, good_up_to=87)


# The principles


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        # outstanding = at least 2 outstanding and the rest good
        ([OUT, OUT, G, G, G], OUT),
        ([OUT, OUT, OUT, OUT, OUT], OUT),
        ([OUT, OUT, OUT, G, G], OUT),
        # one outstanding is not enough
        ([OUT, G, G, G, G], G),
        # outstanding needs the rest good: one RI makes it good at best
        ([OUT, OUT, OUT, OUT, RI], G),
        # good = no inadequate and at most one RI
        ([G, G, G, G, G], G),
        ([G, G, G, G, RI], G),
        ([OUT, G, G, G, RI], G),
        # RI = at least 2 RI
        ([G, G, G, RI, RI], RI),
        ([OUT, OUT, OUT, RI, RI], RI),
        ([RI, RI, RI, RI, RI], RI),
        # RI = exactly one inadequate
        ([G, G, G, G, INAD], RI),
        ([OUT, OUT, OUT, OUT, INAD], RI),
        ([RI, RI, RI, RI, INAD], RI),
        # inadequate = at least 2 inadequate
        ([G, G, G, INAD, INAD], INAD),
        ([OUT, OUT, OUT, INAD, INAD], INAD),
        ([INAD, INAD, INAD, INAD, INAD], INAD),
    ],
)
def test_principles_case_by_case(ratings, expected):
    assert combine(ratings) == expected


def _by_the_words(ratings):
    """The principles read straight from STANDARDS.md §2, for checking every combination."""
    count = ratings.count
    if count(INAD) >= 2:
        return INAD
    if count(RI) >= 2 or count(INAD) == 1:
        return RI
    if count(OUT) >= 2 and count(OUT) + count(G) == len(ratings):
        return OUT
    assert count(INAD) == 0 and count(RI) <= 1
    return G


def test_every_combination_of_five_key_questions_follows_the_principles():
    for ratings in itertools.product([OUT, G, RI, INAD], repeat=5):
        assert combine(ratings) == _by_the_words(list(ratings)), ratings


def test_key_questions_weigh_equally_so_order_does_not_matter():
    for ratings in itertools.product([OUT, G, RI, INAD], repeat=5):
        assert combine(ratings) == combine(reversed(ratings))


def test_unrated_key_questions_are_left_out():
    assert combine([OUT, OUT, None, None, None]) == OUT
    assert combine([G, RI, None, None, None]) == G
    assert combine([INAD, None, None, None, None]) == RI
    assert combine([None] * 5) is None
    assert combine([]) is None


def test_a_trust_key_question_combines_its_core_services_by_the_same_principles():
    assert combine([OUT, OUT, G, G]) == OUT
    assert combine([G, G, RI, G]) == G
    assert combine([G, RI, RI, G]) == RI
    assert combine([G, G, G, INAD]) == RI


def test_ratings_given_as_stored_strings_are_read():
    assert combine(["outstanding", "outstanding", "good"]) == OUT


# A breach caps at RI


@pytest.mark.parametrize(
    ("rating", "capped"),
    [(OUT, RI), (G, RI), (RI, RI), (INAD, INAD), (None, None)],
)
def test_a_breach_caps_at_requires_improvement_and_never_raises(rating, capped):
    assert cap_for_breach(rating, breached=True) == capped


def test_without_a_breach_nothing_is_capped():
    assert cap_for_breach(OUT, breached=False) == OUT


# Overrides


def test_an_override_replaces_the_default_with_its_reason():
    outcome = apply_override(G, Override(RI, "Safeguarding training far below target"))

    assert outcome.default == G
    assert outcome.rating == RI
    assert outcome.overridden
    assert outcome.override_reason == "Safeguarding training far below target"


def test_an_override_with_a_blank_rating_lifts_it():
    outcome = apply_override(G, Override("", "Training now at target"))

    assert outcome.rating == G
    assert not outcome.overridden


def test_without_an_override_the_default_stands():
    outcome = apply_override(RI, None, capped_by_breach=True)

    assert outcome.rating == RI
    assert outcome.capped_by_breach
    assert not outcome.overridden


def test_an_override_is_the_final_word_even_over_a_breach_cap():
    assert apply_override(RI, Override(G, "Breach remedied, awaiting CQC"), capped_by_breach=True).rating == G
