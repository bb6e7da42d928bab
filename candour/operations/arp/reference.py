"""The ARP rules as versioned reference data: which clock rules were in force when, and the national
standards each category is judged against (STANDARDS.md §1).

The clock-start offsets are unverified (recollections conflict), so each version reads them from settings;
a change of rule is a new version from its own date, so figures for earlier months keep the rules they were
made under."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from candour.operations.arp.categories import Category

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class ClockRules:
    """One version of the clock rules: the offset after call connect that starts the clock at the latest."""

    version: str
    in_force_from: dt.datetime
    start_offset_seconds: dict[Category, int]


def _arp_2017() -> ClockRules:
    c2_to_c4 = settings.CANDOUR_ARP_C2_TO_C4_CLOCK_START_OFFSET_SECONDS
    return ClockRules(
        version="ARP 2017",
        # Every English trust answered to ARP from August 2017, the first month AmbSYS publishes under it.
        in_force_from=dt.datetime(2017, 8, 1, tzinfo=LONDON),
        start_offset_seconds={
            Category.C1: settings.CANDOUR_ARP_C1_CLOCK_START_OFFSET_SECONDS,
            Category.C2: c2_to_c4,
            Category.C3: c2_to_c4,
            Category.C4: c2_to_c4,
        },
    )


# Oldest first. A new version is a new function here from the date it takes effect.
VERSIONS = (_arp_2017,)


def rules_in_force(moment: dt.datetime) -> ClockRules:
    """The clock rules in force at a moment (an aware datetime), or a ValueError before ARP began."""
    in_force = None
    for version in VERSIONS:
        rules = version()
        if rules.in_force_from <= moment:
            in_force = rules
    if in_force is None:
        first = VERSIONS[0]().in_force_from.date().isoformat()
        raise ValueError(f"no ARP clock rules were in force before {first}")
    return in_force


@dataclass(frozen=True)
class Standard:
    """A category's national standards in seconds; None where the category has no such standard."""

    category: Category
    mean_seconds: int | None
    centile90_seconds: int | None


# Verified against NHS England's published standards (STANDARDS.md §1). C1T's 30 minutes is only recalled,
# so it is not drawn as a standard.
STANDARDS = {
    Category.C1: Standard(Category.C1, mean_seconds=7 * 60, centile90_seconds=15 * 60),
    Category.C2: Standard(Category.C2, mean_seconds=18 * 60, centile90_seconds=40 * 60),
    Category.C3: Standard(Category.C3, mean_seconds=None, centile90_seconds=120 * 60),
    Category.C4: Standard(Category.C4, mean_seconds=None, centile90_seconds=180 * 60),
}
