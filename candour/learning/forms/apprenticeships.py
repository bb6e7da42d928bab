"""Learning forms: apprenticeships."""
