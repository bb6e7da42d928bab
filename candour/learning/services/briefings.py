"""Learning services: briefings."""
