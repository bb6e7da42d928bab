"""The response categories: C1 to C4 as a call is coded, and C1T, the transported share of C1."""

from enum import StrEnum


class Category(StrEnum):
    C1 = "C1"
    C1T = "C1T"
    C2 = "C2"
    C3 = "C3"
    C4 = "C4"


# The categories a call can be coded as, most urgent first; C1T is a way of counting C1, never a coding.
CODED = (Category.C1, Category.C2, Category.C3, Category.C4)
# The order AmbSYS publishes them in, and the order every table shows them in.
PUBLISHED = (Category.C1, Category.C1T, Category.C2, Category.C3, Category.C4)


def coded(text: str) -> Category:
    """The coded category a field names, or a ValueError that says which were expected."""
    try:
        category = Category(text.strip().upper())
    except ValueError:
        category = None
    if category not in CODED:
        raise ValueError(f"{text!r} is not a category (expected one of {', '.join(CODED)})")
    return category


def is_upgrade(from_category: Category, to_category: Category) -> bool:
    """Whether a re-triage moves to a more urgent category (C1 is the most urgent)."""
    return CODED.index(to_category) < CODED.index(from_category)
