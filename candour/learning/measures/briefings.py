"""Learning measures: briefings."""
