"""Learning forms, one module per area: training, briefings, apprenticeships."""
