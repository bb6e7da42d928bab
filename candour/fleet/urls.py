"""Fleet and equipment pages, mounted at /fleet/."""

from django.urls import path

from candour.fleet import views

app_name = "fleet"
urlpatterns = [
    path("", views.show_overdue, name="show_overdue"),
    path("overdue/", views.list_overdue, name="list_overdue"),
    path("vehicles/", views.list_vehicles, name="list_vehicles"),
    path("vehicles/<uuid:vehicle_id>/", views.show_vehicle, name="show_vehicle"),
    path("equipment/", views.list_assets, name="list_assets"),
    path("equipment/<uuid:asset_id>/", views.show_asset, name="show_asset"),
    path("equipment/<uuid:asset_id>/quarantine/", views.quarantine_asset, name="quarantine_asset"),
    path("results/new/", views.record_result, name="record_result"),
    path("checks/", views.list_vehicle_checks, name="list_vehicle_checks"),
    path("checks/shifts/", views.show_shift_checks, name="show_shift_checks"),
    path("checks/shifts/station/", views.show_station_shifts, name="show_station_shifts"),
    path("checks/shifts/list/", views.list_shifts, name="list_shifts"),
    path("vehicles/<uuid:vehicle_id>/check/", views.check_vehicle, name="check_vehicle"),
    path("defects/<uuid:defect_id>/clear/", views.clear_defect, name="clear_defect"),
    path("notices/", views.list_notices, name="list_notices"),
    path("notices/new/", views.record_notice, name="record_notice"),
    path("notices/<uuid:notice_id>/", views.show_notice, name="show_notice"),
    path("notices/assets/<uuid:affected_id>/action/", views.action_notice, name="action_notice"),
    path("vehicles/<uuid:vehicle_id>/clean/", views.record_clean, name="record_clean"),
    path("cleaning/overdue/", views.list_overdue_cleans, name="list_overdue_cleans"),
    path("audits/", views.list_audits, name="list_audits"),
    path("audits/new/", views.record_audit, name="record_audit"),
    path("bariatric/", views.show_bariatric_provision, name="show_bariatric_provision"),
    path("bariatric/capability/", views.list_capability, name="list_capability"),
    path("bariatric/vehicles/", views.list_bariatric_vehicles, name="list_bariatric_vehicles"),
    path("bariatric/requests/", views.list_bariatric_requests, name="list_bariatric_requests"),
    path("bariatric/flagged/", views.list_flagged_incidents, name="list_flagged_incidents"),
    path("bariatric/requests/new/", views.record_bariatric_request, name="record_bariatric_request"),
    path(
        "bariatric/requests/<uuid:bariatric_request_id>/",
        views.update_bariatric_request,
        name="update_bariatric_request",
    ),
    path(
        "bariatric/requests/<uuid:bariatric_request_id>/review/",
        views.review_bariatric_request,
        name="review_bariatric_request",
    ),
    path("bariatric/partners/new/", views.record_partner, name="record_partner"),
    path("equipment/<uuid:asset_id>/capability/", views.record_capability, name="record_capability"),
]
