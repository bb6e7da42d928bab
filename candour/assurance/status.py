"""An action's status, computed from plain facts and a day; never typed by anyone.

Pure: no database, no settings read inside the judgement (the rules are passed in), so it can be judged for
any day, past or present, and tested over time.

- Complete: it was completed on or before the day.
- Not started: the day is before it starts.
- Overdue: the day is after its due date and it is not complete.
- At risk: a milestone is past its due date and not done; or the live measure is behind its trajectory
  (a straight line from the baseline on the start date to the target on the due date, judged in the
  measure's improvement direction, with a tolerance of a share of the baseline-to-target distance); or it
  is due within a few days and the measure is not yet at its target.
- On track: otherwise.

The live measure is a complete month's value, never the month under way's (docs/adr/0026).

Every judgement says why, in words a board member can read ("Behind trajectory: 71.2% against 78.0%
expected by now").
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from candour.core.formatting import local_date
from candour.core.measures import Direction


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def colour(self) -> str:
        """The NHS.UK tag colour that shows it."""
        return _COLOURS[self]


_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OVERDUE: "Overdue",
    Status.COMPLETE: "Complete",
}
_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "blue",
    Status.AT_RISK: "orange",
    Status.OVERDUE: "red",
    Status.COMPLETE: "green",
}
# Worst first: the order a board reads a list of actions in.
SEVERITY = (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK, Status.NOT_STARTED, Status.COMPLETE)


@dataclass(frozen=True)
class Rules:
    """How strictly an action is judged. `tolerance_percent` is the share of the baseline-to-target
    distance a measure may lag its trajectory before the action is at risk; `due_soon_days` is how close
    to its due date an action not yet at target becomes at risk."""

    tolerance_percent: float = 10
    due_soon_days: int = 14

    @classmethod
    def from_settings(cls) -> Rules:
        from django.conf import settings

        return cls(settings.CANDOUR_TRAJECTORY_TOLERANCE, settings.CANDOUR_ACTION_DUE_SOON_DAYS)


@dataclass(frozen=True)
class Reading:
    """A measure's value, and the day it stands for (today for this month so far, else a month's end)."""

    value: float
    as_of: dt.date


@dataclass(frozen=True)
class MilestoneFacts:
    title: str
    due_on: dt.date
    done_on: dt.date | None = None

    def done_by(self, day: dt.date) -> bool:
        return self.done_on is not None and self.done_on <= day


@dataclass(frozen=True)
class ActionFacts:
    starts_on: dt.date
    due_on: dt.date
    target: float
    direction: Direction
    baseline: float | None = None
    unit: str = "%"
    completed_on: dt.date | None = None
    milestones: Sequence[MilestoneFacts] = ()
    live: Reading | None = None


@dataclass(frozen=True)
class Judgement:
    status: Status
    reasons: tuple[str, ...] = ()
    expected: float | None = field(default=None, compare=False)
    live: Reading | None = field(default=None, compare=False)

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def colour(self) -> str:
        return self.status.colour


def format_value(value: float | None, unit: str) -> str:
    """A measure's value with its unit: 71.2%, 3.5 days."""
    if value is None:
        return "no value"
    number = f"{value:,.1f}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def improves(direction: Direction) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when neither."""
    return {Direction.HIGHER_IS_BETTER: 1, Direction.LOWER_IS_BETTER: -1}.get(Direction(direction), 0)


def at_target(direction: Direction, value: float | None, target: float) -> bool:
    sign = improves(direction)
    if value is None or not sign:
        return False
    return (value - target) * sign >= 0


def expected_on(facts: ActionFacts, day: dt.date) -> float | None:
    """Where the trajectory says the measure should be on a day: linear from the baseline at the start to
    the target at the due date, and flat outside those dates."""
    if facts.baseline is None:
        return None
    span = (facts.due_on - facts.starts_on).days
    elapsed = (day - facts.starts_on).days
    share = 1.0 if span <= 0 else min(max(elapsed / span, 0.0), 1.0)
    return facts.baseline + (facts.target - facts.baseline) * share


def _behind(facts: ActionFacts, reading: Reading, rules: Rules) -> float | None:
    """The expected value, if the reading lags it by more than the tolerance; else None."""
    expected = expected_on(facts, reading.as_of)
    sign = improves(facts.direction)
    if expected is None or not sign:
        return None
    tolerance = abs(facts.target - facts.baseline) * rules.tolerance_percent / 100
    return expected if (expected - reading.value) * sign > tolerance else None


def judge(facts: ActionFacts, today: dt.date, rules: Rules | None = None) -> Judgement:
    """The action's status on `today`, with the reasons for it, worst first."""
    rules = rules or Rules()
    if facts.completed_on is not None and facts.completed_on <= today:
        late = facts.completed_on > facts.due_on
        return Judgement(
            Status.COMPLETE,
            (f"Completed {local_date(facts.completed_on)}{', after its due date' if late else ''}",),
            live=facts.live,
        )
    if today < facts.starts_on:
        return Judgement(Status.NOT_STARTED, (f"Starts {local_date(facts.starts_on)}",), live=facts.live)

    reasons: list[str] = []
    status = Status.ON_TRACK
    if today > facts.due_on:
        days = (today - facts.due_on).days
        reasons.append(f"Overdue: due {local_date(facts.due_on)}, {days} day{'s' if days != 1 else ''} ago")
        status = Status.OVERDUE

    reading = facts.live
    expected = None
    if reading is not None:
        expected = expected_on(facts, reading.as_of)
        lagging = _behind(facts, reading, rules)
        if lagging is not None:
            reasons.append(
                f"Behind trajectory: {format_value(reading.value, facts.unit)} against "
                f"{format_value(lagging, facts.unit)} expected {_by_when(reading.as_of, today)}"
            )
            status = _worse(status, Status.AT_RISK)

    for milestone in facts.milestones:
        if milestone.due_on < today and not milestone.done_by(today):
            reasons.append(
                f"Milestone missed: “{milestone.title}” was due {local_date(milestone.due_on)} "
                "and is not done"
            )
            status = _worse(status, Status.AT_RISK)

    days_left = (facts.due_on - today).days
    if 0 <= days_left <= rules.due_soon_days and not at_target(
        facts.direction, reading.value if reading else None, facts.target
    ):
        due = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        shown = (
            f"the measure is {format_value(reading.value, facts.unit)}"
            if reading
            else "the measure has no value in the last two complete months"
        )
        reasons.append(
            f"Due {due} and {shown}, not yet at its target of {format_value(facts.target, facts.unit)}"
        )
        status = _worse(status, Status.AT_RISK)

    if status is Status.ON_TRACK:
        if reading is None:
            reasons.append(
                "On track by its dates; the measure has no value in the last two complete months to judge"
            )
        elif expected is not None:
            reasons.append(
                f"On track: {format_value(reading.value, facts.unit)} against "
                f"{format_value(expected, facts.unit)} expected {_by_when(reading.as_of, today)}"
            )
        else:
            reasons.append(f"On track: the measure is {format_value(reading.value, facts.unit)}")
    return Judgement(status, tuple(reasons), expected=expected, live=reading)


def _by_when(as_of: dt.date, today: dt.date) -> str:
    return "by now" if as_of == today else f"by {local_date(as_of)}"


def _worse(current: Status, candidate: Status) -> Status:
    return current if SEVERITY.index(current) <= SEVERITY.index(candidate) else candidate


def direction_problem(
    *, title: str, direction: Direction, baseline: float | None, target: float, unit: str
) -> str | None:
    """Why a target cannot be a success measure's target, or None if it can."""
    sign = improves(direction)
    if not sign:
        return (
            f"“{title}” has no improvement direction (neither higher nor lower is better), so reaching a "
            "target cannot show success. Choose a measure where higher or lower is better"
        )
    if baseline is None:
        return None
    if (target - baseline) * sign <= 0:
        word, relation = ("higher", "above") if sign > 0 else ("lower", "below")
        return (
            f"For “{title}” {word} is better, so the target must be {relation} the baseline of "
            f"{format_value(baseline, unit)}"
        )
    return None


def completion_problems(
    *,
    evidence_count: int,
    live: Reading | None,
    target: float,
    direction: Direction,
    unit: str,
    override_reason: str = "",
) -> list[str]:
    """What stops an action being marked complete: it needs evidence and its measure at target, unless
    someone gives an explicit reason to close it anyway."""
    if override_reason.strip():
        return []
    problems = []
    if evidence_count < 1:
        problems.append("Add at least one piece of evidence before marking this action complete")
    value = live.value if live else None
    if not at_target(direction, value, target):
        if value is None:
            problems.append(
                "The success measure has no value in the last two complete months, so it cannot show the "
                f"target of {format_value(target, unit)} is met"
            )
        else:
            problems.append(
                f"The success measure is {format_value(value, unit)}, not yet at its target of "
                f"{format_value(target, unit)}"
            )
    return problems


def milestone_problem(
    *, due_on: dt.date, starts_on: dt.date, action_due_on: dt.date, title: str = ""
) -> str | None:
    """A milestone must fall within its action's dates."""
    if starts_on <= due_on <= action_due_on:
        return None
    name = f"“{title}” is due {local_date(due_on)}: a" if title else "A"
    return (
        f"{name} milestone must be due between the action's start, {local_date(starts_on)}, and its due "
        f"date, {local_date(action_due_on)}"
    )
