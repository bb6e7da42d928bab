"""Assurance pages: the CQC framework, the candour gap, inspection ratings, and Ofsted monitoring."""

from django.urls import path

from candour.assurance.views import framework as views
from candour.assurance.views import ofsted

urlpatterns = [
    path("", views.show_framework, name="show_framework"),
    path(
        "services/<slug:service_slug>/<slug:key_question>/", views.show_key_question, name="show_key_question"
    ),
    path("statements/<slug:statement_code>/bindings/new/", views.bind_measure, name="bind_measure"),
    path(
        "statements/<slug:statement_code>/<slug:service_slug>/", views.show_statement, name="show_statement"
    ),
    path(
        "statements/<slug:statement_code>/<slug:service_slug>/assess/",
        views.assess_statement,
        name="assess_statement",
    ),
    path("bindings/<uuid:binding_id>/remove/", views.remove_binding, name="remove_binding"),
    path("gap/", views.show_gap, name="show_gap"),
    path("ratings/", views.show_rating_history, name="show_rating_history"),
    path("ratings/new/", views.record_inspection_ratings, name="record_inspection_ratings"),
    path("overrides/new/", views.record_override, name="record_override"),
    path("breaches/", views.list_breaches, name="list_breaches"),
    path("breaches/new/", views.record_breach, name="record_breach"),
    path("breaches/<uuid:breach_id>/resolve/", views.resolve_breach, name="resolve_breach"),
    path("ofsted/", ofsted.show_monitoring, name="show_monitoring"),
    path("ofsted/visits/new/", ofsted.record_visit, name="record_visit"),
    path("ofsted/themes/<slug:theme_code>/", ofsted.show_theme, name="show_theme"),
    path(
        "ofsted/themes/<slug:theme_code>/judge/", ofsted.record_self_judgement, name="record_self_judgement"
    ),
    path("ofsted/themes/<slug:theme_code>/measures/new/", ofsted.add_theme_measure, name="add_theme_measure"),
    path(
        "ofsted/measures/<uuid:theme_measure_id>/remove/",
        ofsted.remove_theme_measure,
        name="remove_theme_measure",
    ),
]
