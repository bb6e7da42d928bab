"""Assurance pages: measures. The catalogue of every registered measure, and one measure's page with the
quality lead's recalculation of its limits."""

from django.urls import path

from candour.assurance.views import measures

urlpatterns = [
    path("", measures.list_measures, name="list_measures"),
    path("<str:measure_key>/", measures.show_measure, name="show_measure"),
    path("<str:measure_key>/recalculate/", measures.recalculate_limits, name="recalculate_limits"),
    path("<str:measure_key>/undo-recalculation/", measures.undo_recalculation, name="undo_recalculation"),
]
