"""Assurance pages: plans."""

urlpatterns = []
