"""Status tags: each status enum says once which design-system colour each of its values wears, and every
page shows a status through `tag_for`, so a status looks the same wherever it appears."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

# The NHS.UK frontend's tag colours (nhsuk-tag--<colour>).
COLOURS = frozenset(
    {"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"}
)


def tag_colours(colours: Mapping[Enum, str]):
    """Class decorator for a status enum: the colour of every one of its values. A value left out, or a
    colour the design system does not have, fails at import, not on a page."""

    def attach(enum_class):
        by_value = {getattr(member, "value", member): colour for member, colour in colours.items()}
        missing = [member for member in enum_class if member.value not in by_value]
        wrong = sorted(set(by_value.values()) - COLOURS)
        if missing or wrong:
            raise ValueError(f"{enum_class.__name__}: no colour for {missing}, or unknown colours {wrong}")
        enum_class._tag_colours = by_value
        return enum_class

    return attach


def colour_of(member: Enum) -> str:
    return type(member)._tag_colours[member.value]


def tag_for(member: Enum, text: str | None = None) -> dict:
    """Parameters for the design system's tag macro: the status's label (or `text`) in its colour."""
    label = text if text is not None else getattr(member, "label", str(member.value))
    return {"text": str(label), "classes": f"nhsuk-tag--{colour_of(member)}"}
