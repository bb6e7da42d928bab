"""A real SMTP server on loopback, so tests exercise Django's SMTP backend end to end. It can refuse an
address, or stop taking messages part-way through a session, as real servers do."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain", "html")).get_content()


class _Collector:
    def __init__(self) -> None:
        self.received: list[ReceivedMail] = []
        self.refused: set[str] = set()
        self.accept_only: int | None = None
        self.on_message: Callable[[], None] | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.on_message is not None:
            self.on_message()
        if self.accept_only is not None and len(self.received) >= self.accept_only:
            return "451 4.3.0 Temporarily unable to take messages; try again later"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd in a background thread. A message is stored before the client hears 250, so no waiting."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self._collector = _Collector()
        # The controller checks it is up by connecting to its own port, so it cannot be given port 0.
        self.port = free_port()
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def refuse(self, address: str) -> None:
        """Answer 550 (permanent: no such mailbox) to this recipient from now on."""
        self._collector.refused.add(address.lower())

    def fail_after(self, count: int) -> None:
        """Take `count` more messages, then answer 451 (temporary) to every message until `recover()`."""
        self._collector.accept_only = len(self._collector.received) + count

    def recover(self) -> None:
        """Take every message, and every address, again."""
        self._collector.accept_only = None
        self._collector.refused.clear()

    def on_message(self, callback: Callable[[], None]) -> None:
        """Call this, in the server's thread, as each message arrives (before it is answered)."""
        self._collector.on_message = callback

    @property
    def message_ids(self) -> list[str]:
        return [mail.message["Message-ID"] for mail in self._collector.received]

    @property
    def messages(self) -> list[ReceivedMail]:
        return list(self._collector.received)

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self._collector.received if address in mail.recipients]
