"""Assurance's read models, one module per area: plain dataclasses, aggregates done in the database."""
