"""The identifiers a receiving provider matches an apprentice's records on, with the checks that tell a
mistyped one from a real one. No database: the services call these and refuse what fails.

- Unique learner number (the Learning Records Service's ULN): ten digits, the first not 0, whose digits
  weighted 10, 9, …, 1 sum to a remainder of 10 when divided by 11 (the ILR's rule ULN_04; HESA's worked
  example 9276308686).
- Standard code: the Institute for Apprenticeships and Technical Education's reference, "ST" and four
  digits, for example ST0627 (ambulance support worker).
- Date of birth: in the past, and plausible for someone in work (an apprentice is at least 15).
"""

from __future__ import annotations

import datetime as dt
import re

ULN_LENGTH = 10
STANDARD_CODE = re.compile(r"^ST\d{4}$")
# Plausibility, not policy: younger than this is a typing slip, older a wrong century.
YOUNGEST_YEARS = 15
OLDEST_YEARS = 100


def uln_problem(value: str) -> str:
    """Why this is not a unique learner number, or "" if it is one (or is left blank)."""
    if not value:
        return ""
    if len(value) != ULN_LENGTH or not value.isdigit():
        return "Enter the unique learner number as 10 digits, like 9276308686"
    if value[0] == "0":
        return "A unique learner number cannot start with 0"
    weighted = sum(int(digit) * weight for digit, weight in zip(value, range(10, 0, -1), strict=True))
    if weighted % 11 != 10:
        return (
            "That is not a unique learner number: its check digit does not match. Check it for a typing slip"
        )
    return ""


def standard_code_problem(value: str) -> str:
    if value and not STANDARD_CODE.match(value):
        return "Enter the standard's code as ST and four digits, like ST0627"
    return ""


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def birth_date_problem(born: dt.date | None, today: dt.date) -> str:
    if born is None:
        return ""
    if not _years_before(today, OLDEST_YEARS) < born <= _years_before(today, YOUNGEST_YEARS):
        return f"Enter a real date of birth: an apprentice is between {YOUNGEST_YEARS} and {OLDEST_YEARS}"
    return ""
