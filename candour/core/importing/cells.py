"""Parsers that turn a cell's text into a value, or raise `Invalid` with a reason people can act on."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone

Parser = Callable[[str], Any]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_LONDON = zoneinfo.ZoneInfo("Europe/London")
# Another system's clock may run a little ahead of ours.
_CLOCK_SKEW = dt.timedelta(minutes=5)
# A bad cell may hold anything, up to a whole runaway file; reasons quote only the start of it.
_QUOTED_LENGTH = 40


class Invalid(Exception):
    """A cell or row that cannot be imported; `column` is set when a row check blames one column."""

    def __init__(self, reason: str, column: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.column = column


def quoted(text: str) -> str:
    """The text in quotes for an error message, cut short if long."""
    shown = text if len(text) <= _QUOTED_LENGTH else text[:_QUOTED_LENGTH] + "..."
    return f"'{shown}'"


def text(max_length: int) -> Parser:
    """Plain text no longer than the field that stores it."""

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise Invalid(f"longer than {max_length} characters")
        return value

    return parse


def iso_date(value: str) -> dt.date:
    """A date written YYYY-MM-DD, the one form that cannot be misread as American or British."""
    if _ISO_DATE.fullmatch(value):
        with contextlib.suppress(ValueError):  # the right shape but no such day, e.g. 2024-02-30
            return dt.date.fromisoformat(value)
    raise Invalid(f"{quoted(value)} is not a date in the form YYYY-MM-DD")


def day_date(value: str) -> dt.date:
    """A date written YYYY-MM-DD, or day first as British systems and spreadsheets write it (29/11/2026).
    Never month first: 01/02/2026 is the first of February."""
    uk = _UK_DATE.fullmatch(value)
    if uk:
        day, month, year = (int(part) for part in uk.groups())
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day)
    elif _ISO_DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    raise Invalid(f"{quoted(value)} is not a date written YYYY-MM-DD or DD/MM/YYYY")


def past_moment(value: str) -> dt.datetime:
    """A date and time in ISO 8601 (YYYY-MM-DDTHH:MM, seconds and an offset optional); without an offset it
    is UK time. A moment a feed reports has happened, so one in the future is refused."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{quoted(value)} is not a date and time written YYYY-MM-DDTHH:MM") from None
    if "T" not in value and " " not in value:
        raise Invalid(f"{quoted(value)} has no time: write YYYY-MM-DDTHH:MM")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_LONDON)
    if parsed > timezone.now() + _CLOCK_SKEW:
        raise Invalid(f"{quoted(value)} is in the future")
    return parsed


def yes_no(value: str) -> bool:
    """Y or N, as HR systems export flags."""
    flag = value.upper()
    if flag not in {"Y", "N"}:
        raise Invalid(f"{quoted(value)} is not Y or N")
    return flag == "Y"


def code_of(known: Mapping[str, Any], noun: str) -> Parser:
    """A code looked up in reference data loaded once per import, e.g. job role code → job role id."""

    def parse(value: str) -> Any:
        try:
            return known[value]
        except KeyError:
            raise Invalid(f"no {noun} has the code {quoted(value)}") from None

    return parse
