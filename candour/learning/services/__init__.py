"""Learning services, one module per area: training, briefings, apprenticeships."""
