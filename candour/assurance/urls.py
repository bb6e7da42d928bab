"""Assurance pages in parts, each with its own module, all in the `assurance` namespace."""

from django.urls import include, path

app_name = "assurance"
urlpatterns = [
    path("measures/", include("candour.assurance.urls_measures")),
    path("framework/", include("candour.assurance.urls_framework")),
    path("plans/", include("candour.assurance.urls_plans")),
    path("risks/", include("candour.assurance.urls_risks")),
    path("reports/", include("candour.assurance.urls_reports")),
]
