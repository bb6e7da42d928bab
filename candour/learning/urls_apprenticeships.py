"""Learning URLs: apprenticeships, mounted at /apprentices/."""

from django.urls import path

from candour.learning.views import apprenticeships as views

urlpatterns = [
    path("", views.show_caseload, name="show_caseload"),
    path("mine/", views.list_my_apprenticeships, name="list_my_apprenticeships"),
    path("new/", views.start_apprenticeship, name="start_apprenticeship"),
    path("transfers/", views.list_transfers, name="list_transfers"),
    path("transfers/new/", views.start_transfer, name="start_transfer"),
    path("transfers/cohort/", views.show_transfer, name="show_transfer"),
    path("transfers/cohort/packs/new/", views.request_cohort_pack, name="request_cohort_pack"),
    path("transfers/cohort/packs/<uuid:pack_id>/", views.show_cohort_pack, name="show_cohort_pack"),
    path(
        "transfers/cohort/packs/<uuid:pack_id>/download/",
        views.download_cohort_pack,
        name="download_cohort_pack",
    ),
    path("transfers/import/", views.import_transfer_bundle, name="import_transfer_bundle"),
    path("<uuid:apprenticeship_id>/", views.show_apprenticeship, name="show_apprenticeship"),
    path("<uuid:apprenticeship_id>/edit/", views.edit_apprenticeship, name="edit_apprenticeship"),
    path(
        "<uuid:apprenticeship_id>/status/",
        views.change_apprenticeship_status,
        name="change_apprenticeship_status",
    ),
    path("<uuid:apprenticeship_id>/off-the-job/new/", views.log_off_the_job, name="log_off_the_job"),
    path("<uuid:apprenticeship_id>/placements/new/", views.add_placement, name="add_placement"),
    path("<uuid:apprenticeship_id>/reviews/new/", views.schedule_review, name="schedule_review"),
    path("<uuid:apprenticeship_id>/reviews/<uuid:review_id>/", views.record_review, name="record_review"),
    path(
        "<uuid:apprenticeship_id>/reviews/<uuid:review_id>/sign-off/",
        views.sign_off_review,
        name="sign_off_review",
    ),
    path(
        "<uuid:apprenticeship_id>/safeguarding-share/",
        views.decide_safeguarding_share,
        name="decide_safeguarding_share",
    ),
    path(
        "<uuid:apprenticeship_id>/planned-transfer/cancel/",
        views.cancel_planned_transfer,
        name="cancel_planned_transfer",
    ),
    path(
        "<uuid:apprenticeship_id>/transfer-pack/", views.download_transfer_pack, name="download_transfer_pack"
    ),
]
