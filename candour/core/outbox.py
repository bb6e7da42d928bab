"""Email, each message sent exactly once (docs/adr/0020).

Senders call `send` inside their own transaction: each (message, recipient) becomes a row that exists only
if that transaction commits. After it commits, the task worker's `deliver_due` takes each due row in turn,
outside any transaction, gives it its own attempt over SMTP, and marks it sent the moment the server takes
it; a server that fails part-way, or refuses one address, costs only the messages it did not take, and they
are retried with back-off. What still fails is shown to administrators, who can send it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from candour.core import audit
from candour.core.models import OutboxMessage

Status = OutboxMessage.Status
# How long a worker may hold a message while it talks to the mail server: far longer than one SMTP exchange
# (each step times out after EMAIL_TIMEOUT), so a message is taken again only when its worker has died.
CLAIM = dt.timedelta(minutes=10)


def send(
    messages: Iterable[tuple[str, str, str | None, Sequence[str]]],
    *,
    forget_when_sent: bool = False,
    wake_the_worker: bool = True,
) -> int:
    """Queue (subject, body, from_email, recipients) messages, as Django's send_mass_mail takes them, one
    row per recipient, in the caller's transaction; the worker sends them once it commits. Returns the
    number of emails queued.

    `forget_when_sent` deletes each row once the server takes it. Without `wake_the_worker`, no delivery
    task is queued for them (it too would be a dated row): the caller, a periodic job, delivers them itself
    after its transaction, and the schedule retries what fails."""
    now = timezone.now()
    rows = [
        OutboxMessage(
            to=to,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            subject=subject,
            body=body,
            queued_at=now,
            next_attempt_at=now,
            forget_when_sent=forget_when_sent,
        )
        for subject, body, from_email, recipients in messages
        for to in sorted(set(recipients))
    ]
    if rows:
        OutboxMessage.objects.bulk_create(rows)
        if wake_the_worker:
            transaction.on_commit(_wake_the_worker)
    return len(rows)


def _wake_the_worker() -> None:
    from candour.core.tasks import deliver_email  # the task module imports this one

    deliver_email.enqueue()


def deliver_due() -> int:
    """Send every message that is due, one attempt each; returns how many the mail server took. Call it
    outside any transaction (the worker does): nothing is held while the server is talked to."""
    delivered, backend = 0, None
    try:
        while (message := _claim_next()) is not None:
            try:
                if backend is None:
                    backend = get_connection(fail_silently=False)
                    backend.open()
                backend.send_messages([_email(message)])
            except smtplib.SMTPRecipientsRefused as refused:
                _record_failure(message, refused, final=_permanent(refused))
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as refused:
                _record_failure(message, refused, final=refused.smtp_code >= 500)
                _close(backend)
                backend = None
            except (OSError, smtplib.SMTPException) as unreachable:
                # The server itself is down or broke off: the rest wait for their own next attempt.
                _record_failure(message, unreachable, final=False)
                break
            else:
                _record_sent(message)
                delivered += 1
    finally:
        _close(backend)
    return delivered


def _claim_next() -> OutboxMessage | None:
    """Take the next due message for this worker: a conditional update, so two workers never both win."""
    while True:
        now = timezone.now()
        due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
            status=Status.SENDING, claimed_until__lt=now
        )
        candidate = OutboxMessage.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)
        pk = candidate.first()
        if pk is None:
            return None
        taken = OutboxMessage.objects.filter(due, pk=pk).update(
            status=Status.SENDING, claimed_until=now + CLAIM, attempts=F("attempts") + 1, last_attempt_at=now
        )
        if taken:
            return OutboxMessage.objects.get(pk=pk)


def _email(message: OutboxMessage) -> EmailMessage:
    # The same Message-ID on every attempt: a copy sent again after a worker died mid-send is recognisably
    # the same email to the mail systems that see both.
    domain = parseaddr(message.from_email)[1].rpartition("@")[2] or "candour.invalid"
    return EmailMessage(
        message.subject,
        message.body,
        message.from_email,
        [message.to],
        headers={"Message-ID": f"<{message.pk}@{domain}>"},
    )


def _permanent(refused: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _ in refused.recipients.values())


def _record_sent(message: OutboxMessage) -> None:
    if message.forget_when_sent:
        OutboxMessage.objects.filter(pk=message.pk).delete()
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_until=None, body="", last_error=""
    )


def _record_failure(message: OutboxMessage, error: Exception, *, final: bool) -> None:
    """A refusal that will not change, or the last retry used up, is final; otherwise wait and try again."""
    waits = settings.CANDOUR_OUTBOX_RETRY_MINUTES
    final = final or message.attempts > len(waits)
    # The wait runs from when the attempt began, so the schedule does not drift with slow servers.
    next_attempt = message.last_attempt_at + dt.timedelta(minutes=0 if final else waits[message.attempts - 1])
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.FAILED if final else Status.PENDING,
        claimed_until=None,
        next_attempt_at=next_attempt,
        last_error=_describe(error)[:300],
    )


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return f"{type(error).__name__}: {error}"


def _close(backend) -> None:
    """End a session that is done, or that failed (a fresh one is opened for the next message)."""
    if backend is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            backend.close()


def forget_sent(*, before: dt.datetime) -> int:
    """Sent messages are kept a while (they say who was told what, when), then deleted."""
    deleted, _ = OutboxMessage.objects.filter(status=Status.SENT, sent_at__lt=before).delete()
    return deleted


def failed_messages() -> list[OutboxMessage]:
    """Messages that could not be sent, newest first, for the administrators' list."""
    return list(OutboxMessage.objects.filter(status=Status.FAILED).order_by("-last_attempt_at", "to"))


@transaction.atomic
def retry_failed(*, by, message_id: uuid.UUID | None = None) -> int:
    """Send failed messages again (one, or all of them), from a fresh set of attempts; returns how many."""
    chosen = OutboxMessage.objects.select_for_update().filter(status=Status.FAILED)
    if message_id is not None:
        chosen = chosen.filter(pk=message_id)
    messages = list(chosen)
    now = timezone.now()
    for message in messages:
        audit.record(
            action="retried_email",
            actor=by,
            target=message,
            summary=message.subject,
            changes={"to": message.to, "last_error": message.last_error},
        )
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now, last_error=""
    )
    if messages:
        transaction.on_commit(_wake_the_worker)
    return len(messages)
