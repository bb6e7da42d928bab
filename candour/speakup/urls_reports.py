"""Speak-up URLs: reports."""

urlpatterns = []
