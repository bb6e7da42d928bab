"""New concerns, overdue triage and overdue tasks are emailed over real SMTP, in batches, with no details,
each exactly once however the mail server behaves."""

import datetime as dt

import time_machine

from candour.core import outbox
from candour.core.models import OutboxMessage
from candour.people.roles import Role
from candour.speakup import services, tasks
from candour.speakup.models import Concern, Identity, Kind


def test_leads_get_one_email_per_batch_with_a_link_and_no_details(trust, raise_concern, smtp_server):
    raise_concern(narrative="Secret details about the crew room")
    raise_concern(identity=Identity.ANONYMOUS, narrative="More secret details")

    tasks.notify_new_concerns.call()
    outbox.deliver_due()

    [message] = smtp_server.to(trust.lead.email)
    assert "2 new concerns" in message.subject
    assert "/cases/" in message.body
    assert "secret" not in message.body.lower()
    assert not Concern.objects.filter(leads_notified=False).exists()
    assert services.notify_leads_of_new_concerns() == 0


def test_guardian_concerns_go_to_the_guardian(trust, raise_concern, smtp_server):
    raise_concern(kind=Kind.WORKER_WELLBEING, subject_type="process")

    tasks.notify_new_concerns.call()
    outbox.deliver_due()

    assert smtp_server.to(trust.guardian.email) and not smtp_server.to(trust.lead.email)


def test_overdue_triage_escalates_once_to_leads_and_executives(trust, raise_concern, smtp_server, make_user):

    executive = make_user(Role.EXECUTIVE, trust.trust)
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)):  # a Monday
        raise_concern()
    with time_machine.travel(dt.datetime(2026, 11, 19, 9, tzinfo=dt.UTC)):  # Thursday: due Wednesday
        assert tasks.escalate_overdue_triage.call() == 1
        assert tasks.escalate_overdue_triage.call() == 0
        outbox.deliver_due()

    assert smtp_server.to(executive.email) and smtp_server.to(trust.lead.email)


def test_triaged_concerns_are_not_escalated(raise_concern, triage, smtp_server):
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)):
        concern = raise_concern().concern
        triage(concern)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)):
        assert tasks.escalate_overdue_triage.call() == 0


def test_overdue_task_owners_get_one_reminder_a_day(trust, raise_concern, triage, smtp_server):
    concern = raise_concern().concern
    triage(concern)
    for title in ("Call the manager", "Check rotas"):
        services.add_task(
            by=trust.lead, concern=concern, title=title, owner=trust.lead, due_on=dt.date.today()
        )

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        assert tasks.remind_overdue_tasks.call() == 1
        assert tasks.remind_overdue_tasks.call() == 0
        outbox.deliver_due()

    [message] = smtp_server.to(trust.lead.email)
    assert "2 overdue case tasks" in message.body


def test_leads_are_told_once_each_when_the_mail_server_fails_part_way(
    trust, raise_concern, smtp_server, make_user
):
    leads = [trust.lead, trust.guardian, make_user(Role.SAFEGUARDING_LEAD, trust.trust)]
    raise_concern()
    raise_concern(kind=Kind.WORKER_WELLBEING, subject_type="process")
    smtp_server.fail_after(1)

    tasks.notify_new_concerns.call()  # both are marked notified whatever the server does
    smtp_server.recover()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)):
        outbox.deliver_due()
        tasks.notify_new_concerns.call()
        outbox.deliver_due()

    assert sorted(mail.recipients for mail in smtp_server.messages) == sorted([lead.email] for lead in leads)
    # A notice of new concerns keeps no row once sent: its time would date the anonymous ones (ADR 18).
    assert not OutboxMessage.objects.exists()


def test_a_refused_lead_address_does_not_stop_the_others_being_told(
    trust, raise_concern, smtp_server, make_user
):
    other = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    raise_concern()
    smtp_server.refuse(trust.lead.email)

    tasks.notify_new_concerns.call()
    outbox.deliver_due()

    assert [mail.recipients for mail in smtp_server.messages] == [[other.email]]
    assert OutboxMessage.objects.get(to=trust.lead.email).status == "failed"
