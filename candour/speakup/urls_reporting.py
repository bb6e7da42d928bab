"""Speak-up URLs: reporting."""

urlpatterns = []
