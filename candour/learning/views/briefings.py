"""Learning views: briefings."""
