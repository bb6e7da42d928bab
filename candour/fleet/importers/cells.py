"""Cells the fleet's feeds share: a choice by its code, a whole number, a day that has happened."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candour.core.importing import Invalid, Parser, day_date, quoted


def choice(choices) -> Parser:
    """One of a TextChoices' codes, as the layout in docs/feeds/fleet.md lists them."""

    def parse(value: str) -> str:
        if value not in choices.values:
            raise Invalid(f"{quoted(value)} is not one of {', '.join(choices.values)}")
        return value

    return parse


def whole_number(value: str) -> int:
    """A count or reading: digits only, thousands separators allowed as spreadsheets write them."""
    digits = value.replace(",", "")
    if not digits.isdigit():
        raise Invalid(f"{quoted(value)} is not a whole number")
    return int(digits)


def months(value: str) -> int:
    """An interval in whole months, at least one."""
    number = whole_number(value)
    if number < 1:
        raise Invalid("an interval must be at least 1 month")
    return number


def past_day(value: str) -> dt.date:
    """A day that has happened: YYYY-MM-DD or DD/MM/YYYY, today or earlier."""
    day = day_date(value)
    if day > timezone.localdate():
        raise Invalid(f"{day:%d/%m/%Y} is in the future: enter today or an earlier date")
    return day
