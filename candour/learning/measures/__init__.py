"""Learning measures, one module per area. Importing this package registers them all."""

from candour.learning.measures import apprenticeships, briefings, training  # noqa: F401
