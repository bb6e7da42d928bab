"""The pure compliance rules at their edges: the day a record expires, month ends, hour-based windows."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from candour.learning.compliance import (
    Completion,
    Rule,
    Status,
    add_months,
    anniversary,
    compliant_on,
    expires_on,
    status,
    window_start,
)

THREE_YEARS = Rule(refresher_months=36)
YEARLY = Rule(refresher_months=12)
CHILDREN_L3 = Rule(refresher_months=36, required_hours=Decimal("12"))
D = dt.date


def done(day: dt.date, hours: str | None = None) -> Completion:
    return Completion(day, Decimal(hours) if hours else None)


def test_compliance_record_is_compliant_on_its_last_day_and_expired_the_next():
    record = [done(D(2023, 3, 31))]

    assert expires_on(THREE_YEARS, record) == D(2026, 4, 1)
    assert compliant_on(D(2026, 3, 31), THREE_YEARS, record)
    assert not compliant_on(D(2026, 4, 1), THREE_YEARS, record)
    assert status(D(2026, 4, 1), D(2026, 3, 31), due_soon_days=60) == Status.DUE_SOON
    assert status(D(2026, 4, 1), D(2026, 4, 1), due_soon_days=60) == Status.EXPIRED


def test_compliance_record_counts_from_the_day_it_was_completed():
    record = [done(D(2024, 5, 10))]

    assert not compliant_on(D(2024, 5, 9), YEARLY, record)
    assert compliant_on(D(2024, 5, 10), YEARLY, record)


def test_compliance_month_end_completion_runs_to_the_shorter_months_last_day():
    assert anniversary(D(2024, 2, 29), YEARLY) == D(2025, 2, 28)
    assert expires_on(YEARLY, [done(D(2024, 2, 29))]) == D(2025, 3, 1)
    assert anniversary(D(2023, 3, 31), Rule(1)) == D(2023, 4, 30)
    assert expires_on(Rule(1), [done(D(2023, 1, 31))]) == D(2023, 3, 1)


def test_compliance_latest_completion_decides_when_there_are_several():
    records = [done(D(2019, 6, 1)), done(D(2022, 6, 1)), done(D(2021, 1, 1))]

    assert expires_on(THREE_YEARS, records) == D(2025, 6, 2)


def test_compliance_never_completed_has_no_expiry():
    assert expires_on(THREE_YEARS, []) is None
    assert status(None, D(2026, 1, 1), due_soon_days=60) == Status.NEVER


def test_compliance_status_due_soon_window_edges():
    today = D(2026, 1, 1)

    assert status(today + dt.timedelta(days=60), today, due_soon_days=60) == Status.DUE_SOON
    assert status(today + dt.timedelta(days=61), today, due_soon_days=60) == Status.COMPLIANT
    assert status(today + dt.timedelta(days=1), today, due_soon_days=60) == Status.DUE_SOON
    assert status(today, today, due_soon_days=60) == Status.EXPIRED
    assert status(None, today, due_soon_days=60, required=False) == Status.NOT_REQUIRED


def test_compliance_hours_must_reach_the_requirement_within_the_window():
    short = [done(D(2025, 1, 10), "7.5")]
    enough = [*short, done(D(2025, 9, 1), "4.5")]

    assert expires_on(CHILDREN_L3, short) is None
    assert not compliant_on(D(2025, 8, 31), CHILDREN_L3, enough)
    assert compliant_on(D(2025, 9, 1), CHILDREN_L3, enough)
    # The 7.5 hours stop counting after 10 January 2028, and 4.5 hours alone fall short.
    assert expires_on(CHILDREN_L3, enough) == D(2028, 1, 11)


def test_compliance_hours_older_sessions_dropping_out_are_replaced_by_newer_ones():
    sessions = [
        done(D(2020, 3, 1), "6"),
        done(D(2021, 3, 1), "6"),
        done(D(2023, 4, 1), "6"),
    ]

    # 2020 + 2021 make 12 from 1 March 2021 to 1 March 2023; then 2021 + 2023 make 12 until 1 March 2024.
    assert compliant_on(D(2023, 3, 1), CHILDREN_L3, sessions)
    assert not compliant_on(D(2023, 3, 2), CHILDREN_L3, sessions)
    assert compliant_on(D(2023, 4, 1), CHILDREN_L3, sessions)
    assert expires_on(CHILDREN_L3, sessions) == D(2024, 3, 2)


def test_compliance_hours_a_completion_without_hours_adds_nothing():
    assert expires_on(CHILDREN_L3, [done(D(2025, 1, 1)), done(D(2025, 2, 1), "11.9")]) is None


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))
rules = st.builds(
    Rule,
    refresher_months=st.sampled_from([1, 12, 24, 36]),
    required_hours=st.one_of(st.none(), st.sampled_from([Decimal("2"), Decimal("8"), Decimal("12")])),
)
completions = st.lists(
    st.builds(Completion, dates, st.one_of(st.none(), st.decimals("0.5", "12", places=1))), max_size=6
)


@given(day=dates, rule=rules)
def test_compliance_window_start_matches_the_anniversary_rule(day, rule):
    start = window_start(day, rule)

    assert anniversary(start, rule) >= day
    assert anniversary(start - dt.timedelta(days=1), rule) < day
    assert start <= day


@given(rule=rules, records=completions)
def test_compliance_expiry_is_the_first_day_after_the_last_compliant_day(rule, records):
    expires = expires_on(rule, records)

    if expires is None:
        assert not any(compliant_on(r.completed_on, rule, records) for r in records)
        return
    assert compliant_on(expires - dt.timedelta(days=1), rule, records)
    for later in (0, 1, 30, 400, 4000):
        assert not compliant_on(expires + dt.timedelta(days=later), rule, records)


@given(day=dates, months=st.integers(-60, 60))
def test_compliance_add_months_lands_in_the_right_month(day, months):
    moved = add_months(day, months)

    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)
