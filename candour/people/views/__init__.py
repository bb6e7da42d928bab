"""People pages, one module for each part of the work."""
