"""A measure's page in the browser, with axe on every page: apprentice reviews on time run close to 100%,
so the upper process limit works out above 100% and is drawn and tabled at 100%, marked; the latest
months have shifted upward, and the quality lead recalculates the limits from the month the shift began,
sees where, and undoes it. The same page and form work with JavaScript turned off."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candour.assurance.models import LimitRecalculation, MeasureSnapshot
from candour.core.months import last_complete_month
from candour.people.roles import Role
from tests.support.browser import sign_in
from tests.support.factories import TrustFactory

KEY = "learning.reviews_on_time"
# 23 complete months, swinging close to 100%, the last seven of them a shift upward; then this month so far.
VALUES = [99, 93, 100, 94, 99, 92, 100, 95, 98, 93, 100, 94, 99, 95, 100, 93, 99, 100, 99, 100, 99, 100, 99]


@pytest.fixture
def quality_lead(make_user):
    trust = TrustFactory(name="Northmoor Ambulance Service NHS Trust")
    months = last_complete_month(timezone.localdate()).previous_months(len(VALUES))
    for period, value in zip(months, VALUES, strict=True):
        MeasureSnapshot.objects.create(
            measure_key=KEY, unit=trust, month=period.start, value=value, computed_at=timezone.now()
        )
    this_month = timezone.localdate().replace(day=1)
    MeasureSnapshot.objects.create(
        measure_key=KEY, unit=trust, month=this_month, value=97, computed_at=timezone.now()
    )
    lead = make_user(Role.QUALITY_LEAD, trust)
    lead.shift_began = months[-7]
    return lead


def test_given_a_share_near_100_when_the_lead_recalculates_from_the_shift_then_the_chart_shows_where(
    journey, quality_lead
):
    page = journey.page
    began = quality_lead.shift_began.label

    # given_the_quality_lead_opens_the_measure
    journey.sign_in(quality_lead.email)
    journey.visit(reverse("assurance:list_measures"))
    journey.click_link("Apprentice progress reviews on time")

    # then_the_upper_limit_is_held_at_100_and_marked_and_this_month_is_so_far
    table = page.locator("table.candour-spc__table")
    expect(table).to_contain_text("100.0% (cannot be higher)")
    expect(page.get_by_text("drawn and tabled at 0% or 100%")).to_be_visible()
    expect(table.locator("tr.candour-spc__so-far")).to_contain_text("Not judged: the month is not over")

    # when_they_recalculate_without_a_reason_they_are_told_what_is_missing
    expect(page.get_by_role("heading", name=f"A shift began in {began}")).to_be_visible()
    journey.press_button(f"Recalculate the limits from {began}")
    expect(page.get_by_role("link", name="Enter why the process has changed")).to_be_visible()

    # and_with_a_reason_the_limits_start_again_from_the_month_the_shift_began
    journey.fill("Why the process has changed", "A second reviewer joined the apprenticeship team")
    journey.press_button(f"Recalculate the limits from {began}")
    expect(page.get_by_text(f"Limits recalculated from {began}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Where the limits were recalculated")).to_be_visible()
    expect(table.locator(f'tr[data-month="{quality_lead.shift_began.start:%Y-%m}"]')).to_contain_text(
        "Limits recalculated from this month."
    )

    # and_they_can_undo_it
    journey.press_button(f"Undo the recalculation from {began}")
    expect(page.get_by_text(f"Limits are no longer recalculated from {began}")).to_be_visible()
    assert not LimitRecalculation.objects.exists()


def test_given_no_javascript_the_measure_page_and_its_recalculation_still_work(
    context, live_server, quality_lead
):
    context.close()
    no_script = context.browser.new_context(java_script_enabled=False, locale="en-GB")
    page = no_script.new_page()
    began = quality_lead.shift_began.label
    sign_in(page, live_server, quality_lead.email)
    page.goto(live_server.url + reverse("assurance:show_measure", kwargs={"measure_key": KEY}))
    expect(page.locator("table.candour-spc__table")).to_contain_text("100.0% (cannot be higher)")
    page.get_by_label("Why the process has changed", exact=True).fill("A second reviewer joined")
    with page.expect_event("load"):
        page.get_by_role("button", name=f"Recalculate the limits from {began}", exact=True).click()
    expect(page.get_by_role("heading", name="Where the limits were recalculated")).to_be_visible()
    assert LimitRecalculation.objects.get().from_month == quality_lead.shift_began.start
    no_script.close()
