"""Learning queries, one module per area: training, briefings, apprenticeships."""
