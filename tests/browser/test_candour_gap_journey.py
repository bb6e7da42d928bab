"""The candour gap, in the browser with axe on every page: managers have scored safeguarding in emergency and
urgent care as exceptional; the quality lead binds safeguarding children level 3 training compliance (about
70%) to the Safeguarding quality statement (first with thresholds in the wrong order, and sees why), then
sees the gap flagged on the statement and on the candour gap page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candour.assurance.models import MeasureSnapshot, QualityStatement, SelfAssessment
from candour.core.months import last_complete_month
from candour.people.models import CoreService
from candour.people.roles import Role
from tests.support.factories import TrustFactory

L3 = "learning.safeguarding_children_l3_compliance"


@pytest.fixture
def quality_lead(make_user):
    trust = TrustFactory(name="Northmoor Ambulance Service NHS Trust")
    lead = make_user(Role.QUALITY_LEAD, trust)
    today = timezone.localdate()
    MeasureSnapshot.objects.create(
        measure_key=L3,
        unit=trust,
        month=last_complete_month(today).start,
        value=70.4,
        denominator=350,
        computed_at=timezone.now(),
    )
    SelfAssessment.objects.create(
        quality_statement=QualityStatement.objects.get(code="safe-safeguarding"),
        core_service=CoreService.objects.get(slug="emergency-urgent-care"),
        score=4,
        narrative="Safeguarding is embedded: every crew knows how to refer.",
        assessed_on=today - dt.timedelta(days=20),
        assessed_by=lead,
    )
    return lead


def test_given_an_optimistic_self_assessment_when_the_lead_binds_evidence_then_the_gap_is_flagged(
    journey, quality_lead
):
    page = journey.page

    # given_the_quality_lead_finds_safeguarding_in_emergency_and_urgent_care
    journey.sign_in(quality_lead.email)
    journey.visit(reverse("assurance:show_framework"))
    journey.click_link("Self-assessed safe rating for Emergency and urgent care")
    journey.click_link("Safeguarding")
    expect(
        page.get_by_text("No measure is bound to this statement, so it has no evidence score.")
    ).to_be_visible()

    # when_they_bind_level_3_training_with_thresholds_in_the_wrong_order_they_see_why
    journey.click_link("Bind a measure to safeguarding")
    page.get_by_label("Measure", exact=True).select_option(L3)
    journey.fill("Value at which the score reaches 2: some shortfalls", "85")
    journey.fill("Value at which the score reaches 3: good", "60")
    journey.fill("Value at which the score reaches 4: exceptional", "95")
    journey.press_button("Bind measure")
    expect(
        page.get_by_role("link", name="Higher is better for this measure, so the thresholds must rise")
    ).to_be_visible()

    # and_then_enter_them_rising
    journey.fill("Value at which the score reaches 2: some shortfalls", "60")
    journey.fill("Value at which the score reaches 3: good", "85")
    journey.press_button("Bind measure")
    expect(
        page.get_by_text("Safeguarding children training compliance at level 3 is bound to Safeguarding")
    ).to_be_visible()

    # then_the_statement_shows_the_gap
    expect(page.get_by_role("heading", name="Assessed more optimistically than the evidence")).to_be_visible()
    expect(page.get_by_text("Self-assessed 4, evidence score 2.0: 2.0 more optimistic")).to_be_visible()
    expect(
        page.get_by_role("row", name="Safeguarding children training compliance at level 3")
    ).to_contain_text("70.4")

    # and_the_candour_gap_page_lists_it
    journey.click_link("Back to safe for Emergency and urgent care")
    journey.click_link("Back to the CQC framework")
    journey.click_link("Candour gap: where we score ourselves above the evidence")
    table = page.get_by_role(
        "table", name="Flagged statements in Emergency and urgent care, most optimistic first"
    )
    expect(table.get_by_role("row", name="Safeguarding")).to_contain_text("2.0 more optimistic")
    chart = "Quality statements assessed more optimistically than the evidence"
    expect(page.get_by_text(chart, exact=True)).to_be_visible()
