"""Assurance's attention, one module per area; the package imports each so it registers itself."""

from candour.assurance.attention import (
    framework,  # noqa: F401 - registers itself
    leadership,  # noqa: F401 - registers itself
    plans,  # noqa: F401 - registers itself
)
