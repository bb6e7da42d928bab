"""Assurance forms, one module per area."""
