"""Learning URLs: briefings."""

from django.urls import path

from candour.learning.views import briefings as views

urlpatterns = [
    path("", views.list_briefings, name="list_briefings"),
    path("new/", views.publish_briefing, name="publish_briefing"),
    path("<uuid:briefing_id>/", views.show_briefing, name="show_briefing"),
    path("<uuid:briefing_id>/acknowledge/", views.acknowledge_briefing, name="acknowledge_briefing"),
    path("<uuid:briefing_id>/report/", views.show_briefing_report, name="show_briefing_report"),
]
