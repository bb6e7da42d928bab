"""Assurance pages: action plans, their actions and milestones."""

from django.urls import path

from candour.assurance.views import plans as views

urlpatterns = [
    path("", views.list_plans, name="list_plans"),
    path("new/", views.create_plan, name="create_plan"),
    path("<uuid:plan_id>/", views.show_plan, name="show_plan"),
    path("<uuid:plan_id>/edit/", views.edit_plan, name="edit_plan"),
    path("<uuid:plan_id>/actions/new/", views.add_action, name="add_action"),
    path("actions/<uuid:action_id>/", views.show_action, name="show_action"),
    path("actions/<uuid:action_id>/edit/", views.edit_action, name="edit_action"),
    path("actions/<uuid:action_id>/milestones/new/", views.add_milestone, name="add_milestone"),
    path("actions/<uuid:action_id>/evidence/new/", views.add_evidence, name="add_evidence"),
    path("actions/<uuid:action_id>/complete/", views.complete_action, name="complete_action"),
    path("actions/<uuid:action_id>/reopen/", views.reopen_action, name="reopen_action"),
    path("milestones/<uuid:milestone_id>/edit/", views.edit_milestone, name="edit_milestone"),
    path("milestones/<uuid:milestone_id>/done/", views.record_milestone, name="record_milestone"),
]
