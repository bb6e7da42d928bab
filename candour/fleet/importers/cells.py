"""Cells the fleet's feeds share: a choice by its code, a whole number, a day that has happened."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from candour.core.importing import Invalid, Parser, day_date, quoted

_DIGITS = re.compile(r"[0-9]+")
# What the columns that keep them can hold (a positive integer) and a sensible longest interval.
LARGEST_READING = 2_147_483_647
LONGEST_INTERVAL_MONTHS = 120


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
    if not _DIGITS.fullmatch(digits):
        raise Invalid(f"{quoted(value)} is not a whole number")
    number = int(digits)
    if number > LARGEST_READING:
        raise Invalid(f"{quoted(value)} is larger than any reading or interval: {LARGEST_READING:,} at most")
    return number


def months(value: str) -> int:
    """An interval in whole months, at least one and at most ten years."""
    number = whole_number(value)
    if not 1 <= number <= LONGEST_INTERVAL_MONTHS:
        raise Invalid(f"an interval must be from 1 to {LONGEST_INTERVAL_MONTHS} months")
    return number


def past_day(value: str) -> dt.date:
    """A day that has happened: YYYY-MM-DD or DD/MM/YYYY, today or earlier."""
    day = day_date(value)
    if day > timezone.localdate():
        raise Invalid(f"{day:%d/%m/%Y} is in the future: enter today or an earlier date")
    return day
