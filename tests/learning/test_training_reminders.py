"""Reminders over real SMTP: at most one digest a week per person listing everything due, and the line
manager told once when a subject runs out, the worker sending them all over one connection."""

import datetime as dt

import pytest
import time_machine
from django.core.mail.backends.smtp import EmailBackend

from candour.core import outbox
from candour.core.months import add_months
from candour.learning.models import ComplianceItem, ReminderLog
from candour.learning.services import training
from candour.learning.tasks import training as tasks
from candour.people.roles import Role


def remind() -> int:
    """The daily job, then the worker sending what it queued."""
    queued = tasks.send_training_reminders.call()
    outbox.deliver_due()
    return queued


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def team(training_trust, make_user, training_record):
    """A manager and a paramedic who reports to them: fire safety runs out in 4 days (first day expired),
    safeguarding children level 3 never done."""
    manager = make_user(Role.LINE_MANAGER, training_trust.a1, job_role=training_trust.dispatcher)
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic, given_name="Robin")
    crew.person.line_manager = manager.person
    crew.person.save()
    training_record(crew.person, "cstf-fire", add_months(training_trust.today, -24) + dt.timedelta(days=3))
    training_record(manager.person, "cstf-fire", training_trust.today)
    training_record(manager.person, "sg-children-2", training_trust.today)
    expires = ComplianceItem.objects.get(person=crew.person, subject__code="cstf-fire").expires_on
    assert expires == training_trust.today + dt.timedelta(days=4)
    return manager, crew, expires


def test_training_digest_lists_everything_due_and_goes_at_most_weekly(team, training_trust, smtp_server):
    manager, crew, _ = team
    today = training_trust.today

    with at(today):
        assert remind() == 1
    with at(today + dt.timedelta(days=1)):
        assert remind() == 0
    with at(today + dt.timedelta(days=7)):
        assert remind() == 2  # the digest again, and the manager's notice

    digests = [mail for mail in smtp_server.to(crew.email) if mail.subject == "Candour: training due"]
    assert len(digests) == 2
    first = digests[0].body
    assert first.startswith("Hello Robin,")
    assert "- Fire safety: valid until" in first
    assert "- Safeguarding children level 3: not yet done" in first
    assert "http://127.0.0.1:8000/training/mine/" in first
    assert "expired on" in digests[1].body
    assert [mail.subject for mail in smtp_server.to(manager.email)] == [
        "Candour: training expired in your team"
    ]
    assert ReminderLog.objects.filter(person=crew.person, kind=ReminderLog.Kind.DIGEST).count() == 2


def test_training_manager_is_told_once_when_a_subject_expires(team, smtp_server):
    manager, crew, expires = team

    with at(expires - dt.timedelta(days=1)):
        remind()
    assert not smtp_server.to(manager.email)
    with at(expires):
        remind()
    with at(expires + dt.timedelta(days=1)):
        remind()

    [notice] = smtp_server.to(manager.email)
    assert notice.subject == "Candour: training expired in your team"
    assert f"({crew.person.staff_number}): Fire safety, expired on" in notice.body
    assert "Safeguarding children level 3" not in notice.body  # never done is not an expiry
    logged = ReminderLog.objects.get(kind=ReminderLog.Kind.MANAGER_EXPIRED)
    assert (logged.person_id, logged.about, logged.sent_on) == (crew.person_id, "cstf-fire", expires)


def test_training_manager_is_told_again_when_renewed_training_runs_out_again(
    team, training_record, smtp_server
):
    manager, crew, expires = team
    with at(expires):
        remind()
    training_record(crew.person, "cstf-fire", expires)
    again = ComplianceItem.objects.get(person=crew.person, subject__code="cstf-fire").expires_on

    with at(again):
        remind()

    notices = [mail for mail in smtp_server.to(manager.email) if "expired in your team" in mail.subject]
    assert len(notices) == 2


def test_training_manager_is_not_told_of_old_expiries(team, smtp_server):
    manager, _, expires = team

    with at(expires + dt.timedelta(days=60)):
        remind()

    assert not smtp_server.to(manager.email)


def test_training_reminders_reach_only_people_who_sign_in(
    training_trust, training_person, make_user, smtp_server
):
    training_person()  # due everything, but has no sign-in
    switched_off = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic)
    switched_off.is_active = False
    switched_off.save()
    training.reconcile_compliance()

    assert remind() == 0


def test_training_reminders_go_over_one_connection(training_trust, make_user, monkeypatch, smtp_server):
    crews = [make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic) for _ in range(3)]
    training.reconcile_compliance()
    opened = []
    original = EmailBackend.open

    def counting(backend):
        new = original(backend)
        opened.extend([backend] if new else [])
        return new

    monkeypatch.setattr(EmailBackend, "open", counting)

    assert remind() == 3
    assert len(opened) == 1
    assert {mail.recipients[0] for mail in smtp_server.messages} == {crew.email for crew in crews}


def test_training_nightly_reconciliation_adds_new_starters(training_trust, make_user):
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic)

    assert tasks.reconcile_compliance.call() == 2
    assert ComplianceItem.objects.filter(person=crew.person).count() == 2
