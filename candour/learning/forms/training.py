"""Learning forms: training."""
