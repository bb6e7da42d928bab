"""Assurance pages: measures."""

urlpatterns = []
