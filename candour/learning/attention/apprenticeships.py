"""Learning attention: apprenticeships."""
