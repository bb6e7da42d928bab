"""Learning attention: briefings."""
