"""Learning measures: apprenticeships."""
