"""Learning views: training."""
