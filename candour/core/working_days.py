"""Working days: Monday to Friday, less the nation's bank holidays and the trust's own closures.

Bank holidays come from the maintained `holidays` package for any year (a list typed into settings ran out),
for the nation in CANDOUR_BANK_HOLIDAY_NATION; CANDOUR_LOCAL_CLOSURES adds days the trust itself closes.
"""

import datetime as dt
from functools import cache

import holidays
from django.conf import settings

# The UK subdivision whose bank holidays each nation keeps; Wales keeps England's.
NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@cache
def _bank_holidays(nation: str) -> holidays.HolidayBase:
    # Years are filled in as they are asked about.
    return holidays.country_holidays("GB", subdiv=NATIONS[nation])


def is_working_day(day: dt.date) -> bool:
    return (
        day.weekday() < 5
        and day not in _bank_holidays(settings.CANDOUR_BANK_HOLIDAY_NATION)
        and day not in settings.CANDOUR_LOCAL_CLOSURES
    )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current
