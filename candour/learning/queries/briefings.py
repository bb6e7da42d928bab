"""Learning queries: briefings."""
