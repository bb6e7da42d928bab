"""Assurance's scheduled jobs, one module per area; each registers itself with the scheduler on import."""

from candour.assurance.tasks import (
    plans,  # noqa: F401
    reports,  # noqa: F401
    snapshots,  # noqa: F401
)
