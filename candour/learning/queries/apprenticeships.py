"""Learning queries: apprenticeships."""
