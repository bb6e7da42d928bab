"""Assurance pages: measures. The catalogue of every registered measure, and one measure's page."""

from django.urls import path

from candour.assurance.views import measures

urlpatterns = [
    path("", measures.list_measures, name="list_measures"),
    path("<str:measure_key>/", measures.show_measure, name="show_measure"),
]
