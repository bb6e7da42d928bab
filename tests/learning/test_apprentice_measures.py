"""Apprenticeship measures, registered and computed to known answers; and what apprentices and education leads
are asked to look at on their home page."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt

import time_machine
from django.urls import reverse

from candour.core import attention, measures
from candour.core.measures import Direction, Period
from candour.core.months import add_months
from candour.learning.models import Apprenticeship, ProgressReview
from tests.learning.apprentice_fixtures import (  # noqa: F401
    fellbridge,
    hold_review,
    log_hours,
    make_apprentice,
    make_apprenticeship,
)

Answer = ProgressReview.Answer
MARCH = Period.month(2026, 3)
AFTER_MARCH = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)


def _value(key, unit, period=MARCH):
    return measures.get(key).value_for(unit, period)


def test_apprentice_measures_are_registered_with_unit_and_direction(db):
    keys = {m.key: m for m in measures.all_measures() if m.key.startswith("learning.")}

    for key in (
        "learning.reviews_on_time",
        "learning.off_the_job_on_track",
        "learning.apprentices_feel_safe",
    ):
        assert keys[key].unit == "%"
        assert keys[key].direction == Direction.HIGHER_IS_BETTER
        assert keys[key].description


def _review(apprenticeship, due_on, held_on=None, **fields):
    return ProgressReview.objects.create(
        apprenticeship=apprenticeship, due_on=due_on, held_on=held_on, **fields
    )


@time_machine.travel(AFTER_MARCH, tick=False)
def test_apprentice_reviews_on_time_counts_those_held_by_their_due_date(fellbridge):
    apprenticeship = fellbridge.apprenticeship
    _review(apprenticeship, dt.date(2026, 3, 10), held_on=dt.date(2026, 3, 10))  # on the day
    _review(apprenticeship, dt.date(2026, 3, 12), held_on=dt.date(2026, 3, 2))  # early
    _review(apprenticeship, dt.date(2026, 3, 20), held_on=dt.date(2026, 3, 21))  # a day late
    _review(apprenticeship, dt.date(2026, 3, 31))  # never held
    _review(apprenticeship, dt.date(2026, 4, 1), held_on=dt.date(2026, 3, 30))  # due next period
    elsewhere = make_apprenticeship(make_apprentice(fellbridge.other_station), fellbridge.provider)
    _review(elsewhere, dt.date(2026, 3, 10))

    value = _value("learning.reviews_on_time", fellbridge.trust)

    assert (value.numerator, value.denominator) == (2, 4)
    assert value.value == 50


@time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False)
def test_apprentice_reviews_on_time_leaves_out_those_not_yet_due(fellbridge):
    _review(fellbridge.apprenticeship, dt.date(2026, 3, 10), held_on=dt.date(2026, 3, 9))
    _review(fellbridge.apprenticeship, dt.date(2026, 3, 25))

    value = _value("learning.reviews_on_time", fellbridge.a1)

    assert (value.numerator, value.denominator) == (1, 1)


@time_machine.travel(AFTER_MARCH, tick=False)
def test_apprentice_off_the_job_on_track_at_the_end_of_the_period(fellbridge):
    start = dt.date(2026, 1, 5)  # a Monday: 12 whole weeks to 31 March
    fellbridge.apprenticeship.delete()
    on_track = make_apprenticeship(make_apprentice(fellbridge.a1), fellbridge.provider, start_date=start)
    log_hours(on_track, "40")
    log_hours(on_track, "32", week_starting=dt.date(2026, 3, 30))
    short = make_apprenticeship(make_apprentice(fellbridge.a1), fellbridge.provider, start_date=start)
    log_hours(short, "40")
    log_hours(short, "31.5", week_starting=dt.date(2026, 3, 30))
    log_hours(short, "10", week_starting=dt.date(2026, 4, 6))  # after the period: does not count
    part_time = make_apprenticeship(
        make_apprentice(fellbridge.a1), fellbridge.provider, start_date=start, contracted_hours_per_week=15
    )
    log_hours(part_time, "36")
    moved_later = make_apprenticeship(
        make_apprentice(fellbridge.a1),
        fellbridge.provider,
        start_date=start,
        status=Apprenticeship.Status.TRANSFERRED,
        transferred_on=dt.date(2026, 4, 10),
        transferred_to=fellbridge.new_provider,
    )
    log_hours(moved_later, "72")
    make_apprenticeship(
        make_apprentice(fellbridge.a1),
        fellbridge.provider,
        start_date=start,
        status=Apprenticeship.Status.BREAK,
    )
    make_apprenticeship(make_apprentice(fellbridge.a1), fellbridge.provider, start_date=dt.date(2026, 4, 6))

    value = _value("learning.off_the_job_on_track", fellbridge.area_a)

    assert (value.numerator, value.denominator) == (3, 4)


def _held_in_march(world, answers: list[str]):
    for answer in answers:
        apprenticeship = make_apprenticeship(make_apprentice(world.a1), world.provider)
        hold_review(apprenticeship, dt.date(2026, 3, 15), feels_safe=answer)


def test_apprentice_feel_safe_share_of_answers_in_the_period(fellbridge):
    _held_in_march(fellbridge, [Answer.YES] * 4 + [Answer.NO, Answer.NOT_SURE, ""])
    hold_review(fellbridge.apprenticeship, dt.date(2026, 4, 1), feels_safe=Answer.NO)

    value = _value("learning.apprentices_feel_safe", fellbridge.trust)

    assert (value.numerator, value.denominator) == (4, 6)
    assert round(value.value, 1) == 66.7


def test_apprentice_feel_safe_suppressed_under_five_answers(fellbridge, settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5
    _held_in_march(fellbridge, [Answer.YES] * 3 + [Answer.NO])

    value = _value("learning.apprentices_feel_safe", fellbridge.trust)

    assert value.value is None and value.numerator is None


# Home page


def _titles(user) -> dict[str, object]:
    return {item.title: item for item in attention.items_for(user)}


def test_apprentice_attention_lead_sees_how_many_need_attention(fellbridge):
    fellbridge.apprenticeship.mentor = None
    fellbridge.apprenticeship.save()

    item = _titles(fellbridge.lead)["Apprentices needing attention"]

    assert item.count == 1
    assert item.url == reverse("learning:show_caseload") + "?show=attention"
    assert "Apprentices needing attention" not in _titles(fellbridge.line_manager)


def test_apprentice_attention_review_due_within_a_fortnight(fellbridge):
    apprenticeship = fellbridge.apprenticeship
    fortnight = fellbridge.today + dt.timedelta(days=14)
    hold_review(apprenticeship, add_months(fortnight, -3))
    assert "Your progress review is due" in _titles(fellbridge.apprentice)

    apprenticeship.reviews.update(held_on=add_months(fortnight + dt.timedelta(days=1), -3))
    assert "Your progress review is due" not in _titles(fellbridge.apprentice)


def test_apprentice_attention_overdue_review_is_urgent_and_links_to_their_record(fellbridge):
    item = _titles(fellbridge.apprentice)["Your progress review is due"]  # started 20 weeks ago, none held

    assert item.urgent
    assert item.url == reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )
