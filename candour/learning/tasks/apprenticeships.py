"""Learning tasks: apprenticeships."""
