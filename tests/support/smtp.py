"""A real SMTP server on loopback, so tests exercise Django's SMTP backend end to end."""

from __future__ import annotations

import email
import socket
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

    async def handle_DATA(self, server, session, envelope) -> str:
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

    @property
    def messages(self) -> list[ReceivedMail]:
        return list(self._collector.received)

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self._collector.received if address in mail.recipients]
