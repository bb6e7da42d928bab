"""Learning services: apprenticeships."""
