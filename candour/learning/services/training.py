"""Learning services: training."""
