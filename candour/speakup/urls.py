"""Speak-up pages, in three parts each with its own module: raising and following up a concern,
case work, and reports. Each part's urls module joins this one namespace, `speakup`."""

from django.urls import include, path

app_name = "speakup"
urlpatterns = [
    path("speak-up/", include("candour.speakup.urls_reporting")),
    path("cases/", include("candour.speakup.urls_casework")),
    path("speak-up/reports/", include("candour.speakup.urls_reports")),
]
