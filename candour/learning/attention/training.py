"""Learning attention: training."""
