"""The education lead's caseload: each 'needs attention' flag at its edge, welfare flags only for those who
may see them, filters, order, and one query however many apprentices."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt

import pytest
from django.urls import reverse

from candour.core.months import add_months
from candour.learning.models import Apprenticeship, ProgressReview
from candour.learning.queries import apprenticeships as queries
from candour.learning.queries.apprenticeships import Tag
from tests.learning.apprentice_fixtures import (  # noqa: F401
    fellbridge,
    hold_review,
    log_hours,
    make_apprentice,
    make_apprenticeship,
)

Answer = ProgressReview.Answer


def _tags(user, apprenticeship) -> set[str]:
    rows = {row.apprenticeship_id: row for row in queries.caseload_rows(user)}
    return set(rows[apprenticeship.public_id].tags)


def _on_track(world, **fields) -> Apprenticeship:
    """An apprentice with a mentor, a review held this week and every hour logged: needing nothing."""
    fields.setdefault("mentor", world.mentor)
    fields.setdefault("provider", world.provider)
    apprenticeship = make_apprenticeship(make_apprentice(world.a1), **fields)
    weeks = queries.weeks_elapsed(apprenticeship.start_date, world.today)
    if weeks:
        log_hours(apprenticeship, str(6 * weeks))
    hold_review(apprenticeship, world.today - dt.timedelta(days=2))
    return apprenticeship


def test_caseload_apprentice_on_track_needs_no_attention(fellbridge):
    assert _tags(fellbridge.lead, _on_track(fellbridge)) == set()


def test_caseload_flags_a_review_overdue_the_day_after_three_months(fellbridge):
    today = fellbridge.today
    due_today = _on_track(fellbridge)
    due_today.reviews.update(held_on=add_months(today, -3))
    overdue = _on_track(fellbridge)
    overdue.reviews.update(held_on=add_months(today, -3) - dt.timedelta(days=1))

    assert Tag.OVERDUE not in _tags(fellbridge.lead, due_today)
    assert Tag.OVERDUE in _tags(fellbridge.lead, overdue)


def test_caseload_flags_no_review_since_three_months_after_the_start(fellbridge):
    today = fellbridge.today
    started_recently = _on_track(fellbridge, start_date=add_months(today, -3))
    started_recently.reviews.all().delete()
    started_earlier = _on_track(fellbridge, start_date=add_months(today, -3) - dt.timedelta(days=1))
    started_earlier.reviews.all().delete()

    assert Tag.OVERDUE not in _tags(fellbridge.lead, started_recently)
    assert Tag.OVERDUE in _tags(fellbridge.lead, started_earlier)


def test_caseload_flags_an_off_the_job_shortfall(fellbridge):
    short = _on_track(fellbridge)
    short.off_the_job.update(hours=short.off_the_job.get().hours - 1)

    assert _tags(fellbridge.lead, short) == {Tag.SHORTFALL}


def test_caseload_flags_no_mentor(fellbridge):
    assert _tags(fellbridge.lead, _on_track(fellbridge, mentor=None)) == {Tag.NO_MENTOR}


def test_caseload_flags_a_planned_end_within_the_warning_days(fellbridge, settings):
    settings.CANDOUR_APPRENTICE_END_WARNING_DAYS = 90
    near = _on_track(fellbridge, planned_end_date=fellbridge.today + dt.timedelta(days=90))
    far = _on_track(fellbridge, planned_end_date=fellbridge.today + dt.timedelta(days=91))

    assert _tags(fellbridge.lead, near) == {Tag.ENDING}
    assert _tags(fellbridge.lead, far) == set()


def test_caseload_flags_a_worrying_answer_in_the_last_six_months(fellbridge):
    today = fellbridge.today
    recent = _on_track(fellbridge)
    hold_review(recent, add_months(today, -6), witnessed_uncomfortable=Answer.NOT_SURE)
    older = _on_track(fellbridge)
    hold_review(older, add_months(today, -6) - dt.timedelta(days=1), feels_safe=Answer.NO)

    assert _tags(fellbridge.lead, recent) == {Tag.WELFARE}
    assert _tags(fellbridge.lead, older) == set()


def test_caseload_welfare_flag_hidden_from_the_line_manager(fellbridge):
    flagged = _on_track(fellbridge)
    hold_review(flagged, fellbridge.today, feels_safe=Answer.NO)

    assert _tags(fellbridge.line_manager, flagged) == set()
    assert not queries.caseload(fellbridge.line_manager).shows_welfare


def test_caseload_lists_welfare_then_other_attention_then_the_rest(fellbridge):
    fine = _on_track(fellbridge)
    no_mentor = _on_track(fellbridge, mentor=None)
    welfare = _on_track(fellbridge)
    hold_review(welfare, fellbridge.today, feels_safe=Answer.NOT_SURE)

    order = [row.apprenticeship_id for row in queries.caseload_rows(fellbridge.lead)]

    assert order.index(welfare.public_id) < order.index(no_mentor.public_id) < order.index(fine.public_id)


def test_caseload_filters_by_tag_and_provider(fellbridge):
    no_mentor = _on_track(fellbridge, mentor=None)
    elsewhere = _on_track(fellbridge, mentor=None, provider=fellbridge.new_provider)
    fine = _on_track(fellbridge)

    by_tag = queries.caseload(fellbridge.lead, show=Tag.NO_MENTOR)
    attention = queries.caseload(fellbridge.lead, show=queries.NEEDS_ATTENTION)
    by_provider = queries.caseload(
        fellbridge.lead, show=Tag.NO_MENTOR, provider_id=fellbridge.new_provider.public_id
    )

    assert {row.apprenticeship_id for row in by_tag.page} == {no_mentor.public_id, elsewhere.public_id}
    assert fine.public_id not in {row.apprenticeship_id for row in attention.page}
    assert [row.apprenticeship_id for row in by_provider.page] == [elsewhere.public_id]
    assert by_tag.tag_counts[Tag.NO_MENTOR] == 2


def test_caseload_leaves_out_those_no_longer_learning_and_those_out_of_scope(fellbridge):
    withdrawn = _on_track(fellbridge, status=Apprenticeship.Status.WITHDRAWN)
    in_b = make_apprenticeship(make_apprentice(fellbridge.b1), fellbridge.provider)
    elsewhere = make_apprenticeship(make_apprentice(fellbridge.other_station), fellbridge.provider)

    lead_sees = {row.apprenticeship_id for row in queries.caseload_rows(fellbridge.lead)}
    area_b_sees = {row.apprenticeship_id for row in queries.caseload_rows(fellbridge.area_b_lead)}

    assert withdrawn.public_id not in lead_sees and elsewhere.public_id not in lead_sees
    assert in_b.public_id in lead_sees
    assert area_b_sees == {in_b.public_id}


def test_caseload_is_one_query_however_many_apprentices(fellbridge, django_assert_max_num_queries):
    for _ in range(12):
        _on_track(fellbridge, mentor=None)
    queries.caseload_rows(fellbridge.lead)  # warm the scope cache

    with django_assert_max_num_queries(1):
        rows = queries.caseload_rows(fellbridge.lead)

    assert len(rows) == 13


@pytest.mark.parametrize("page", ["1", "2"])
def test_caseload_page_is_paginated(fellbridge, client_for, page, monkeypatch):
    monkeypatch.setattr(queries, "CASELOAD_PAGE_SIZE", 2)
    for _ in range(3):
        _on_track(fellbridge)

    response = client_for(fellbridge.lead).get(reverse("learning:show_caseload"), {"page": page})

    assert response.status_code == 200
    assert response.content.decode().count("data-counted-row") == {"1": 2, "2": 2}[page]
