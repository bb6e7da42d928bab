"""Learning tasks, one module per area. Importing this package registers them all."""

from candour.learning.tasks import apprenticeships, briefings, training  # noqa: F401
