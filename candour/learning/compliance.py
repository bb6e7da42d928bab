"""The compliance rules, with no database: when a person's hold on a subject runs out, and what that means
on a given day.

The edge, defined once and used everywhere (the services, the measures' SQL and the pages):

- A completion counts from the day it was completed up to and including the same date `refresher_months`
  calendar months later, its *anniversary*. When that month is shorter, the anniversary is the month's last
  day (completed 31 March 2023 with 1 month: counts to 30 April 2023; 29 February 2024 with 12 months: to
  28 February 2025).
- So a record completed 31 March 2023 for a 36-month subject keeps its holder compliant on 31 March 2026, the
  last day, and 1 April 2026 is the first day they are not: `expires_on` is 1 April 2026.
- Where a subject sets hours (safeguarding children level 3: 12 hours over 36 months), a person is compliant
  on a day when the hours of the completions counting that day add up to the requirement; each completion
  counts over the same span as above. `expires_on` is the first day, after they were last compliant, that
  the sum falls short.
- `expires_on` is None when the requirement was never met.
- Due soon: still compliant, and `expires_on` falls within the next `due_soon_days` days (settings:
  CANDOUR_TRAINING_DUE_SOON_DAYS). Expired: today is on or after `expires_on`.

A group of people (a cell of the matrix) is judged against the trust's target share
(CANDOUR_TRAINING_COMPLIANCE_TARGET_PERCENT): it meets the target when its share compliant today is at or
above it and stays so once the training due soon runs out; it is at risk when it meets the target today
only thanks to training about to run out; it is below target otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from candour.core.months import add_months
from candour.core.tags import tag_colours

ONE_DAY = dt.timedelta(days=1)


@tag_colours(
    {"compliant": "green", "due_soon": "yellow", "expired": "red", "never": "orange", "not_required": "grey"}
)
class Status(models.TextChoices):
    COMPLIANT = "compliant", "Compliant"
    DUE_SOON = "due_soon", "Due soon"
    EXPIRED = "expired", "Expired"
    NEVER = "never", "Never completed"
    NOT_REQUIRED = "not_required", "Not required"


@dataclass(frozen=True)
class Rule:
    """What a subject asks: a completion within `refresher_months`, or `required_hours` over that span."""

    refresher_months: int
    required_hours: Decimal | None = None


@dataclass(frozen=True)
class Completion:
    completed_on: dt.date
    hours: Decimal | None = None


def anniversary(completed_on: dt.date, rule: Rule) -> dt.date:
    """The last day a completion counts."""
    return add_months(completed_on, rule.refresher_months)


def window_start(day: dt.date, rule: Rule) -> dt.date:
    """The earliest completion date that still counts on `day`: a completion counts on `day` exactly when
    window_start(day) <= completed_on <= day. Lets the database ask the same question with a range."""
    start = add_months(day, -rule.refresher_months)
    # Going back to a shorter month lands on its last day, whose anniversary falls short of `day`.
    while anniversary(start, rule) < day:
        start += ONE_DAY
    return start


def _amount(completion: Completion, rule: Rule) -> Decimal:
    if rule.required_hours is None:
        return Decimal(1)
    return completion.hours or Decimal(0)


def _needed(rule: Rule) -> Decimal:
    return Decimal(1) if rule.required_hours is None else rule.required_hours


def held_on(day: dt.date, rule: Rule, completions: Iterable[Completion]) -> Decimal:
    """The hours (or, for a subject without hours, the completions) counting on `day`."""
    return sum(
        (_amount(c, rule) for c in completions if c.completed_on <= day <= anniversary(c.completed_on, rule)),
        Decimal(0),
    )


def compliant_on(day: dt.date, rule: Rule, completions: Iterable[Completion]) -> bool:
    return held_on(day, rule, completions) >= _needed(rule)


def expires_on(rule: Rule, completions: Iterable[Completion]) -> dt.date | None:
    """The first day no longer compliant, after the last spell of compliance; None if never compliant."""
    completions = list(completions)
    if rule.required_hours is None:
        # Without hours, any one completion is enough: the latest decides.
        latest = max((c.completed_on for c in completions), default=None)
        return anniversary(latest, rule) + ONE_DAY if latest else None
    # Compliance can only begin on a day something was completed, so the last spell begins on the latest
    # such day that is compliant; nothing completed later made it compliant again.
    starts = sorted({c.completed_on for c in completions}, reverse=True)
    last_start = next((day for day in starts if compliant_on(day, rule, completions)), None)
    if last_start is None:
        return None
    # From there the sum falls only when a completion stops counting, the day after its anniversary.
    drops = sorted({anniversary(c.completed_on, rule) + ONE_DAY for c in completions})
    return next(day for day in drops if day > last_start and not compliant_on(day, rule, completions))


def status(expires: dt.date | None, today: dt.date, *, due_soon_days: int, required: bool = True) -> Status:
    """Today's status from the stored date."""
    if not required:
        return Status.NOT_REQUIRED
    if expires is None:
        return Status.NEVER
    if expires <= today:
        return Status.EXPIRED
    if expires <= today + dt.timedelta(days=due_soon_days):
        return Status.DUE_SOON
    return Status.COMPLIANT


@tag_colours({"meets": "green", "at_risk": "yellow", "below": "red"})
class Standing(models.TextChoices):
    """How a group's compliance stands against the target, named in words beside its colour."""

    MEETS = "meets", "Meets target"
    AT_RISK = "at_risk", "At risk"
    BELOW = "below", "Below target"


def standing(*, required: int, compliant: int, due_soon: int, target_percent: float) -> Standing | None:
    """A group's standing from its counts today (compliant includes due soon); None when nobody needs it."""
    if not required:
        return None
    if 100 * compliant < target_percent * required:
        return Standing.BELOW
    if 100 * (compliant - due_soon) < target_percent * required:
        return Standing.AT_RISK
    return Standing.MEETS
