"""Assurance pages: reports."""

from django.urls import path

from candour.assurance.views import reports

urlpatterns = [
    path("", reports.list_reports, name="list_reports"),
    path("board/", reports.request_board_report, name="request_board_report"),
    path("cqc-evidence/", reports.request_cqc_pack, name="request_cqc_pack"),
    path("ofsted-readiness/", reports.request_ofsted_pack, name="request_ofsted_pack"),
    path("<uuid:run_id>/", reports.show_report_run, name="show_report_run"),
    path("<uuid:run_id>/try-again/", reports.retry_report_run, name="retry_report_run"),
    path("<uuid:run_id>/report.html", reports.download_report_html, name="download_report_html"),
    path("<uuid:run_id>/report.pdf", reports.download_report_pdf, name="download_report_pdf"),
]
