"""Learning measures: training."""
