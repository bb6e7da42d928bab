"""Speak-up URLs: case work, for the safeguarding lead, the guardian and their case teams."""

from django.urls import path

from candour.speakup.views import casework as views

urlpatterns = [
    path("", views.list_inbox, name="list_inbox"),
    path("today/", views.show_today, name="show_today"),
    path("tasks/", views.list_tasks, name="list_tasks"),
    path("patterns/", views.list_patterns, name="list_patterns"),
    path("patterns/<uuid:person_id>/review/", views.review_pattern, name="review_pattern"),
    path("<uuid:concern_id>/", views.show_case, name="show_case"),
    path("<uuid:concern_id>/triage/", views.triage_case, name="triage_case"),
    path("<uuid:concern_id>/entries/new/", views.add_entry, name="add_entry"),
    path("<uuid:concern_id>/entries/<int:sequence>/correct/", views.correct_entry, name="correct_entry"),
    path("<uuid:concern_id>/message/", views.message_reporter, name="message_reporter"),
    path("<uuid:concern_id>/tasks/new/", views.add_task, name="add_task"),
    path("<uuid:concern_id>/tasks/<uuid:task_id>/complete/", views.complete_task, name="complete_task"),
    path("<uuid:concern_id>/team/", views.add_team_member, name="add_team_member"),
    path("<uuid:concern_id>/referrals/new/", views.add_referral, name="add_referral"),
    path(
        "<uuid:concern_id>/referrals/<uuid:referral_id>/outcome/",
        views.record_referral_outcome,
        name="record_referral_outcome",
    ),
    path("<uuid:concern_id>/status/", views.change_status, name="change_status"),
    path("<uuid:concern_id>/close/", views.close_case, name="close_case"),
]
