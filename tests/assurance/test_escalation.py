"""Overdue actions are escalated to their owner's line manager by email over real SMTP, once per due date,
by the daily scheduled task, with no details of the finding in the email."""

from __future__ import annotations

import datetime as dt

import pytest

from candour.assurance.models import ActionEscalation
from candour.assurance.services import plans as services
from candour.assurance.tasks import plans as tasks
from candour.core import outbox
from candour.core.models import AuditEvent, OutboxMessage
from candour.core.scheduling import parse_time_of_day, registered_jobs
from candour.people.roles import Role
from tests.assurance.test_plans import at, build_org, make_action, make_plan


@pytest.fixture
def org(make_user):
    return build_org(make_user)


def test_an_overdue_action_is_escalated_once_to_the_owners_line_manager(org, smtp_server):
    action = make_action(org, make_plan(org), due_on=dt.date(2026, 6, 30))

    with at(dt.date(2026, 6, 30)):  # due today: not overdue yet
        assert tasks.escalate_overdue_actions.call() == 0
    with at(dt.date(2026, 7, 1)):
        assert tasks.escalate_overdue_actions.call() == 1
    with at(dt.date(2026, 7, 2)):
        assert tasks.escalate_overdue_actions.call() == 0
        outbox.deliver_due()

    [message] = smtp_server.messages
    assert message.recipients == ["director@test.example"]
    assert message.subject == "Candour: an overdue action needs your attention"
    assert f"/assurance/plans/actions/{action.public_id}/" in message.body
    assert "30 June 2026" in message.body and action.title in message.body
    assert "well below target" not in message.body  # the finding stays in Candour
    escalation = ActionEscalation.objects.get()
    assert (escalation.due_on, escalation.escalated_on, escalation.escalated_to) == (
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 1),
        org.manager,
    )
    event = AuditEvent.objects.get(action="escalated_overdue_action")
    assert (
        event.changes["escalated_to"] == "director@test.example" and event.actor_label == "action escalation"
    )


def test_a_new_due_date_is_escalated_afresh_when_it_too_passes(org, smtp_server):
    action = make_action(org, make_plan(org), due_on=dt.date(2026, 6, 30))
    with at(dt.date(2026, 7, 1)):
        services.escalate_overdue_actions(today=dt.date(2026, 7, 1))
        services.update_action(by=org.quality_lead, action=action, due_on=dt.date(2026, 7, 31))

    with at(dt.date(2026, 7, 15)):
        assert services.escalate_overdue_actions(today=dt.date(2026, 7, 15)) == 0
    with at(dt.date(2026, 8, 1)):
        assert services.escalate_overdue_actions(today=dt.date(2026, 8, 1)) == 1
        outbox.deliver_due()

    assert len(smtp_server.messages) == 2
    assert sorted(ActionEscalation.objects.values_list("due_on", flat=True)) == [
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 31),
    ]


def test_complete_actions_are_never_escalated(org, smtp_server):
    action = make_action(org, make_plan(org), due_on=dt.date(2026, 6, 30))
    with at(dt.date(2026, 6, 29)):
        services.complete_action(by=org.quality_lead, action=action, override_reason="Done another way")

    assert services.escalate_overdue_actions(today=dt.date(2026, 7, 1)) == 0
    outbox.deliver_due()
    assert smtp_server.messages == []


def test_without_a_line_manager_the_plans_owner_is_told(org, smtp_server, make_user):
    area_lead = make_user(Role.OPERATIONS_MANAGER, org.area, email="area.lead@test.example")
    make_action(org, make_plan(org), owner=area_lead, due_on=dt.date(2026, 6, 30))

    services.escalate_overdue_actions(today=dt.date(2026, 7, 1))
    outbox.deliver_due()

    [message] = smtp_server.messages
    assert message.recipients == ["owner@test.example"]  # the plan's accountable owner


def test_an_unreachable_mail_server_leaves_the_escalation_made_and_its_email_waiting(org, settings):
    make_action(org, make_plan(org), due_on=dt.date(2026, 6, 30))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: the connection is refused

    assert services.escalate_overdue_actions(today=dt.date(2026, 7, 1)) == 1
    outbox.deliver_due()

    assert ActionEscalation.objects.count() == 1
    waiting = OutboxMessage.objects.get()
    assert (waiting.to, waiting.status) == ("director@test.example", OutboxMessage.Status.PENDING)


def test_escalation_runs_every_day():
    [job] = [job for job in registered_jobs() if job.name == "assurance.escalate_overdue_actions"]
    assert job.schedule == parse_time_of_day("07:00")
