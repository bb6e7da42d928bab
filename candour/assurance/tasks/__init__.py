"""Assurance's scheduled jobs, one module per area; each registers itself with the scheduler on import."""

from candour.assurance.tasks import snapshots  # noqa: F401
