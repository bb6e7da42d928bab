"""Reports through their pages: asking for one (who may, what is refused with a clear message and nothing
written), the run's page at each state (waiting, making, ready, failed, stalled), trying again, and the
downloads (only for people who may see the run, each one audited).

Generating a report for real, with WeasyPrint, is in test_reports_generation.py.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candour.assurance.models import KeyQuestion, MonitoringTheme, ReportKind, ReportRun, ReportStatus
from candour.assurance.services import reports as services
from candour.core.models import AuditEvent
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory

LIST = "/assurance/reports/"


def page_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def trust(db):
    return StationFactory().parent.parent


@pytest.fixture
def board_member(make_user, trust):
    return make_user(Role.EXECUTIVE, trust)


def run_in(trust, by, **fields) -> ReportRun:
    return ReportRun.objects.create(kind=ReportKind.BOARD, unit=trust, requested_by=by, **fields)


def ready_run(trust, by, media) -> ReportRun:
    """A ready run with both its files in place, as generation leaves it."""
    run = run_in(
        trust, by, status=ReportStatus.READY, progress=100, stage="Ready", finished_at=timezone.now()
    )
    folder = media / services.REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run.public_id}.html").write_text("<!DOCTYPE html><title>Board</title>")
    (folder / f"{run.public_id}.pdf").write_bytes(b"%PDF-1.7 board")
    run.html_file = f"reports/{run.public_id}.html"
    run.pdf_file = f"reports/{run.public_id}.pdf"
    run.save()
    return run


def queued_tasks(run: ReportRun) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path="candour.assurance.tasks.reports.generate_report")
        if task.args_kwargs["args"] == [run.pk]
    ]


# Asking for a report


def test_a_board_member_asks_for_the_board_report_then_it_is_queued_for_the_worker_and_audited(
    client_for, board_member, trust
):
    response = client_for(board_member).post("/assurance/reports/board/")

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/assurance/reports/{run.public_id}/"
    assert (run.kind, run.status, run.unit, run.requested_by) == (
        ReportKind.BOARD,
        ReportStatus.QUEUED,
        trust,
        board_member,
    )
    assert len(queued_tasks(run)) == 1
    event = AuditEvent.objects.get(action="requested_report")
    assert (event.actor, event.object_id) == (board_member, str(run.public_id))
    assert event.changes == {"kind": "board", "unit": trust.code}


def test_someone_who_may_see_reports_but_not_generate_them_cannot_ask_for_one(client_for, make_user, trust):
    safeguarding_lead = make_user(Role.SAFEGUARDING_LEAD, trust)
    client = client_for(safeguarding_lead)

    assert client.post("/assurance/reports/board/").status_code == 403
    assert "Generate the board report" not in page_of(client.get(LIST))
    assert not ReportRun.objects.exists()


def test_reports_cover_the_whole_trust_so_a_lead_who_generates_them_only_for_an_area_cannot_ask(
    client_for, make_user, trust
):
    education_lead = make_user(Role.EDUCATION_LEAD, trust.children.get())
    client = client_for(education_lead)

    assert client.post("/assurance/reports/board/").status_code == 403
    assert client.post("/assurance/reports/cqc-evidence/", {"key_question": "safe"}).status_code == 403
    assert "Generate the board report" not in page_of(client.get(LIST))
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("kindness", "Choose a key question from the list"),
        ("", "Choose the key question the pack covers"),
    ],
)
def test_a_cqc_pack_for_an_unknown_key_question_is_refused_with_a_clear_error(
    client_for, board_member, chosen, message
):
    response = client_for(board_member).post("/assurance/reports/cqc-evidence/", {"key_question": chosen})

    page = page_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_key_question"' in page
    assert page.count(message) == 2  # in the summary, and beside the field
    assert "<title>Error: Reports" in page
    assert not ReportRun.objects.exists()
    assert not AuditEvent.objects.filter(action="requested_report").exists()


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("not-a-theme", "Choose a monitoring theme from the list"),
        ("", "Choose the monitoring theme the pack covers"),
    ],
)
def test_an_ofsted_pack_for_an_unknown_theme_is_refused_with_a_clear_error(
    client_for, board_member, chosen, message
):
    response = client_for(board_member).post("/assurance/reports/ofsted-readiness/", {"theme": chosen})

    page = page_of(response)
    assert response.status_code == 200
    assert 'href="#id_theme"' in page
    assert page.count(message) == 2
    assert not ReportRun.objects.exists()


def test_a_cqc_pack_is_queued_for_the_key_question_chosen(client_for, board_member):
    response = client_for(board_member).post("/assurance/reports/cqc-evidence/", {"key_question": "well_led"})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert (run.kind, run.key_question, run.status) == (
        ReportKind.CQC_EVIDENCE,
        KeyQuestion.WELL_LED,
        ReportStatus.QUEUED,
    )
    assert len(queued_tasks(run)) == 1
    assert AuditEvent.objects.get(action="requested_report").changes["key_question"] == "well_led"


def test_an_ofsted_pack_is_queued_for_the_theme_chosen(client_for, board_member):
    theme = MonitoringTheme.objects.get(code="safeguarding")

    client_for(board_member).post("/assurance/reports/ofsted-readiness/", {"theme": "safeguarding"})

    run = ReportRun.objects.get()
    assert (run.kind, run.monitoring_theme, run.key_question) == (ReportKind.OFSTED_READINESS, theme, "")
    assert len(queued_tasks(run)) == 1


def test_the_service_refuses_a_pack_without_its_subject_and_writes_nothing(board_member, trust):
    with pytest.raises(services.ReportRefused, match="Choose a key question"):
        services.request_report(by=board_member, kind=ReportKind.CQC_EVIDENCE, unit=trust, key_question="x")
    with pytest.raises(services.ReportRefused, match="Choose a monitoring theme"):
        services.request_report(by=board_member, kind=ReportKind.OFSTED_READINESS, unit=trust)

    assert not ReportRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_list_shows_runs_of_the_trust_and_none_from_another(client_for, board_member, trust, make_user):
    other_trust = StationFactory().parent.parent
    ours = run_in(trust, board_member)
    stranger = make_user(Role.EXECUTIVE, other_trust)
    theirs = run_in(other_trust, stranger, status=ReportStatus.READY)

    page = page_of(client_for(board_member).get(LIST))

    assert f'href="/assurance/reports/{ours.public_id}/"' in page
    assert str(theirs.public_id) not in page
    assert board_member.display_name in page
    assert stranger.display_name not in page


# The run's page


def test_a_waiting_run_says_so_and_refreshes_itself_until_it_can_be_stopped(client_for, board_member, trust):
    run = run_in(trust, board_member)
    client = client_for(board_member)

    response = client.get(f"/assurance/reports/{run.public_id}/")
    page = page_of(response)
    assert response["Refresh"] == "3"
    assert "Waiting for the report worker to start" in page
    assert '<progress id="report-progress" max="100" value="0">0%</progress>' in page
    assert '<label class="nhsuk-label" for="report-progress">' in page
    assert "Download PDF" not in page

    stopped = client.get(f"/assurance/reports/{run.public_id}/?refresh=off")
    assert "Refresh" not in stopped
    assert "Update this page" in page_of(stopped)


def test_a_run_being_made_shows_how_far_it_has_got_and_what_it_is_working_on(client_for, board_member, trust):
    run = run_in(trust, board_member, status=ReportStatus.RUNNING, progress=40, stage="The candour gap")

    response = client_for(board_member).get(f"/assurance/reports/{run.public_id}/")

    page = page_of(response)
    assert response["Refresh"] == "3"
    assert 'value="40">40%</progress>' in page
    assert "40% done. Now working on: The candour gap." in page


def test_a_ready_run_offers_both_downloads_and_stops_refreshing(client_for, board_member, trust, media):
    run = ready_run(trust, board_member, media)

    response = client_for(board_member).get(f"/assurance/reports/{run.public_id}/")

    page = page_of(response)
    assert "Refresh" not in response
    assert f'href="/assurance/reports/{run.public_id}/report.pdf"' in page
    assert f'href="/assurance/reports/{run.public_id}/report.html"' in page
    assert "Download PDF" in page and "Download HTML" in page
    assert "<progress" not in page


def test_a_failed_run_says_why_in_plain_words_and_offers_to_try_again(client_for, board_member, trust):
    run = run_in(
        trust,
        board_member,
        status=ReportStatus.FAILED,
        stage="Making the PDF",
        error="Something unexpected stopped it: the disk is full",
    )

    response = client_for(board_member).get(f"/assurance/reports/{run.public_id}/")

    page = page_of(response)
    assert "Refresh" not in response
    assert "The report could not be made" in page
    assert (
        "It stopped at the step “Making the PDF”. Something unexpected stopped it: the disk is full" in page
    )
    assert "No file was made." in page
    assert f'action="/assurance/reports/{run.public_id}/try-again/"' in page
    assert "Download PDF" not in page


def test_a_run_that_stopped_moving_reads_as_failed_and_can_be_tried_again(
    client_for, board_member, trust, settings
):
    settings.CANDOUR_REPORT_TIMEOUT_SECONDS = 600
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        run = run_in(trust, board_member, status=ReportStatus.RUNNING, progress=55, stage="Making the PDF")
    client = client_for(board_member)

    with time_machine.travel(started + dt.timedelta(seconds=590), tick=False):
        assert "55% done" in page_of(client.get(f"/assurance/reports/{run.public_id}/"))

    with time_machine.travel(started + dt.timedelta(seconds=610), tick=False):
        response = client.get(f"/assurance/reports/{run.public_id}/")
        page = page_of(response)
        assert "Refresh" not in response
        assert "has not moved for over 10 minutes" in page
        assert "Try again" in page

        retried = client.post(f"/assurance/reports/{run.public_id}/try-again/")
    fresh = ReportRun.objects.exclude(pk=run.pk).get()
    assert retried["Location"] == f"/assurance/reports/{fresh.public_id}/"
    assert fresh.status == ReportStatus.QUEUED


def test_a_viewer_who_may_not_generate_sees_a_failure_without_the_try_again_button(
    client_for, make_user, board_member, trust
):
    run = run_in(trust, board_member, status=ReportStatus.FAILED, stage="Risks", error="Broken.")
    safeguarding_lead = make_user(Role.SAFEGUARDING_LEAD, trust)

    page = page_of(client_for(safeguarding_lead).get(f"/assurance/reports/{run.public_id}/"))

    assert "The report could not be made" in page
    assert "Try again" not in page


# Trying again


def test_trying_a_failed_run_again_queues_a_fresh_attempt_and_keeps_the_failure_on_record(
    client_for, board_member, trust
):
    theme = MonitoringTheme.objects.get(code="safeguarding")
    failed = ReportRun.objects.create(
        kind=ReportKind.OFSTED_READINESS,
        monitoring_theme=theme,
        unit=trust,
        requested_by=board_member,
        status=ReportStatus.FAILED,
        error="Broken.",
    )

    response = client_for(board_member).post(f"/assurance/reports/{failed.public_id}/try-again/")

    fresh = ReportRun.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == f"/assurance/reports/{fresh.public_id}/"
    assert (fresh.kind, fresh.monitoring_theme, fresh.status) == (
        ReportKind.OFSTED_READINESS,
        theme,
        ReportStatus.QUEUED,
    )
    failed.refresh_from_db()
    assert (failed.status, failed.error) == (ReportStatus.FAILED, "Broken.")
    assert len(queued_tasks(fresh)) == 1
    event = AuditEvent.objects.get(action="requested_report")
    assert event.changes["retry_of"] == str(failed.public_id)


def test_a_report_that_did_not_fail_is_not_tried_again(client_for, board_member, trust, media):
    run = ready_run(trust, board_member, media)

    response = client_for(board_member).post(f"/assurance/reports/{run.public_id}/try-again/", follow=True)

    assert ReportRun.objects.count() == 1
    assert "Only a report that failed can be tried again" in page_of(response)


def test_only_someone_who_may_generate_reports_can_try_again(client_for, make_user, board_member, trust):
    run = run_in(trust, board_member, status=ReportStatus.FAILED, error="Broken.")
    safeguarding_lead = make_user(Role.SAFEGUARDING_LEAD, trust)

    assert (
        client_for(safeguarding_lead).post(f"/assurance/reports/{run.public_id}/try-again/").status_code
        == 403
    )
    assert ReportRun.objects.count() == 1


# Downloads


def test_a_download_is_the_file_under_a_readable_name_and_is_audited(client_for, board_member, trust, media):
    run = ready_run(trust, board_member, media)
    client = client_for(board_member)

    pdf = client.get(f"/assurance/reports/{run.public_id}/report.pdf")
    page = client.get(f"/assurance/reports/{run.public_id}/report.html")

    made = timezone.localdate(run.finished_at)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 board"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="Board assurance report - {trust.name} - {made:%Y-%m-%d}.pdf"'
    )
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["Content-Disposition"].startswith("attachment;")
    assert b"".join(page.streaming_content).startswith(b"<!DOCTYPE html>")
    events = AuditEvent.objects.filter(action="downloaded").order_by("sequence")
    assert [(e.actor, e.object_id, e.changes) for e in events] == [
        (board_member, str(run.public_id), {"format": "pdf"}),
        (board_member, str(run.public_id), {"format": "html"}),
    ]


def test_another_trusts_report_is_not_found_on_any_of_its_pages(client_for, make_user, board_member, media):
    other_trust = AreaFactory().parent
    theirs = ready_run(other_trust, make_user(Role.EXECUTIVE, other_trust), media)
    theirs_failed = run_in(other_trust, theirs.requested_by, status=ReportStatus.FAILED, error="Broken.")
    client = client_for(board_member)

    for path in ("/", "/report.pdf", "/report.html"):
        assert client.get(f"/assurance/reports/{theirs.public_id}{path}").status_code == 404
    assert client.post(f"/assurance/reports/{theirs_failed.public_id}/try-again/").status_code == 404
    assert not AuditEvent.objects.filter(action="downloaded").exists()
    assert ReportRun.objects.count() == 2


def test_a_lead_whose_assurance_view_covers_only_an_area_cannot_see_the_trusts_reports(
    client_for, make_user, board_member, trust, media
):
    run = ready_run(trust, board_member, media)
    operations_manager = make_user(Role.OPERATIONS_MANAGER, trust.children.get())

    client = client_for(operations_manager)
    assert client.get(f"/assurance/reports/{run.public_id}/report.pdf").status_code == 404
    assert "No reports have been made yet." in page_of(client.get(LIST))


def test_signed_out_people_are_sent_to_sign_in(client, board_member, trust, media):
    run = ready_run(trust, board_member, media)

    response = client.get(f"/assurance/reports/{run.public_id}/report.pdf")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_run_not_yet_ready_offers_no_file(client_for, board_member, trust, media):
    run = run_in(trust, board_member, status=ReportStatus.RUNNING, progress=90, stage="Saving the files")
    folder = media / services.REPORTS_DIR
    folder.mkdir(parents=True)
    (folder / f"{run.public_id}.pdf").write_bytes(b"%PDF half")

    response = client_for(board_member).get(f"/assurance/reports/{run.public_id}/report.pdf")

    assert response.status_code == 404
