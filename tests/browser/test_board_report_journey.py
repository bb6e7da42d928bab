"""A board member gets the board assurance report, in the browser with axe on every page: they ask for it from
the reports page, watch its page while the worker makes it (the page refreshes itself, no JavaScript), and
download the PDF, which holds the report's sections, and the HTML, which reads on its own."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candour.assurance.models import MeasureSnapshot
from candour.core.measures import Period
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory

COMPLIANCE = "learning.safeguarding_children_l3_compliance"


@pytest.fixture
def board_member(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = AreaFactory(name="Calder Vale", parent__name="Northmoor Ambulance Service NHS Trust")
    StationFactory(name="Ashby Ambulance Station", parent=area)
    trust = area.parent
    today = timezone.localdate()
    for offset, period in enumerate(Period.month(today.year, today.month).previous_months(24)):
        MeasureSnapshot.objects.create(
            measure_key=COMPLIANCE,
            unit=trust,
            month=period.start,
            value=55 + offset,
            computed_at=timezone.now(),
        )
    return make_user(Role.EXECUTIVE, trust)


def test_given_a_board_member_asks_for_the_board_report_when_it_is_made_then_they_download_the_pdf(
    journey, board_member, tmp_path
):
    page = journey.page

    # given_a_board_member_asks_for_the_board_report
    journey.sign_in(board_member.email)
    journey.visit("/assurance/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_text("No reports have been made yet.")).to_be_visible()
    journey.press_button("Generate the board report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board assurance report")
    expect(page.get_by_text("Waiting for the report worker to start")).to_be_visible()
    expect(page.get_by_label("How much of the report is made")).to_have_attribute("value", "0")

    # when_the_worker_makes_it_and_the_page_refreshes_itself
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible(timeout=15_000)
    journey.check()  # the page's own refresh brought the ready report
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Download HTML")).to_be_visible()
    expect(page.get_by_text("Stop updating this page")).to_have_count(0)

    # then_they_download_the_pdf_and_it_holds_the_reports_sections
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    pdf = download.value
    trust = "Northmoor Ambulance Service NHS Trust"
    assert pdf.suggested_filename == f"Board assurance report - {trust} - {timezone.localdate():%Y-%m-%d}.pdf"
    content = pdf.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    for section in ("Summary", "Measures", "Candour gap", "Ratings", "Action plans", "Risks"):
        assert section in text, section
    assert "Safeguarding children training compliance at level 3" in text

    # and_the_html_report_reads_on_its_own_in_the_browser
    with page.expect_download() as download:
        page.get_by_role("button", name="Download HTML").click()
    report = tmp_path / "board-report.html"
    download.value.save_as(report)
    journey.follow(lambda: page.goto(report.as_uri()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Board assurance report")
    expect(page.get_by_role("heading", name="Candour gap", exact=True)).to_be_visible()
    expect(page.locator("svg.candour-chart")).not_to_have_count(0)

    # and_the_reports_page_lists_it_as_ready
    journey.visit("/assurance/reports/")
    expect(page.locator("#recent-reports").get_by_role("row", name="Board assurance report")).to_contain_text(
        "Ready"
    )
