"""An action owner keeps their action up to date in the browser, axe on every page: from the home page they
open their action at risk (a milestone missed), try to mark it complete without evidence and are told why
not, add evidence, record the milestone done and see it back on track, then mark it complete now that its
measure is at target; the plan, the list of plans with their pace, and the risk the action reduces show it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.assurance.models import FindingSource, MeasureSnapshot, QualityStatement
from candour.assurance.services import plans as services
from candour.assurance.services import risks
from candour.people.roles import Role
from tests.support.factories import AreaFactory

MEASURE = "learning.safeguarding_children_l3_compliance"


@pytest.fixture
def owner(make_user):
    """An education lead owning one action: level 3 from 60% to 90% over four months, half way through, its
    first milestone five days late; the measure was at 91% last month (the last complete one), so only the
    milestone holds it back."""
    area = AreaFactory(name="Calder Vale")
    trust = area.parent
    owner = make_user(Role.EDUCATION_LEAD, trust, given_name="Imogen", family_name="Hughes")
    quality_lead = make_user(Role.QUALITY_LEAD, trust)
    today = timezone.localdate()
    plan = services.create_plan(
        by=quality_lead,
        title="Safeguarding training that every role needs",
        finding="Level 3 safeguarding children training was well below target.",
        source=FindingSource.INSPECTION,
        quality_statement=QualityStatement.objects.get(code="safe-safeguarding"),
        unit=trust,
        owner=quality_lead,
    )
    action = services.add_action(
        by=quality_lead,
        plan=plan,
        title="Bring level 3 training to 90%",
        owner=owner,
        starts_on=today - dt.timedelta(days=60),
        due_on=today + dt.timedelta(days=60),
        measure_key=MEASURE,
        target=90,
        baseline=60,
    )
    services.add_milestone(
        by=quality_lead, action=action, title="Sessions booked", due_on=today - dt.timedelta(days=5)
    )
    risks.create_risk(
        by=quality_lead,
        title="Apprentices harassed or unsafe at work",
        description="Because apprentices may not know how to raise a concern, harassment may go unreported.",
        controls="Named mentors",
        unit=trust,
        owner=owner,
        review_due_on=today + dt.timedelta(days=30),
        inherent_likelihood=4,
        inherent_consequence=5,
        current_likelihood=3,
        current_consequence=5,
        target_likelihood=2,
        target_consequence=4,
        linked_actions=[action],
    )
    for months_ago, value in (
        (3, 64.0),
        (2, 78.0),
        (1, 91.0),
        (0, 20.0),
    ):  # this month's first days: not judged
        month = (today.replace(day=1) - dt.timedelta(days=31 * months_ago)).replace(day=1)
        MeasureSnapshot.objects.create(
            measure_key=MEASURE, unit=trust, month=month, value=value, computed_at=timezone.now()
        )
    return owner


def test_given_an_action_at_risk_when_its_owner_adds_evidence_and_records_the_milestone_then_it_completes(
    journey, owner
):
    page = journey.page

    # given_the_owner_sees_their_action_at_risk_on_their_home_page
    journey.sign_in(owner.email)
    expect(page.get_by_role("link", name="Your action is at risk")).to_be_visible()
    journey.click_link("Your action is at risk")
    expect(page.get_by_role("heading", level=1)).to_contain_text("At risk")
    expect(page.get_by_text("Milestone missed: “Sessions booked” was due")).to_be_visible()

    # when_they_try_to_mark_it_complete_without_evidence_they_are_told_why_not
    journey.press_button("Mark as complete")
    journey.press_button("Mark as complete")
    expect(
        page.get_by_role(
            "link", name="Add at least one piece of evidence before marking this action complete"
        )
    ).to_be_visible()
    journey.click_link("Back to the action")

    # and_they_add_evidence
    journey.click_link("Add evidence")
    journey.press_button("Add the evidence")
    expect(page.get_by_role("link", name="Enter what the evidence shows")).to_be_visible()
    journey.fill(
        "What the evidence shows", "Attendance registers for every level 3 session in the last two months"
    )
    journey.fill("Where to find it (optional)", "Education team drive: Safeguarding/Level 3")
    journey.press_button("Add the evidence")
    expect(page.get_by_text("Evidence added")).to_be_visible()
    expect(page.get_by_text("Attendance registers for every level 3 session")).to_be_visible()

    # and_they_record_the_milestone_done
    milestone_done = page.get_by_role("button", name=re.compile(r"^Mark as done\s*: Sessions booked$"))
    journey.follow(milestone_done.click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("On track")
    expect(page.get_by_text("“Sessions booked” recorded as done")).to_be_visible()

    # then_with_its_measure_at_target_it_can_be_marked_complete
    journey.press_button("Mark as complete")
    journey.press_button("Mark as complete")
    expect(page.get_by_text("Action marked complete")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Complete")
    expect(page.get_by_role("button", name="Reopen this action")).to_be_visible()

    # and_the_plan_the_plans_and_the_risk_register_show_it
    journey.click_link("Back to the plan")
    expect(page.get_by_text("1 complete", exact=True)).to_be_visible()
    journey.click_link("Back to action plans")
    expect(page.get_by_role("heading", name="The pace of change")).to_be_visible()
    journey.visit("/assurance/risks/")
    expect(page.get_by_role("link", name=re.compile("Apprentices harassed"))).to_be_visible()
    journey.click_link(page.get_by_role("link", name=re.compile("Apprentices harassed")).inner_text())
    expect(page.get_by_text("Bring level 3 training to 90%")).to_be_visible()
