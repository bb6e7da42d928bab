"""Assurance pages: reports."""

urlpatterns = []
