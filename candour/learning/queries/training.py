"""Learning queries: training."""
