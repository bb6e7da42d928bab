"""Every email is sent exactly once over real SMTP: queued in its sender's transaction, sent after it commits
outside any transaction, one attempt per message, retried with back-off, and shown to administrators when it
finally fails."""

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from candour.core import outbox, tasks
from candour.core.models import AuditEvent, OutboxMessage
from candour.people.roles import Role

Status = OutboxMessage.Status
FROM = "Candour <no-reply@candour.example>"


def _queue(*addresses: str, subject: str = "Candour: something to look at") -> int:
    return outbox.send([(subject, f"Hello {address}", FROM, [address]) for address in addresses])


def _later(minutes: float):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=False)


def _statuses() -> dict[str, str]:
    return dict(OutboxMessage.objects.values_list("to", "status"))


ADDRESSES = [f"lead{n}@trust.example" for n in range(1, 6)]


def test_each_recipient_gets_a_message_of_their_own(smtp_server, db):
    outbox.send([("Subject", "Body", None, ["b@trust.example", "a@trust.example", "a@trust.example"])])

    assert outbox.deliver_due() == 2

    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == [
        "a@trust.example",
        "b@trust.example",
    ]
    assert all(mail.mail_from == "no-reply@candour.invalid" for mail in smtp_server.messages)


def test_a_message_exists_only_if_its_senders_transaction_commits(db, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue("lead@trust.example")
        raise RuntimeError("the sender's work failed")

    assert not OutboxMessage.objects.exists()


def test_committing_wakes_the_worker(db, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _queue("lead@trust.example")

    assert DBTaskResult.objects.filter(task_path="candour.core.tasks.deliver_email").count() == 1


def test_a_server_failing_part_way_sends_every_message_exactly_once(smtp_server, db, settings):
    _queue(*ADDRESSES)
    smtp_server.fail_after(2)

    assert outbox.deliver_due() == 2
    assert sorted(_statuses().values()) == ["pending"] * 3 + ["sent"] * 2
    smtp_server.recover()
    assert outbox.deliver_due() == 0  # the rest wait for their back-off
    with _later(settings.CANDOUR_OUTBOX_RETRY_MINUTES[0]):
        assert outbox.deliver_due() == 3
    with _later(24 * 60):
        assert outbox.deliver_due() == 0

    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == ADDRESSES
    assert sorted(smtp_server.message_ids) == sorted(
        f"<{pk}@candour.example>" for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )
    assert set(_statuses().values()) == {"sent"}


def test_one_refused_address_fails_alone_and_at_once(smtp_server, db):
    _queue(*ADDRESSES)
    smtp_server.refuse(ADDRESSES[2])

    assert outbox.deliver_due() == 4

    refused = OutboxMessage.objects.get(to=ADDRESSES[2])
    assert refused.status == Status.FAILED and refused.attempts == 1
    assert refused.last_error.startswith("550")
    assert ADDRESSES[2] not in {mail.recipients[0] for mail in smtp_server.messages}


def test_retries_back_off_then_fail_for_good(smtp_server, db, settings):
    settings.CANDOUR_OUTBOX_RETRY_MINUTES = [5, 60]
    _queue("lead@trust.example")
    smtp_server.fail_after(0)

    outbox.deliver_due()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert message.next_attempt_at == message.last_attempt_at + dt.timedelta(minutes=5)
    assert message.last_error.startswith("451")
    with _later(5):
        outbox.deliver_due()
    with _later(5 + 59):
        outbox.deliver_due()
        assert OutboxMessage.objects.get().attempts == 2
    with _later(5 + 60):
        outbox.deliver_due()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert smtp_server.messages == []


def test_a_mail_server_that_cannot_be_reached_costs_one_attempt_and_stops_the_run(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: the connection is refused
    _queue(*ADDRESSES)

    assert outbox.deliver_due() == 0

    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]
    assert "ConnectionRefusedError" in OutboxMessage.objects.get(attempts=1).last_error


def test_a_message_held_by_a_worker_is_left_alone_until_its_claim_runs_out(smtp_server, db):
    _queue("lead@trust.example")
    OutboxMessage.objects.update(status=Status.SENDING, claimed_until=timezone.now() + outbox.CLAIM)

    assert outbox.deliver_due() == 0
    with _later(outbox.CLAIM.total_seconds() / 60 + 1):
        assert outbox.deliver_due() == 1

    assert len(smtp_server.messages) == 1


def test_a_sent_message_keeps_no_body_and_is_forgotten_after_the_keep_days(smtp_server, db, settings):
    _queue("lead@trust.example")
    outbox.deliver_due()

    assert OutboxMessage.objects.get().body == ""
    with _later((settings.CANDOUR_OUTBOX_KEEP_DAYS - 1) * 24 * 60):
        assert tasks.forget_sent_email.call() == 0
    with _later((settings.CANDOUR_OUTBOX_KEEP_DAYS + 1) * 24 * 60):
        assert tasks.forget_sent_email.call() == 1


@pytest.mark.django_db(transaction=True)
def test_email_is_sent_outside_any_transaction(smtp_server):
    sender = connection
    seen = []
    smtp_server.on_message(lambda: seen.append(sender.in_atomic_block))
    with transaction.atomic():
        _queue(*ADDRESSES[:3])

    tasks.deliver_email.call()

    assert seen == [False, False, False]
    assert set(_statuses().values()) == {"sent"}


def _failed_message(smtp_server, address="lead@trust.example"):
    smtp_server.refuse(address)
    _queue(address)
    outbox.deliver_due()
    return OutboxMessage.objects.get(to=address)


def test_administrators_are_shown_failed_emails_and_can_send_them_again(smtp_server, make_user, client_for):
    message = _failed_message(smtp_server)
    admin = client_for(make_user(Role.SYSTEM_ADMIN))

    home = admin.get("/").content.decode()
    page = admin.get("/email/failed/").content.decode()

    assert "Emails that could not be sent" in home and "/email/failed/" in home
    assert "lead@trust.example" in page and "550" in page and message.subject in page
    smtp_server.recover()
    response = admin.post("/email/failed/retry/", {"message": str(message.pk)})
    assert response.status_code == 302
    assert OutboxMessage.objects.get().status == Status.PENDING
    assert AuditEvent.objects.filter(action="retried_email", object_id=str(message.pk)).exists()
    assert outbox.deliver_due() == 1


def test_retry_all_sends_every_failed_email_again(smtp_server, make_user, client_for):
    for address in ADDRESSES[:2]:
        _failed_message(smtp_server, address)

    client_for(make_user(Role.SYSTEM_ADMIN)).post("/email/failed/retry/", {})

    assert set(_statuses().values()) == {"pending"}


def test_only_administrators_see_failed_emails(smtp_server, make_user, client_for):
    _failed_message(smtp_server)
    staff = client_for(make_user(Role.QUALITY_LEAD))

    assert "Emails that could not be sent" not in staff.get("/").content.decode()
    assert staff.get("/email/failed/").status_code == 403
    assert staff.post("/email/failed/retry/", {}).status_code == 403
    assert OutboxMessage.objects.get().status == Status.FAILED
