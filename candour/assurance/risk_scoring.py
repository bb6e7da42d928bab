"""Risk scores on the 5 by 5 matrix: likelihood times consequence, banded, checked and counted.

Pure: the bands are passed in (`Bands.from_settings()` reads the trust's cut-offs).

Which scores may sit where: the inherent score is the risk with no controls, the current score the risk with
today's controls, and the target score where the controls still to come should take it. Controls cannot make
a risk worse than having none, so neither the current nor the target score may be above the inherent score.
The current score may be below the target: the target is met, and the risk can be tolerated or closed. We
compare scores (likelihood times consequence), not each axis, because a control may lower one axis while a
better understanding raises the other.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
CONSEQUENCE = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}
STAGES = ("inherent", "current", "target")
AXES = ("likelihood", "consequence")


class Band(enum.StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    EXTREME = "extreme"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def colour(self) -> str:
        """The NHS.UK tag colour that shows it, always beside its name."""
        return {"low": "green", "moderate": "yellow", "high": "orange", "extreme": "red"}[self.value]


@dataclass(frozen=True)
class Bands:
    """The lowest score of each band above low."""

    moderate_from: int = 4
    high_from: int = 8
    extreme_from: int = 15

    @classmethod
    def from_settings(cls) -> Bands:
        from django.conf import settings

        return cls(
            settings.CANDOUR_RISK_MODERATE_FROM,
            settings.CANDOUR_RISK_HIGH_FROM,
            settings.CANDOUR_RISK_EXTREME_FROM,
        )

    def of(self, score: int) -> Band:
        if score >= self.extreme_from:
            return Band.EXTREME
        if score >= self.high_from:
            return Band.HIGH
        if score >= self.moderate_from:
            return Band.MODERATE
        return Band.LOW

    def describe(self) -> list[tuple[Band, str]]:
        """Each band and its range of scores, for a key beside the heat map."""
        return [
            (Band.LOW, f"1 to {self.moderate_from - 1}"),
            (Band.MODERATE, f"{self.moderate_from} to {self.high_from - 1}"),
            (Band.HIGH, f"{self.high_from} to {self.extreme_from - 1}"),
            (Band.EXTREME, f"{self.extreme_from} to 25"),
        ]


def is_one_to_five(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def score_problems(scores: dict[str, int | None]) -> dict[str, str]:
    """Problems with a risk's six scores, keyed by field (`inherent_likelihood`, ...). Checks each is 1 to 5,
    then that neither the current nor the target score is above the inherent score."""
    problems = {}
    for stage in STAGES:
        for axis in AXES:
            name = f"{stage}_{axis}"
            if name in scores and not is_one_to_five(scores[name]):
                problems[name] = f"Choose the {stage} {axis} from 1 to 5"
    if problems:
        return problems

    def score(stage: str) -> int | None:
        likelihood, consequence = scores.get(f"{stage}_likelihood"), scores.get(f"{stage}_consequence")
        return likelihood * consequence if likelihood and consequence else None

    inherent = score("inherent")
    for stage in ("current", "target"):
        value = score(stage)
        if inherent is not None and value is not None and value > inherent:
            problems[f"{stage}_likelihood"] = (
                f"The {stage} score ({value}) is above the inherent score ({inherent}): controls cannot make "
                "a risk worse than having none. If the risk has grown, raise the inherent score too"
            )
    return problems


@dataclass(frozen=True)
class Cell:
    likelihood: int
    consequence: int
    count: int
    band: Band

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


@dataclass(frozen=True)
class HeatMapRow:
    likelihood: int
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class HeatMap:
    rows: tuple[HeatMapRow, ...]
    consequences: tuple[tuple[int, str], ...]
    total: int


def heat_map(positions: Iterable[tuple[int, int]], bands: Bands) -> HeatMap:
    """Count risks by (likelihood, consequence): rows from almost certain down to rare, as the matrix is
    read, and columns from negligible to catastrophic."""
    counts = Counter(positions)
    rows = tuple(
        HeatMapRow(
            likelihood,
            LIKELIHOOD[likelihood],
            tuple(
                Cell(
                    likelihood,
                    consequence,
                    counts[(likelihood, consequence)],
                    bands.of(likelihood * consequence),
                )
                for consequence in range(1, 6)
            ),
        )
        for likelihood in range(5, 0, -1)
    )
    return HeatMap(rows, tuple(CONSEQUENCE.items()), sum(counts.values()))
