"""Working days skip weekends, the nation's bank holidays in any year (not only the years someone typed in),
and the trust's own closures."""

import datetime as dt

import pytest

from candour.core.working_days import add_working_days, is_working_day

# The England and Wales bank holidays of 2025 to 2027, as GOV.UK publishes them.
ENGLAND_AND_WALES_2025_TO_2027 = [
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
    "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
    "2027-08-30", "2027-12-27", "2027-12-28",
]  # fmt: skip


def test_every_published_england_and_wales_bank_holiday_is_not_a_working_day():
    assert not any(is_working_day(dt.date.fromisoformat(day)) for day in ENGLAND_AND_WALES_2025_TO_2027)


def test_bank_holidays_after_2027_are_not_working_days():
    # Christmas 2028 falls on a Monday; Easter Monday 2029 is 2 April; Christmas 2035 is a Tuesday.
    for day in (dt.date(2028, 12, 25), dt.date(2028, 12, 26), dt.date(2029, 4, 2), dt.date(2035, 12, 25)):
        assert not is_working_day(day), day


def test_a_triage_deadline_over_christmas_2028_skips_the_bank_holidays():
    # Friday 22 December 2028, two working days: Monday 25 and Tuesday 26 are bank holidays.
    assert add_working_days(dt.date(2028, 12, 22), 2) == dt.date(2028, 12, 28)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not is_working_day(dt.date(2028, 6, 3)) and not is_working_day(dt.date(2028, 6, 4))
    assert is_working_day(dt.date(2028, 6, 5))


@pytest.mark.parametrize(
    ("nation", "holiday", "working_elsewhere"),
    [
        ("scotland", dt.date(2028, 11, 30), True),  # St Andrew's Day
        ("scotland", dt.date(2028, 8, 7), True),  # Scotland's summer bank holiday
        ("northern-ireland", dt.date(2028, 3, 17), True),  # St Patrick's Day
        ("northern-ireland", dt.date(2028, 7, 12), True),  # Battle of the Boyne
    ],
)
def test_another_nation_is_chosen_by_a_setting(settings, nation, holiday, working_elsewhere):
    assert is_working_day(holiday) is working_elsewhere

    settings.CANDOUR_BANK_HOLIDAY_NATION = nation

    assert not is_working_day(holiday)


def test_scotland_works_on_easter_monday(settings):
    settings.CANDOUR_BANK_HOLIDAY_NATION = "scotland"

    assert is_working_day(dt.date(2028, 4, 17))


def test_a_local_closure_is_not_a_working_day(settings):
    closure = dt.date(2028, 6, 7)
    assert is_working_day(closure)

    settings.CANDOUR_LOCAL_CLOSURES = [closure]

    assert not is_working_day(closure)
    assert add_working_days(dt.date(2028, 6, 6), 1) == dt.date(2028, 6, 8)
