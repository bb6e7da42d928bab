"""Learning tasks: briefings."""
