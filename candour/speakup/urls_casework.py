"""Speak-up URLs: casework."""

urlpatterns = []
