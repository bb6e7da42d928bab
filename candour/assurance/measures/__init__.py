"""Assurance's measures, one module per area; the package imports each so it registers itself."""
