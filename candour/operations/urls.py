"""Operations pages, mounted at /operations/."""

from django.urls import path

from candour.operations import recording_views, views

app_name = "operations"
urlpatterns = [
    path("", views.show_overview, name="show_overview"),
    path("incidents/", views.list_incidents, name="list_incidents"),
    path("ambsys.csv", views.export_ambsys, name="export_ambsys"),
    path("handovers/", views.list_handovers, name="list_handovers"),
    path("handovers/arrivals/", views.list_arrivals, name="list_arrivals"),
    path("channels/", views.show_channels, name="show_channels"),
    path("channels/incidents/", views.list_channel_incidents, name="list_channel_incidents"),
    path("recordings/", recording_views.list_recording_exceptions, name="list_recording_exceptions"),
    path("recordings/check/", recording_views.check_recordings_now, name="check_recordings_now"),
    path(
        "recordings/<uuid:exception_id>/",
        recording_views.close_recording_exception,
        name="close_recording_exception",
    ),
    path("harm-reviews/", views.list_harm_reviews, name="list_harm_reviews"),
    path("harm-reviews/<uuid:harm_review_id>/", views.show_harm_review, name="show_harm_review"),
]
