"""Learning views, one module per area: training, briefings, apprenticeships."""
