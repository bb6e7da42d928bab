"""Journeys over the case-work and report pages the main loop does not reach, each checked with axe at
desktop and phone widths and for reflow at 320 px: a safeguarding lead goes through the team's day, the
task list and the inbox, records the chronology, tasks, a referral and its outcome, moves the status, adds
to the team, reviews a pattern and reads the reports; a named reporter reads their concerns."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Concern, Identity, Kind, Route, Subject, Threshold
from tests.support.factories import AreaFactory, PersonFactory, StationFactory


@pytest.fixture
def world(make_user):
    area = AreaFactory()
    station = StationFactory(parent=area)
    lead = make_user(Role.SAFEGUARDING_LEAD, area.parent)
    colleague = make_user(Role.SAFEGUARDING_LEAD, area.parent)
    reporter = make_user(Role.STAFF, station)
    subject = PersonFactory(station=station)
    concerns = [
        services.raise_concern(
            by=reporter,
            kind=Kind.LOW_LEVEL,
            identity=Identity.CONFIDENTIAL,
            narrative=f"Remark number {n} in the crew room",
            subject_type=Subject.COLLEAGUE,
            subject_person=subject,
            station=station,
        ).concern
        for n in range(3)
    ]
    case = services.triage(
        by=lead,
        concern=concerns[0],
        primary_category=Category.CONDUCT,
        secondary_categories=[],
        threshold=Threshold.LOW_LEVEL,
        owner=lead,
        team=[],
    )
    return lead, colleague, reporter, case


def test_given_a_triaged_case_when_the_lead_works_it_then_every_page_is_accessible(journey, world):
    lead, colleague, _, case = world
    page = journey.page

    journey.sign_in(lead.email)
    journey.visit("/cases/today/")
    expect(
        page.get_by_role("heading", name="Patterns of low-level concerns waiting for review")
    ).to_be_visible()
    journey.click_link("Tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case tasks")
    journey.click_link("All cases")
    journey.click_link(case.reference)
    expect(page.get_by_role("heading", name="Other concerns about", exact=False)).to_be_visible()

    journey.click_link("Add a note, action or decision")
    page.get_by_label("A note", exact=True).check()
    journey.fill("Day", "20")
    journey.fill("Month", "11")
    journey.fill("Year", "2026")
    journey.fill("Details", "Spoke to the station manager.")
    journey.press_button("Add entry")

    page.get_by_role("link", name="Correct this entry", exact=False).first.click()
    page.wait_for_load_state()
    journey.check()
    journey.fill("Corrected text", "Spoke to the deputy station manager.")
    journey.fill("Reason for the correction", "Wrong person named")
    journey.press_button("Add correction")
    expect(page.get_by_text("Spoke to the deputy station manager.", exact=False)).to_be_visible()

    journey.click_link("Add a task")
    journey.fill("Task", "Check the rota for the shifts")
    page.get_by_label("Who will do it", exact=True).select_option(label=lead.display_name)
    journey.fill("Day", "1")
    journey.fill("Month", "1")
    journey.fill("Year", "2099")
    journey.press_button("Add task")
    journey.press_button("Mark done for Check the rota for the shifts")

    journey.click_link("Record a referral")
    page.get_by_label("Local authority designated officer (LADO)", exact=True).check()
    journey.fill("Day", "1")
    journey.fill("Month", "11")
    journey.fill("Year", "2026")
    journey.press_button("Record referral")
    page.get_by_role("link", name="Record outcome", exact=False).first.click()
    page.wait_for_load_state()
    journey.check()
    page.get_by_label("Declined", exact=True).check()
    journey.fill("Day", "2")
    journey.fill("Month", "11")
    journey.fill("Year", "2026")
    journey.press_button("Record outcome")

    journey.press_button("Change the status")
    page.get_by_label("Investigating", exact=True).check()
    journey.press_button("Change status")

    journey.click_link("Add someone to the case team")
    page.get_by_label("Who to add", exact=True).select_option(label=colleague.display_name)
    journey.press_button("Add to the team")
    expect(page.get_by_text(colleague.display_name).first).to_be_visible()

    journey.visit("/cases/today/")
    expect(page.get_by_text("Check the rota for the shifts")).to_have_count(0)
    expect(page.get_by_text("Local authority designated officer (LADO)")).to_have_count(0)
    journey.click_link("Review the patterns")
    journey.press_button("Mark reviewed the pattern about " + case.subject_person.full_name)
    journey.click_link("See the patterns already reviewed")
    expect(page.get_by_text(case.subject_person.full_name)).to_be_visible()
    journey.visit("/speak-up/reports/guardian-return/")
    journey.click_link("See themes by area and month")
    expect(page.get_by_role("heading", level=1)).to_have_text("Speak-up themes")


def test_given_a_named_reporter_when_they_open_my_concerns_then_the_pages_are_accessible(journey, world):
    _, _, reporter, case = world

    journey.sign_in(reporter.email)
    journey.visit("/speak-up/mine/")
    journey.click_link(case.reference)

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("A low-level concern about a colleague")


def test_given_a_year_of_concerns_when_a_guardian_reads_the_themes_then_both_tables_fit_every_width(
    journey, make_user
):
    area = AreaFactory()
    station = StationFactory(parent=area)
    guardian = make_user(Role.GUARDIAN, area.parent)
    first_of_month = dt.date.today().replace(day=1)
    made = 0
    for months_back in range(12):
        day = (first_of_month - dt.timedelta(days=31 * months_back)).replace(day=3)
        for category, count in [
            ("patient_safety", 6),
            ("bullying_harassment", 5),
            ("detriment", 1),
            ("other", 7),
        ]:
            for _ in range(count):
                made += 1
                Concern.objects.create(
                    reference=f"THEME-{made}",
                    kind=Kind.PATIENT_SAFETY,
                    identity=Identity.OPEN,
                    route=Route.GUARDIAN,
                    raised_by=guardian,
                    subject_type=Subject.PROCESS,
                    station=station,
                    narrative="A concern for the themes",
                    received_on=day,
                    triage_due_on=day,
                    primary_category=category,
                )
    page = journey.page

    journey.sign_in(guardian.email)
    journey.visit("/speak-up/reports/themes/")

    expect(page.get_by_role("columnheader", name="12 months").first).to_be_attached()
    assert page.locator("#concerns-by-category thead th").count() == 14  # the label, 12 months, the total
    for width in (1280, 1024, 990, 800, 700, 375, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        # Not even inside a box of its own: each table fits the page.
        beyond = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('table')].map("
            "t => t.getBoundingClientRect().right - window.innerWidth))"
        )
        assert beyond <= 0, f"a themes table is {beyond} px wider than the page at {width} px"
