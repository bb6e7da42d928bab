"""The executive's and the quality lead's home: the actions escalated to them, open regulatory breaches, risks
above their appetite, candour-gap flags and the newest report. Every card's count is the rows its link shows
(each carries `data-counted-row`), and a role without the duty sees no card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from candour.assurance.models import ActionEscalation, KeyQuestion, ReportKind, ReportRun, ReportStatus
from candour.assurance.services import framework as framework_services
from candour.assurance.services import plans as plan_services
from candour.assurance.services import risks as risk_services
from candour.core.attention import items_for
from candour.people.models import CoreService
from candour.people.roles import Role
from tests.assurance.test_plans import at, build_org, make_action, make_plan

TODAY = dt.date(2026, 7, 10)


@pytest.fixture
def org(make_user):
    return build_org(make_user)


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with at(TODAY):
        yield


def card(user, title_starts: str):
    found = [item for item in items_for(user) if item.title.startswith(title_starts)]
    return found[0] if found else None


def counted_rows(client, url: str) -> int:
    page = client.get(url).content.decode()
    return len(re.findall(r"<tr[^>]*\sdata-counted-row", page))


def escalate(org, title: str, *, due_on=dt.date(2026, 6, 30)):
    action = make_action(org, make_plan(org, title=f"Plan for {title}"), title=title, due_on=due_on)
    plan_services.escalate_overdue_actions(today=TODAY)
    return action


def test_the_executive_sees_the_actions_escalated_to_her_and_their_list(org, client_for):
    escalate(org, "Level 3 to 90%")
    escalate(org, "Level 1 for the control room")
    done = escalate(org, "Done since")
    done.completed_on = TODAY
    done.save()

    item = card(org.manager, "Actions escalated to you")

    assert (item.count, item.urgent, item.url) == (2, True, "/assurance/plans/#escalated")
    assert counted_rows(client_for(org.manager), item.url) == 2


def test_an_action_given_a_new_date_leaves_its_escalation_behind(org):
    action = escalate(org, "Level 3 to 90%")
    plan_services.update_action(by=org.quality_lead, action=action, due_on=dt.date(2026, 8, 31))

    assert card(org.manager, "An action escalated") is None
    assert ActionEscalation.objects.count() == 1  # kept on record


def test_nobody_else_sees_an_escalation_not_addressed_to_them(org):
    escalate(org, "Level 3 to 90%")

    assert card(org.manager, "An action escalated to you").count == 1
    assert card(org.quality_lead, "An action escalated") is None
    assert card(org.owner, "An action escalated") is None


def test_open_breaches_are_counted_and_listed_alone(org, client_for):
    euc = CoreService.objects.get(slug="emergency-urgent-care")
    for regulation in ("Regulation 12", "Regulation 13", "Regulation 17"):
        framework_services.record_breach(
            by=org.quality_lead,
            core_service=euc,
            key_question=KeyQuestion.SAFE,
            regulation=regulation,
            description="Found at inspection",
            found_on=dt.date(2026, 5, 1),
        )
    resolved = framework_services.record_breach(
        by=org.quality_lead,
        core_service=None,
        key_question=KeyQuestion.WELL_LED,
        regulation="Regulation 20",
        description="Duty of candour",
        found_on=dt.date(2026, 1, 1),
    )
    framework_services.resolve_breach(by=org.quality_lead, breach=resolved, resolved_on=dt.date(2026, 3, 1))

    for user in (org.manager, org.quality_lead):
        item = card(user, "Open regulatory breaches")
        assert (item.count, item.urgent, item.url) == (3, True, "/assurance/framework/breaches/?open=1")
        assert counted_rows(client_for(user), item.url) == 3
    page = client_for(org.manager).get(item.url).content.decode()
    assert "Regulation 20" not in page  # resolved: not what the card counts


def new_risk(org, title: str, current: tuple[int, int], target: tuple[int, int]):
    return risk_services.create_risk(
        by=org.quality_lead,
        title=title,
        description="Cause, event and effect.",
        controls="Controls in place.",
        unit=org.trust,
        owner=org.quality_lead,
        review_due_on=TODAY + dt.timedelta(days=30),
        inherent_likelihood=5,
        inherent_consequence=5,
        current_likelihood=current[0],
        current_consequence=current[1],
        target_likelihood=target[0],
        target_consequence=target[1],
    )


def test_risks_above_their_appetite_are_counted_and_listed_alone(org, client_for):
    new_risk(org, "Long waits outside emergency departments", (4, 5), (2, 3))
    new_risk(org, "Apprentices harassed on placement go unheard", (4, 4), (2, 3))
    new_risk(org, "Vehicle cleanliness", (2, 3), (2, 3))  # at its target: within appetite

    item = card(org.manager, "Risks above their appetite")

    assert (item.count, item.url) == (2, "/assurance/risks/?above_appetite=1")
    assert item.description.startswith("NAS-R-001 Long waits outside emergency departments scores 20")
    client = client_for(org.manager)
    assert counted_rows(client, item.url) == 2
    assert "Vehicle cleanliness" not in client.get(item.url).content.decode()
    assert "Vehicle cleanliness" in client.get("/assurance/risks/").content.decode()


def test_the_newest_report_is_an_informational_card_leading_to_its_run(org, client_for):
    older = ReportRun.objects.create(
        kind=ReportKind.BOARD, unit=org.trust, requested_by=org.manager, status=ReportStatus.READY
    )
    older.finished_at = timezone.now() - dt.timedelta(days=30)
    older.save()
    newest = ReportRun.objects.create(
        kind=ReportKind.BOARD,
        unit=org.trust,
        requested_by=org.manager,
        status=ReportStatus.READY,
        finished_at=timezone.now() - dt.timedelta(days=2),
    )
    ReportRun.objects.create(kind=ReportKind.BOARD, unit=org.trust, requested_by=org.manager)  # not ready

    item = card(org.manager, "Newest report")

    assert (item.count, item.urgent, item.url) == (None, False, f"/assurance/reports/{newest.public_id}/")
    assert item.description.endswith("made 8 July 2026.")
    assert client_for(org.manager).get(item.url).status_code == 200


def test_a_role_without_the_duty_sees_none_of_the_leaders_cards(org, make_user, client_for):
    framework_services.record_breach(
        by=org.quality_lead,
        core_service=None,
        key_question=KeyQuestion.SAFE,
        regulation="Regulation 12",
        description="Found at inspection",
        found_on=dt.date(2026, 5, 1),
    )
    new_risk(org, "Long waits outside emergency departments", (4, 5), (2, 3))
    ReportRun.objects.create(
        kind=ReportKind.BOARD,
        unit=org.trust,
        requested_by=org.manager,
        status=ReportStatus.READY,
        finished_at=timezone.now(),
    )
    assert card(org.manager, "An open regulatory breach") is not None

    for role in (Role.STAFF, Role.SAFEGUARDING_LEAD, Role.GUARDIAN):
        titles = [item.title for item in items_for(make_user(role, org.trust))]
        assert not [t for t in titles if "breach" in t or "appetite" in t or t == "Newest report"], role
