"""Calendar months: moving a date by months, and which months are complete on a given day.

Evidence is judged on complete months only: on the first of a month, this month holds a day's data at most,
and a judgement made on it swings with every record (docs/adr/0026).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings

from candour.core.measures import Period


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day some calendar months later (or earlier, if negative), held to the month's last day:
    30 Nov + 3 is 28 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_of(day: dt.date) -> Period:
    """The calendar month holding `day`."""
    return Period.month(day.year, day.month)


def last_complete_month(on: dt.date) -> Period:
    """The last month that has ended by `on`: on 1 December, November."""
    return month_of(on.replace(day=1) - dt.timedelta(days=1))


def complete_months(on: dt.date, count: int) -> list[Period]:
    """The `count` complete months before `on`, oldest first."""
    return last_complete_month(on).previous_months(count)


def evidence_window(on: dt.date) -> Period:
    """The span evidence is judged on: the last CANDOUR_EVIDENCE_MONTHS complete months, as one period."""
    return window_ending(last_complete_month(on))


def window_ending(month: Period) -> Period:
    """The CANDOUR_EVIDENCE_MONTHS months ending with `month`, as one period: what a month's evidence is
    judged on when the months before it are looked back on (a trend, a measure of a past month)."""
    months = month.previous_months(settings.CANDOUR_EVIDENCE_MONTHS)
    return Period(months[0].start, months[-1].end)


def months_in(period: Period) -> list[Period]:
    """The calendar months a period of whole months holds, oldest first."""
    months = []
    month = month_of(period.start)
    while month.start < period.end:
        months.append(month)
        month = month_of(month.end)
    return months
