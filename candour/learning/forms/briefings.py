"""Learning forms: briefings."""
