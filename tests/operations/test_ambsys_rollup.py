"""NHS England's roll-up, checked on its own published figures: every England and regional mean and 90th
centile in tests/data/ambsys/AmbSYS.csv (AmbSYS, August 2017 to January 2021) is reproduced to the second
from the trusts' rows, for every month and category where the trusts' figures exist."""

import csv
from collections import defaultdict

import pytest

from candour.operations.arp.categories import Category
from candour.operations.arp.figures import Figures, roll_up
from tests.support.writers import REPOSITORY

AMBSYS = REPOSITORY / "tests" / "data" / "ambsys" / "AmbSYS.csv"
# AmbSYS field codes (STANDARDS.md §1): incidents, total seconds, mean, 90th centile.
FIELDS = {
    Category.C1: ("A8", "A24", "A25", "A26"),
    Category.C1T: ("A9", "A27", "A28", "A29"),
    Category.C2: ("A10", "A30", "A31", "A32"),
    Category.C3: ("A11", "A33", "A34", "A35"),
    Category.C4: ("A12", "A36", "A37", "A38"),
}
NOT_AVAILABLE = "."


def _published():
    """The trusts' figures by (year, month, group) for England and each region, and the published row of
    each group."""
    with AMBSYS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    trusts, published = defaultdict(list), {}
    for row in rows:
        month = (row["Year"], row["Month"])
        if row["Org Code"] == "Eng":
            published[(*month, "England")] = row
        elif row["Org Code"].startswith("Y"):  # a region's own code; trusts' codes start with R
            published[(*month, row["Org Code"])] = row
        else:
            trusts[(*month, "England")].append(row)
            trusts[(*month, row["Region"])].append(row)
    return trusts, published


def _reproduced(group_kind):
    trusts, published = _published()
    checked, wrong = 0, []
    for key, row in published.items():
        if (key[2] == "England") != (group_kind == "England"):
            continue
        for category, (count, total, mean, centile90) in FIELDS.items():
            reporting = [trust for trust in trusts[key] if trust[count] != NOT_AVAILABLE]
            if row[mean] == NOT_AVAILABLE or not reporting:
                continue
            ours = roll_up(
                Figures(int(t[count]), int(t[total]), int(t[mean]), int(t[centile90])) for t in reporting
            )
            theirs = (int(row[count]), int(row[total]), int(row[mean]), int(row[centile90]))
            checked += 1
            if (ours.incidents, ours.total_seconds, ours.mean_seconds, ours.centile90_seconds) != theirs:
                wrong.append(f"{key} {category}: ours {ours}, published {theirs}")
    return checked, wrong


def test_every_england_mean_and_90th_centile_is_reproduced_from_the_trusts():
    checked, wrong = _reproduced("England")
    assert not wrong, "\n".join(wrong)
    # 42 months x 5 categories; in months where a trust did not report, from the trusts that did.
    assert checked == 42 * 5


def test_every_regional_mean_and_90th_centile_is_reproduced_from_the_trusts():
    checked, wrong = _reproduced("region")
    assert not wrong, "\n".join(wrong)
    # Seven regions x 42 months x 5 categories, less the 65 published as not available.
    assert checked == 7 * 42 * 5 - 65


def test_the_check_values_of_the_standards_come_out_of_the_roll_up():
    trusts, _ = _published()

    def england(year, month, category):
        count, total, mean, centile90 = FIELDS[category]
        reporting = [t for t in trusts[(year, month, "England")] if t[count] != NOT_AVAILABLE]
        figures = roll_up(
            Figures(int(t[count]), int(t[total]), int(t[mean]), int(t[centile90])) for t in reporting
        )
        return figures.mean_seconds, figures.centile90_seconds

    assert england("2019", "1", Category.C1) == (428, 740)
    assert england("2019", "1", Category.C2) == (1378, 2859)
    assert england("2019", "1", Category.C3)[1] == 9609
    assert england("2019", "1", Category.C4)[1] == 11763
    assert england("2021", "1", Category.C1) == (458, 806)
    assert england("2021", "1", Category.C2) == (1780, 3852)


def test_the_90th_centile_rolls_up_as_a_weighted_mean_not_a_pooled_centile():
    # A big fast trust and a small slow one: weighted (900 x 600 + 100 x 1800) / 1000 = 720.
    rolled = roll_up([Figures(900, 450_000, 500, 600), Figures(100, 150_000, 1500, 1800)])
    assert rolled == Figures(1000, 600_000, 600, 720)


def test_a_part_without_incidents_carries_no_weight_and_nothing_at_all_is_refused():
    assert roll_up([Figures(10, 5000, 500, 800), Figures(0, 0, 0, 0)]).centile90_seconds == 800
    with pytest.raises(ValueError, match="nothing to roll up"):
        roll_up([Figures(0, 0, 0, 0)])
