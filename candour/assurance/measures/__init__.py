"""Assurance's measures, one module per area; the package imports each so it registers itself."""

from candour.assurance.measures import (
    gap,  # noqa: F401 - registers itself
    plans,  # noqa: F401 - registers itself
)
