"""Candour's benchmark suite: `make bench` builds a trust of synthetic data and times it, then the pages."""
