"""Learning views: apprenticeships."""
