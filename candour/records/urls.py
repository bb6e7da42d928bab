"""Patient records pages, mounted at /records/."""

from django.urls import path

from candour.records import views

app_name = "records"
urlpatterns = [
    path("", views.show_overview, name="show_overview"),
    path("list/", views.list_records, name="list_records"),
    path("completeness/", views.show_completeness, name="show_completeness"),
    path("paper/", views.list_custody_exceptions, name="list_custody_exceptions"),
    path("<uuid:record_id>/", views.show_record, name="show_record"),
    path("<uuid:record_id>/lost/", views.mark_record_lost, name="mark_record_lost"),
    path("<uuid:record_id>/nhs-number/", views.show_nhs_number, name="show_nhs_number"),
    path("<uuid:record_id>/review/", views.send_record_review, name="send_record_review"),
    path("crew/", views.show_crew_completeness, name="show_crew_completeness"),
    path("crew/list/", views.list_crew_records, name="list_crew_records"),
    path("incidents/", views.list_unmatched, name="list_unmatched"),
    path("mine/", views.show_my_records, name="show_my_records"),
    path("mine/list/", views.list_my_records, name="list_my_records"),
    path("mine/reviews/", views.list_my_reviews, name="list_my_reviews"),
    path(
        "reviews/<uuid:record_review_id>/acknowledge/",
        views.acknowledge_record_review,
        name="acknowledge_record_review",
    ),
    path("elements/", views.list_element_sets, name="list_element_sets"),
    path("elements/<uuid:element_set_id>/next/", views.publish_element_set, name="publish_element_set"),
    path("access-alerts/", views.list_access_alerts, name="list_access_alerts"),
    path("access-alerts/<uuid:alert_id>/", views.review_access_alert, name="review_access_alert"),
    path("access-alerts/<uuid:alert_id>/refer/", views.refer_access_alert, name="refer_access_alert"),
]
