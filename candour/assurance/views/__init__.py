"""Assurance views, one module per area."""
