"""Assurance pages: framework."""

urlpatterns = []
