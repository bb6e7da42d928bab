"""The apprenticeship rules at their edges: off-the-job hours pro rata, and when a review is due."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt
from decimal import Decimal

import pytest

from candour.core.refusals import Refused
from candour.learning.queries.apprenticeships import (
    add_months,
    next_review_due,
    off_the_job_for,
    planned_off_the_job_hours,
    weekly_off_the_job_hours,
)
from candour.learning.services import apprenticeships as services
from tests.learning.apprentice_fixtures import fellbridge, log_hours, make_apprenticeship  # noqa: F401

START = dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("contracted", "weekly"),
    [("37.5", "6"), ("30", "6"), ("29.9", "5.98"), ("22.5", "4.5"), ("15", "3")],
)
def test_weekly_off_the_job_hours_are_six_at_thirty_hours_and_pro_rata_below(contracted, weekly):
    assert weekly_off_the_job_hours(Decimal(contracted)) == Decimal(weekly)


def test_planned_hours_count_whole_weeks_elapsed():
    ten_weeks = START + dt.timedelta(weeks=10)
    planned = {
        on: planned_off_the_job_hours(
            start=START,
            planned_end=START + dt.timedelta(days=700),
            contracted_hours_per_week=Decimal(30),
            on=on,
        )
        for on in (START, ten_weeks - dt.timedelta(days=1), ten_weeks, START - dt.timedelta(days=7))
    }

    assert planned[START] == 0
    assert planned[ten_weeks - dt.timedelta(days=1)] == Decimal(54)
    assert planned[ten_weeks] == Decimal(60)
    assert planned[START - dt.timedelta(days=7)] == 0


def test_planned_hours_stop_at_the_planned_end():
    planned = planned_off_the_job_hours(
        start=START,
        planned_end=START + dt.timedelta(weeks=4),
        contracted_hours_per_week=Decimal("37.5"),
        on=START + dt.timedelta(weeks=30),
    )

    assert planned == Decimal(24)


@pytest.mark.parametrize(
    ("contracted", "logged", "shortfall"),
    [
        ("30", "60", False),
        ("30", "59.5", True),
        ("37.5", "59.5", True),
        ("22.5", "45", False),
        ("22.5", "44.5", True),
    ],
)
def test_off_the_job_shortfall_at_its_edge_for_full_and_part_time_contracts(
    fellbridge, contracted, logged, shortfall
):
    today = fellbridge.today
    apprenticeship = make_apprenticeship(
        fellbridge.mentor,
        fellbridge.provider,
        start_date=today - dt.timedelta(weeks=10),
        contracted_hours_per_week=Decimal(contracted),
    )
    log_hours(apprenticeship, logged)

    off_the_job = off_the_job_for(apprenticeship, today)

    assert off_the_job.planned == Decimal(10) * weekly_off_the_job_hours(Decimal(contracted))
    assert off_the_job.shortfall is shortfall


def test_a_break_in_learning_is_never_flagged_short(fellbridge):
    apprenticeship = fellbridge.apprenticeship
    apprenticeship.status = apprenticeship.Status.BREAK

    assert not off_the_job_for(apprenticeship, fellbridge.today).shortfall


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 10, 15), 3, dt.date(2027, 1, 15)),
        (dt.date(2026, 3, 31), -6, dt.date(2025, 9, 30)),
    ],
)
def test_adding_calendar_months_holds_to_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_the_next_review_is_due_three_calendar_months_after_the_last_or_the_start():
    assert next_review_due(START, None) == dt.date(2026, 4, 5)
    assert next_review_due(START, dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("48.5"), Decimal("37.25")])
def test_contracted_hours_outside_a_working_week_are_refused_by_the_service(fellbridge, hours):
    apprenticeship = fellbridge.apprenticeship

    with pytest.raises(Refused, match="Contracted hours a week"):
        services.update_apprenticeship(
            by=fellbridge.lead,
            apprenticeship=apprenticeship,
            station=apprenticeship.station,
            mentor=apprenticeship.mentor,
            provider=apprenticeship.provider,
            planned_end_date=apprenticeship.planned_end_date,
            contracted_hours_per_week=hours,
        )


def test_off_the_job_hours_with_two_decimal_places_are_refused_by_the_service(fellbridge):
    with pytest.raises(Refused, match="one decimal place"):
        services.log_off_the_job(
            by=fellbridge.lead,
            apprenticeship=fellbridge.apprenticeship,
            week_starting=fellbridge.today,
            hours=Decimal("7.25"),
            activity="Study day",
        )
