"""Working days: Monday to Friday, less the bank holidays in settings (they differ by nation and year)."""

import datetime as dt

from django.conf import settings


def _holidays() -> set[dt.date]:
    return {dt.date.fromisoformat(day) for day in settings.CANDOUR_BANK_HOLIDAYS}


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    holidays = _holidays()
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days -= 1
    return current
