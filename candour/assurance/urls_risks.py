"""Assurance pages: the risk register."""

from django.urls import path

from candour.assurance.views import risks as views

urlpatterns = [
    path("", views.list_risks, name="list_risks"),
    path("new/", views.create_risk, name="create_risk"),
    path("<uuid:risk_id>/", views.show_risk, name="show_risk"),
    path("<uuid:risk_id>/edit/", views.edit_risk, name="edit_risk"),
    path("<uuid:risk_id>/review/", views.review_risk, name="review_risk"),
]
