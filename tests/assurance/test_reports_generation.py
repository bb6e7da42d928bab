"""Generating reports for real: each kind made end to end, its PDF (WeasyPrint) read back as text for the
sections a reader expects; progress saved as each step starts; a failing step or a failed save leaving no
file, and a fresh attempt succeeding once the cause is gone; old files cleared away."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import threading
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from candour.assurance.models import (
    EvidenceLink,
    FindingSource,
    KeyQuestion,
    MeasureBinding,
    MeasureSnapshot,
    MonitoringTheme,
    MonitoringVisit,
    Progress,
    QualityStatement,
    ReportKind,
    ReportRun,
    ReportStatus,
    SelfAssessment,
    ThemeJudgement,
    ThemeMeasure,
)
from candour.assurance.reports.render import render_pdf
from candour.assurance.services import plans as plans_services
from candour.assurance.services import reports as services
from candour.assurance.services import risks as risks_services
from candour.core import measures as registry
from candour.core.measures import Period
from candour.core.models import AuditEvent
from candour.people.models import CoreService
from candour.people.roles import Role
from tests.support.factories import StationFactory

COMPLIANCE = "learning.safeguarding_children_l3_compliance"
LOW_LEVEL = "speakup.low_level_concerns_per_100_staff"
FEEL_SAFE = "learning.apprentices_feel_safe"
TODAY = dt.date(2026, 3, 14)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(path).pages))


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(dt.datetime(2026, 3, 14, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reports_folder(media):
    return media / services.REPORTS_DIR


@pytest.fixture
def trust(db):
    return StationFactory(parent__parent__name="Calderbrook Ambulance Service NHS Trust").parent.parent


@pytest.fixture
def board_member(make_user, trust):
    return make_user(Role.EXECUTIVE, trust)


def keep(key: str, unit, values: list[float], *, ending: dt.date = TODAY) -> None:
    """Snapshots of a measure for the months ending with the one holding `ending`, oldest value first."""
    periods = Period.month(ending.year, ending.month).previous_months(len(values))
    MeasureSnapshot.objects.bulk_create(
        MeasureSnapshot(
            measure_key=key, unit=unit, month=period.start, value=value, computed_at=timezone.now()
        )
        for period, value in zip(periods, values, strict=True)
    )


@pytest.fixture
def measures_kept(trust):
    # Compliance climbs steadily (a run of improvement); low-level concerns hover.
    keep(COMPLIANCE, trust, [50 + month for month in range(24)])
    keep(LOW_LEVEL, trust, [2.1, 2.4, 1.9, 2.2, 2.0, 2.3, 2.1, 1.8, 2.2, 2.4, 2.0, 2.1] * 2)


@pytest.fixture
def optimistic_safeguarding(trust, lead):
    """Managers score safeguarding 4 in emergency and urgent care; the compliance bound to it scores 2."""
    statement = QualityStatement.objects.get(code="safe-safeguarding")
    MeasureBinding.objects.create(
        quality_statement=statement,
        measure_key=COMPLIANCE,
        score_2_from=60,
        score_3_from=85,
        score_4_from=95,
        bound_by=lead,
    )
    assessment = SelfAssessment.objects.create(
        quality_statement=statement,
        core_service=CoreService.objects.get(slug="emergency-urgent-care"),
        score=4,
        narrative="Safeguarding is embedded: every crew knows how to refer.",
        assessed_on=TODAY - dt.timedelta(days=20),
        assessed_by=lead,
    )
    EvidenceLink.objects.create(assessment=assessment, measure_key=COMPLIANCE)
    EvidenceLink.objects.create(
        assessment=assessment,
        document_title="Safeguarding annual report",
        document_location="Board papers, safeguarding committee",
    )
    return statement


@pytest.fixture
def slipping_plan(trust, lead, optimistic_safeguarding):
    plan = plans_services.create_plan(
        by=lead,
        title="Safeguarding training that every role needs",
        finding="Level 3 safeguarding training below 70%.",
        source=FindingSource.CANDOUR_GAP,
        quality_statement=optimistic_safeguarding,
        unit=trust,
        owner=lead,
    )
    plans_services.add_action(
        by=lead,
        plan=plan,
        title="Book every paramedic on level 3",
        owner=lead,
        starts_on=TODAY - dt.timedelta(days=200),
        due_on=TODAY - dt.timedelta(days=10),
        measure_key=COMPLIANCE,
        target=90,
        baseline=55,
    )
    return plan


@pytest.fixture
def risk(trust, lead):
    return risks_services.create_risk(
        by=lead,
        title="Apprentices harassed on placement go unheard",
        description="Cause, event and effect.",
        controls="Sexual safety pulse; named contacts.",
        unit=trust,
        owner=lead,
        review_due_on=TODAY + dt.timedelta(days=30),
        inherent_likelihood=4,
        inherent_consequence=4,
        current_likelihood=4,
        current_consequence=4,
        target_likelihood=2,
        target_consequence=3,
        linked_actions=[],
    )


def request(kind, trust, by, **fields) -> ReportRun:
    return services.request_report(by=by, kind=kind, unit=trust, **fields)


@pytest.fixture
def broken_source():
    """A data-defined measure source (like a survey's questions) that fails when the registry is read."""

    def source():
        raise RuntimeError("the survey store is unavailable")

    registry.register_source(source)
    yield source
    if source in registry._sources:
        registry._sources.remove(source)


# Each kind, end to end


def test_the_board_report_is_made_as_html_and_pdf_with_every_section(
    trust, board_member, media, reports_folder, measures_kept, slipping_plan, risk
):
    run = request(ReportKind.BOARD, trust, board_member)

    services.generate(run)

    run.refresh_from_db()
    assert (run.status, run.progress, run.stage, run.error) == (ReportStatus.READY, 100, "Ready", "")
    assert files_in(reports_folder) == [f"{run.public_id}.html", f"{run.public_id}.pdf"]
    pdf = media / run.pdf_file
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "Calderbrook Ambulance Service NHS Trust",
        "Board assurance report",
        "Generated on 14 March 2026",
        "Charts end with 28 February 2026, the last complete month",
        "Judged on February 2026, complete months only",
        "Summary",
        "Measures",
        "Candour gap",
        "Ratings",
        "Action plans",
        "Risks",
        "Safeguarding children training compliance at level 3",
        "Low-level concerns per 100 staff",
        "Special cause variation: improvement",
        "Target 90%",  # the open plan's target is charted
        "Safe: Safeguarding Emergency and urgent care 4 2 2",  # the flagged statement and its gap
        "Safeguarding training that every role needs",
        "Book every paramedic on level 3",
        "Overdue",
        "Apprentices harassed on placement go unheard",
        "1 of 1 open risks above appetite",
        "1 of 1 action plans off track",
    ):
        assert expected in text, expected
    page = (media / run.html_file).read_text()
    # One span judged, named alike on the cover, the gap and the ratings; March, under way, judges nothing.
    assert "with every judgement from measures made on February 2026" in page
    assert "evidence score its bound measures give, judged on February 2026." in page
    assert "(judged on February 2026)" in page
    assert "March 2026)" not in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and '<svg class="candour-chart"' in page
    assert "<script" not in page and "<link" not in page
    assert AuditEvent.objects.filter(action="generated_report", object_id=str(run.public_id)).exists()


def test_the_cqc_pack_holds_each_statements_self_assessment_evidence_gap_and_plans(
    trust, board_member, media, measures_kept, slipping_plan
):
    run = request(ReportKind.CQC_EVIDENCE, trust, board_member, key_question=KeyQuestion.SAFE)

    services.generate(run)

    run.refresh_from_db()
    assert run.status == ReportStatus.READY
    text = pdf_text(media / run.pdf_file)
    for expected in (
        "CQC inspection evidence pack: Safe",
        "Self-judgement",
        "Quality statements",
        "Candour gap",
        "Action plans",
        "Learning culture",  # every statement of the key question, assessed or not
        "Medicines optimisation",
        "Safeguarding is embedded: every crew knows how to refer.",
        "Safeguarding annual report (Board papers, safeguarding committee)",
        "Judged on February 2026, complete months only",
        "Evidence score from measures (February 2026): 2.",  # March, under way, is not judged
        "Safeguarding children training compliance at level 3 by month",
        "Safeguarding training that every role needs",
        "Emergency and urgent care",
    ):
        assert expected in text, expected
    assert "Gap 2" in text


def test_the_ofsted_pack_sets_our_judgement_beside_the_visits_with_the_evidence_since(
    trust, lead, board_member, media, measures_kept
):
    theme = MonitoringTheme.objects.get(code="safeguarding")
    keep(FEEL_SAFE, trust, [70, 72, 75, 80, 84, 88, 91])
    ThemeMeasure.objects.create(theme=theme, measure_key=FEEL_SAFE)
    visit = MonitoringVisit.objects.create(
        visited_on=dt.date(2025, 9, 10),
        summary="Apprentices did not all know how to raise a concern.",
        recorded_by=lead,
    )
    ThemeJudgement.objects.create(
        theme=theme, visit=visit, progress=Progress.INSUFFICIENT, judged_on=visit.visited_on, judged_by=lead
    )
    ThemeJudgement.objects.create(
        theme=theme,
        progress=Progress.REASONABLE,
        narrative="A named safeguarding contact for every apprentice.",
        judged_on=dt.date(2026, 2, 20),
        judged_by=lead,
    )
    plans_services.create_plan(
        by=lead,
        title="Every apprentice knows how to raise a concern",
        finding="Not all apprentices knew how to raise a concern.",
        source=FindingSource.MONITORING_VISIT,
        monitoring_theme=theme,
        unit=trust,
        owner=lead,
    )
    run = request(ReportKind.OFSTED_READINESS, trust, board_member, monitoring_theme=theme)

    services.generate(run)

    run.refresh_from_db()
    assert run.status == ReportStatus.READY
    text = pdf_text(media / run.pdf_file)
    for expected in (
        "Ofsted monitoring-visit readiness pack: Safeguarding",
        "effective safeguarding arrangements",
        "Last visit",
        "Self-judgement",
        "Evidence since the last visit",
        "Action plans",
        "Insufficient progress",
        "Reasonable progress",
        "A named safeguarding contact for every apprentice.",
        "Apprentices who say they feel safe by month",
        "Sep 2025",  # the charts start with the visit's month
        "Every apprentice knows how to raise a concern",
    ):
        assert expected in text, expected
    assert "Aug 2025" not in text


# Progress


def test_each_steps_progress_is_saved_before_the_step_runs(trust, board_member, media):
    """A measure source reads the run's saved state while the measures step asks the registry."""
    run = request(ReportKind.BOARD, trust, board_member)
    seen = []

    def watching():
        seen.append(ReportRun.objects.values_list("status", "progress", "stage").get(pk=run.pk))
        return []

    registry.register_source(watching)
    try:
        services.generate(run)
    finally:
        registry._sources.remove(watching)

    assert seen[0] == (ReportStatus.RUNNING, 0, "Measures and their SPC charts")
    run.refresh_from_db()
    assert run.status == ReportStatus.READY


def test_a_run_already_taken_by_a_worker_is_left_alone(trust, board_member, media, reports_folder):
    run = request(ReportKind.BOARD, trust, board_member)
    services.generate(run)
    made = (media / run.pdf_file).stat().st_mtime_ns

    again = services.generate(ReportRun.objects.get(pk=run.pk))

    assert again.status == ReportStatus.READY
    assert (media / run.pdf_file).stat().st_mtime_ns == made
    assert AuditEvent.objects.filter(action="generated_report").count() == 1


def test_the_worker_task_generates_the_run_it_is_given(trust, board_member, media):
    from candour.assurance.tasks.reports import generate_report

    run = request(ReportKind.CQC_EVIDENCE, trust, board_member, key_question=KeyQuestion.CARING)

    assert generate_report.call(run.pk) == ReportStatus.READY
    assert (media / ReportRun.objects.get(pk=run.pk).pdf_file).exists()


# Failures


def test_a_step_that_fails_leaves_no_file_says_why_and_a_fresh_attempt_succeeds_once_fixed(
    trust, board_member, media, reports_folder, broken_source, client_for
):
    run = request(ReportKind.BOARD, trust, board_member)

    services.generate(run)

    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED
    assert run.stage == "Measures and their SPC charts"
    assert run.error == "Something unexpected stopped it: the survey store is unavailable"
    assert (run.html_file, run.pdf_file) == ("", "")
    assert files_in(reports_folder) == []
    assert AuditEvent.objects.get(action="report_failed").changes["stage"] == "Measures and their SPC charts"
    client = client_for(board_member)
    page = client.get(f"/assurance/reports/{run.public_id}/").content.decode()
    assert "the survey store is unavailable" in page
    assert client.get(f"/assurance/reports/{run.public_id}/report.pdf").status_code == 404

    response = client.post(f"/assurance/reports/{run.public_id}/try-again/")
    fresh = ReportRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/assurance/reports/{fresh.public_id}/"
    registry._sources.remove(broken_source)
    services.generate(fresh)

    fresh.refresh_from_db()
    assert fresh.status == ReportStatus.READY
    assert files_in(reports_folder) == [f"{fresh.public_id}.html", f"{fresh.public_id}.pdf"]
    assert client.get(f"/assurance/reports/{fresh.public_id}/report.pdf").status_code == 200


def test_a_save_that_fails_half_way_removes_the_file_already_in_place(
    trust, board_member, media, reports_folder
):
    run = request(ReportKind.CQC_EVIDENCE, trust, board_member, key_question=KeyQuestion.RESPONSIVE)
    # Something occupies the PDF's name, so the HTML is renamed into place and then the PDF cannot be.
    (reports_folder / f"{run.public_id}.pdf").mkdir(parents=True)

    services.generate(run)

    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED
    assert run.stage == "Saving the files"
    assert run.error.startswith("The report's files could not be saved")
    assert (run.html_file, run.pdf_file) == ("", "")
    assert files_in(reports_folder) == [
        f"{run.public_id}.pdf"
    ]  # only the obstacle: no HTML, no temporary file
    assert (reports_folder / f"{run.public_id}.pdf").is_dir()


def test_making_a_pdf_fetches_nothing_from_the_network():
    """Report text comes from people; an address in it must never make the server fetch anything."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = render_pdf(
            f'<!DOCTYPE html><html><head><link rel="stylesheet" href="{address}/style.css"></head>'
            f'<body><p>Evidence</p><img src="{address}/chart.png" alt="chart"></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()

    assert pdf.startswith(b"%PDF")
    assert asked == []


# Clearing old files


def test_old_report_files_are_removed_and_the_run_stays_on_record(
    trust, board_member, media, reports_folder, settings, client_for
):
    settings.CANDOUR_REPORT_KEEP_DAYS = 30
    run = request(ReportKind.BOARD, trust, board_member)
    services.generate(run)
    leftover = reports_folder / ".stopped-worker.tmp"
    leftover.write_bytes(b"half")
    two_days_before = dt.datetime(2026, 4, 13, 10, tzinfo=dt.UTC).timestamp()
    os.utime(leftover, (two_days_before, two_days_before))

    assert services.clean_up_reports(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert len(files_in(reports_folder)) == 3

    with time_machine.travel(dt.datetime(2026, 4, 15, 10, tzinfo=dt.UTC), tick=False):
        removed = services.clean_up_reports()
        page = client_for(board_member).get(f"/assurance/reports/{run.public_id}/").content.decode()

    assert removed == 1
    assert files_in(reports_folder) == []
    run.refresh_from_db()
    assert (run.status, run.html_file, run.pdf_file) == (ReportStatus.READY, "", "")
    assert "files were removed 30 days after it was made" in page
    assert AuditEvent.objects.filter(action="removed_report_files").count() == 1
