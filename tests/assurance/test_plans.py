"""Action plans through their services and pages: setting SMART actions up (and refusing bad ones with nothing
written), keeping them up to date, completing and reopening them, who sees which plan, and what owners are
told on their home page.

The builders here are shared by the other plan tests (status over time, escalation, pace, risks).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from candour.assurance.models import (
    Action,
    ActionEvidence,
    ActionPlan,
    FindingSource,
    MeasureSnapshot,
    Milestone,
    QualityStatement,
)
from candour.assurance.services import plans as services
from candour.core.attention import items_for
from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.models import OrgUnit
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory, TrustFactory

HIGH = "learning.safeguarding_children_l3_compliance"  # higher is better, %
LOW = "speakup.median_days_to_triage"  # lower is better, days
NEITHER = "people.headcount"  # neither


def at(day: dt.date, hour: int = 12):
    """Travel to midday on a day (UK time and UTC agree enough at noon for a date)."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC), tick=False)


def page_of(response) -> str:
    """The page's text as a reader sees it (entities such as &#39; unescaped)."""
    return html.unescape(response.content.decode())


def snapshot(key: str, unit: OrgUnit, month: dt.date, value: float | None) -> None:
    MeasureSnapshot.objects.update_or_create(
        measure_key=key,
        unit=unit,
        month=month.replace(day=1),
        defaults={"value": value, "computed_at": timezone.now()},
    )


@dataclass
class Trust:
    trust: OrgUnit
    area: OrgUnit
    other_area: OrgUnit
    quality_lead: object
    owner: object
    manager: object


def build_org(make_user, prefix: str = "") -> Trust:
    """A trust with two areas; a quality lead who manages plans trust-wide; an action owner (the safeguarding
    lead) whose line manager is an executive with a sign-in."""
    trust = TrustFactory()
    area = AreaFactory(parent=trust, name="Calder Vale")
    other_area = AreaFactory(parent=trust, name="Harrowby Coast")
    StationFactory(parent=area)
    manager = make_user(Role.EXECUTIVE, trust, email=f"{prefix}director@test.example")
    owner = make_user(Role.SAFEGUARDING_LEAD, trust, email=f"{prefix}owner@test.example")
    owner.person.line_manager = manager.person
    owner.person.save()
    quality_lead = make_user(Role.QUALITY_LEAD, trust, email=f"{prefix}quality@test.example")
    return Trust(trust, area, other_area, quality_lead, owner, manager)


@pytest.fixture
def org(make_user) -> Trust:
    return build_org(make_user)


def make_plan(org: Trust, *, unit: OrgUnit | None = None, title: str = "Safeguarding training") -> ActionPlan:
    return services.create_plan(
        by=org.quality_lead,
        title=title,
        finding="Level 3 safeguarding training was well below target.",
        source=FindingSource.INSPECTION,
        quality_statement=QualityStatement.objects.get(code="safe-safeguarding"),
        unit=unit or org.trust,
        owner=org.owner,
    )


def make_action(org: Trust, plan: ActionPlan, **fields) -> Action:
    values = {
        "title": "Level 3 to 90%",
        "owner": org.owner,
        "starts_on": dt.date(2026, 1, 1),
        "due_on": dt.date(2026, 6, 30),
        "measure_key": HIGH,
        "target": 90.0,
        "baseline": 60.0,
    } | fields
    return services.add_action(by=org.quality_lead, plan=plan, **values)


def action_post(org: Trust, **overrides) -> dict:
    data = {
        "title": "Level 3 to 90%",
        "description": "",
        "owner": str(org.owner.public_id),
        "starts_on_day": "1",
        "starts_on_month": "1",
        "starts_on_year": "2026",
        "due_on_day": "30",
        "due_on_month": "6",
        "due_on_year": "2026",
        "measure_key": HIGH,
        "target": "90",
        "baseline": "60",
    }
    return data | overrides


# Setting actions up


def test_an_action_with_a_good_target_is_added_and_audited(org, client_for):
    plan = make_plan(org)

    response = client_for(org.quality_lead).post(
        f"/assurance/plans/{plan.public_id}/actions/new/", action_post(org)
    )

    action = Action.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/assurance/plans/actions/{action.public_id}/"
    )
    assert (action.baseline, action.target, action.measure_key) == (60.0, 90.0, HIGH)
    event = AuditEvent.objects.filter(action="added_action").get()
    assert event.changes["measure_key"] == HIGH and event.changes["target"] == 90.0


def test_without_a_baseline_the_latest_value_for_the_plans_unit_is_taken(org, client_for):
    plan = make_plan(org, unit=org.area)
    snapshot(HIGH, org.area, dt.date(2026, 2, 1), 64.5)
    snapshot(HIGH, org.trust, dt.date(2026, 3, 1), 70.0)  # another unit: not this plan's

    with at(dt.date(2026, 3, 10)):
        client_for(org.quality_lead).post(
            f"/assurance/plans/{plan.public_id}/actions/new/", action_post(org, baseline="")
        )

    assert Action.objects.get().baseline == 64.5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"measure_key": "learning.no_such_measure"},
            "No measure is registered with the key “learning.no_such_measure”",
        ),
        ({"target": "55"}, "higher is better, so the target must be above the baseline of 60.0%"),
        (
            {"measure_key": LOW, "baseline": "2", "target": "3"},
            "lower is better, so the target must be below the baseline of 2.0 days",
        ),
        ({"measure_key": NEITHER}, "has no improvement direction (neither higher nor lower is better)"),
        ({"due_on_year": "2025"}, "The due date must be on or after the start date"),
        ({"target": "ninety"}, "Enter the target as a number, for example 90"),
    ],
)
def test_a_bad_action_gets_a_clear_error_and_nothing_is_written(org, client_for, overrides, message):
    plan = make_plan(org)
    events = AuditEvent.objects.count()

    response = client_for(org.quality_lead).post(
        f"/assurance/plans/{plan.public_id}/actions/new/", action_post(org, **overrides)
    )

    assert response.status_code == 200
    page = page_of(response)
    assert "There is a problem" in page and message in page
    assert not Action.objects.exists() and AuditEvent.objects.count() == events
    # Nothing typed is lost.
    assert 'value="Level 3 to 90%"' in page


def test_without_a_baseline_or_any_value_the_baseline_is_asked_for(org, client_for):
    plan = make_plan(org)

    response = client_for(org.quality_lead).post(
        f"/assurance/plans/{plan.public_id}/actions/new/", action_post(org, baseline="")
    )

    assert "There is no recorded value of this measure" in page_of(response)
    assert not Action.objects.exists()


def test_the_service_refuses_what_the_form_refuses(org):
    plan = make_plan(org)
    with pytest.raises(Refused) as refused:
        make_action(org, plan, target=50.0)
    assert "target" in [each.field for each in refused.value.each]
    with pytest.raises(Refused):
        make_action(org, plan, measure_key="nobody.registered_this")
    assert not Action.objects.exists()


def test_a_milestone_outside_the_actions_dates_is_refused(org, client_for):
    action = make_action(org, make_plan(org))

    response = client_for(org.quality_lead).post(
        f"/assurance/plans/actions/{action.public_id}/milestones/new/",
        {"title": "Sessions booked", "due_on_day": "1", "due_on_month": "8", "due_on_year": "2026"},
    )

    assert "must be due between the action's start" in page_of(response)
    assert not Milestone.objects.exists()


def test_moving_an_actions_dates_past_its_milestones_is_refused(org, client_for):
    action = make_action(org, make_plan(org))
    services.add_milestone(
        by=org.quality_lead, action=action, title="Sessions booked", due_on=dt.date(2026, 6, 1)
    )

    response = client_for(org.quality_lead).post(
        f"/assurance/plans/actions/{action.public_id}/edit/",
        action_post(org, due_on_month="5", due_on_day="31"),
    )

    assert "“Sessions booked” is due 1 June 2026" in page_of(response)
    action.refresh_from_db()
    assert action.due_on == dt.date(2026, 6, 30)


def test_a_plan_needs_what_its_source_needs(org, client_for):
    response = client_for(org.quality_lead).post(
        "/assurance/plans/new/",
        {
            "title": "Apprentices safe",
            "finding": "Apprentices did not feel safe.",
            "source": FindingSource.MONITORING_VISIT,
            "unit": str(org.trust.public_id),
            "owner": str(org.owner.public_id),
        },
    )

    assert "Choose the monitoring-visit theme" in page_of(response)
    assert not ActionPlan.objects.exists()


# Keeping it up to date


def test_the_owner_cannot_complete_without_evidence_or_the_measure_at_target(org, client_for):
    action = make_action(org, make_plan(org))
    owner = client_for(org.owner)

    with at(dt.date(2026, 5, 10)):
        snapshot(HIGH, org.trust, dt.date(2026, 4, 1), 84.0)  # April: the last complete month
        page = page_of(owner.post(f"/assurance/plans/actions/{action.public_id}/complete/", {}))

    assert "Add at least one piece of evidence before marking this action complete" in page
    assert "The success measure is 84.0%, not yet at its target of 90.0%" in page
    action.refresh_from_db()
    assert action.completed_on is None


def test_with_evidence_and_the_measure_at_target_the_owner_completes_it(org, client_for):
    action = make_action(org, make_plan(org))
    owner = client_for(org.owner)

    with at(dt.date(2026, 6, 20)):
        snapshot(HIGH, org.trust, dt.date(2026, 5, 1), 91.2)  # May: the last complete month
        owner.post(
            f"/assurance/plans/actions/{action.public_id}/evidence/new/",
            {"description": "Attendance registers for every session", "location": "Q:/training/l3"},
        )
        response = owner.post(f"/assurance/plans/actions/{action.public_id}/complete/", {})

    action.refresh_from_db()
    assert response.status_code == 302
    assert (action.completed_on, action.completed_by, action.completion_override_reason) == (
        dt.date(2026, 6, 20),
        org.owner,
        "",
    )
    assert ActionEvidence.objects.get().added_by == org.owner


def test_an_owner_cannot_waive_their_own_evidence_but_a_plan_manager_can_with_a_reason(org, client_for):
    action = make_action(org, make_plan(org))

    with at(dt.date(2026, 5, 10)):
        refused = client_for(org.owner).post(
            f"/assurance/plans/actions/{action.public_id}/complete/", {"override_reason": "Trust me"}
        )
        closed = client_for(org.quality_lead).post(
            f"/assurance/plans/actions/{action.public_id}/complete/",
            {"override_reason": "Superseded by the regional training programme"},
        )

    assert refused.status_code == 200  # the owner's form has no reason box: the reason is ignored
    action.refresh_from_db()
    assert closed.status_code == 302
    assert action.completion_override_reason == "Superseded by the regional training programme"
    event = AuditEvent.objects.filter(action="completed_action").get()
    assert "closed with a reason" in event.summary


def test_a_completed_action_can_be_reopened_and_it_is_audited(org, client_for):
    action = make_action(org, make_plan(org))
    with at(dt.date(2026, 5, 10)):
        services.complete_action(by=org.quality_lead, action=action, override_reason="Closed in error")

        response = client_for(org.owner).post(
            f"/assurance/plans/actions/{action.public_id}/reopen/", {"reason": "The measure fell back"}
        )

    action.refresh_from_db()
    assert (
        response.status_code == 302 and action.completed_on is None and not action.completion_override_reason
    )
    event = AuditEvent.objects.filter(action="reopened_action").get()
    assert event.changes["reason"] == "The measure fell back"
    assert event.actor == org.owner


def test_the_owner_records_a_milestone_done_and_not_done(org, client_for):
    action = make_action(org, make_plan(org))
    milestone = services.add_milestone(
        by=org.quality_lead, action=action, title="Sessions booked", due_on=dt.date(2026, 2, 15)
    )
    owner = client_for(org.owner)

    with at(dt.date(2026, 2, 20)):
        owner.post(f"/assurance/plans/milestones/{milestone.public_id}/done/", {"done": "yes"})
        milestone.refresh_from_db()
        assert milestone.done_on == dt.date(2026, 2, 20)
        owner.post(f"/assurance/plans/milestones/{milestone.public_id}/done/", {"done": "no"})

    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert list(
        AuditEvent.objects.filter(action__startswith="recorded_milestone")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == [
        "recorded_milestone_done",
        "recorded_milestone_not_done",
    ]


def test_someone_who_neither_owns_nor_manages_an_action_cannot_update_it(org, client_for, make_user):
    action = make_action(org, make_plan(org))
    guardian = make_user(Role.GUARDIAN, org.trust)  # views assurance, does not manage plans

    assert client_for(guardian).get(f"/assurance/plans/actions/{action.public_id}/").status_code == 200
    response = client_for(guardian).post(
        f"/assurance/plans/actions/{action.public_id}/evidence/new/", {"description": "Mine"}
    )

    assert response.status_code == 404
    assert not ActionEvidence.objects.exists()


# Who sees what


def test_an_area_lead_does_not_see_another_areas_plan(org, client_for, make_user):
    ours = make_plan(org, unit=org.area, title="Calder Vale handovers")
    theirs = make_plan(org, unit=org.other_area, title="Harrowby Coast handovers")
    area_lead = make_user(Role.OPERATIONS_MANAGER, org.area)
    client = client_for(area_lead)

    assert client.get(f"/assurance/plans/{ours.public_id}/").status_code == 200
    assert client.get(f"/assurance/plans/{theirs.public_id}/").status_code == 404
    listing = page_of(client.get("/assurance/plans/"))
    assert "Calder Vale handovers" in listing and "Harrowby Coast handovers" not in listing


def test_an_action_owner_sees_the_plan_of_their_action_even_outside_their_area(org, client_for, make_user):
    plan = make_plan(org, unit=org.other_area)
    area_lead = make_user(Role.OPERATIONS_MANAGER, org.area)
    action = make_action(org, plan, owner=area_lead)

    client = client_for(area_lead)

    assert client.get(f"/assurance/plans/{plan.public_id}/").status_code == 200
    assert client.get(f"/assurance/plans/actions/{action.public_id}/").status_code == 200


def test_staff_cannot_see_action_plans(org, client_for, make_user):
    plan = make_plan(org)
    staff = make_user(Role.STAFF, org.area)

    assert client_for(staff).get("/assurance/plans/").status_code == 403
    assert client_for(staff).get(f"/assurance/plans/{plan.public_id}/").status_code == 403


def test_only_those_who_manage_plans_may_start_one(org, client_for, make_user):
    guardian = make_user(Role.GUARDIAN, org.trust)

    assert client_for(guardian).get("/assurance/plans/new/").status_code == 403
    assert client_for(org.quality_lead).get("/assurance/plans/new/").status_code == 200


# Pages


def test_the_plan_page_shows_each_actions_status_why_and_its_chart(org, client_for):
    plan = make_plan(org)
    make_action(org, plan)
    for month, value in ((1, 61.0), (2, 63.0), (3, 66.0)):
        snapshot(HIGH, org.trust, dt.date(2026, month, 1), value)

    with at(dt.date(2026, 3, 25)):
        page = page_of(client_for(org.manager).get(f"/assurance/plans/{plan.public_id}/"))

    assert "At risk" in page
    # March is under way: February, the last complete month, is judged against where the line was at its end.
    assert "Behind trajectory: 63.0% against 69.7% expected by 28 February 2026" in page
    assert "<svg" in page and "Target" in page
    assert "This plan is slipping" in page


def test_the_plans_list_shows_the_pace_of_change_as_a_chart(org, client_for):
    make_action(org, make_plan(org))
    snapshot("assurance.actions_on_track", org.trust, dt.date(2026, 2, 1), 50.0)

    with at(dt.date(2026, 3, 25)):
        page = page_of(client_for(org.quality_lead).get("/assurance/plans/"))

    assert "The pace of change" in page and "Actions on track" in page and "<svg" in page


# Attention


def test_an_owner_is_told_of_their_action_at_risk_and_urgently_of_one_overdue(org):
    plan = make_plan(org)
    at_risk = make_action(org, plan)
    services.add_milestone(
        by=org.quality_lead, action=at_risk, title="Sessions booked", due_on=dt.date(2026, 2, 15)
    )
    make_action(
        org, plan, title="Level 1 for everyone", starts_on=dt.date(2025, 10, 1), due_on=dt.date(2026, 2, 1)
    )

    with at(dt.date(2026, 2, 20)):
        items = {item.title: item for item in items_for(org.owner)}
        others = [item.title for item in items_for(org.quality_lead)]

    overdue, risky = items["Your action is overdue"], items["Your action is at risk"]
    assert overdue.urgent and overdue.count == 1 and "Level 1 for everyone" in overdue.description
    assert not risky.urgent and "Milestone missed" in risky.description
    assert risky.url == f"/assurance/plans/actions/{at_risk.public_id}/"
    assert "Your action is at risk" not in others
