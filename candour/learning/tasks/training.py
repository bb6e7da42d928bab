"""Learning tasks: training."""
