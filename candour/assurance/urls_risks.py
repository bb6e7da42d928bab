"""Assurance pages: risks."""

urlpatterns = []
