"""Helpers shared by the test suite: factories, a real SMTP server, and the browser harness's axe check."""
