"""Patient records pages, mounted at /records/."""

from django.urls import path

from candour.records import views

app_name = "records"
urlpatterns = [
    path("", views.show_overview, name="show_overview"),
    path("list/", views.list_records, name="list_records"),
    path("paper/", views.list_custody_exceptions, name="list_custody_exceptions"),
    path("<uuid:record_id>/", views.show_record, name="show_record"),
    path("<uuid:record_id>/lost/", views.mark_record_lost, name="mark_record_lost"),
    path("<uuid:record_id>/nhs-number/", views.show_nhs_number, name="show_nhs_number"),
    path("access-alerts/", views.list_access_alerts, name="list_access_alerts"),
    path("access-alerts/<uuid:alert_id>/", views.review_access_alert, name="review_access_alert"),
]
