"""Speak-up URLs: reports."""

from django.urls import path

from candour.speakup.views import reports

urlpatterns = [
    path("guardian-return/", reports.show_guardian_return, name="show_guardian_return"),
    path("themes/", reports.show_themes, name="show_themes"),
]
