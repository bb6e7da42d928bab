"""Controlled drugs pages, mounted at /medicines/."""

from django.urls import path

from candour.medicines import views

app_name = "medicines"
urlpatterns = [
    path("", views.list_premises, name="list_premises"),
    path("premises/new/", views.add_premises, name="add_premises"),
    path("expiring/", views.list_expiring, name="list_expiring"),
    path("reconciliation/", views.list_reconciliation, name="list_reconciliation"),
    path(
        "reconciliation/clinicians/<uuid:clinician_id>/",
        views.show_clinician_exceptions,
        name="show_clinician_exceptions",
    ),
    path("patterns/", views.show_patterns, name="show_patterns"),
    path("premises/<uuid:premises_id>/expiry/", views.show_expiry, name="show_expiry"),
    path("premises/<uuid:premises_id>/", views.show_premises, name="show_premises"),
    path("premises/<uuid:premises_id>/parts/new/", views.open_part, name="open_part"),
    path("premises/<uuid:premises_id>/record/", views.record_entry, name="record_entry"),
    path("premises/<uuid:premises_id>/transfer/", views.record_transfer, name="record_transfer"),
    path("registers/<uuid:register_part_id>/", views.show_register, name="show_register"),
    path("registers/<uuid:register_part_id>/download/", views.export_register, name="export_register"),
    path("registers/<uuid:register_part_id>/register.pdf", views.print_register, name="print_register"),
    path("entries/<uuid:register_entry_id>/correct/", views.correct_entry, name="correct_entry"),
    path("premises/<uuid:premises_id>/count/", views.count_stock, name="count_stock"),
    path("checks/<uuid:stock_check_id>/", views.show_stock_check, name="show_stock_check"),
    path("discrepancies/<uuid:discrepancy_id>/", views.show_discrepancy, name="show_discrepancy"),
    path(
        "discrepancies/<uuid:discrepancy_id>/report-onward/",
        views.record_onward_report,
        name="record_onward_report",
    ),
    path(
        "onward-reports/<uuid:onward_report_id>/outcome/",
        views.record_onward_outcome,
        name="record_onward_outcome",
    ),
]
