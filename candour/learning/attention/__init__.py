"""Learning attention, one module per area. Importing this package registers them all."""

from candour.learning.attention import apprenticeships, briefings, training  # noqa: F401
