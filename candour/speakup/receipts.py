"""Receipt codes: the anonymous reporter's only way back to their concern.

A code is 5 lookup characters and 17 secret characters from a 31-symbol alphabet with no look-alikes
(no 0/O, 1/I/L): about 84 bits of secret. Only a slow hash of the secret is stored. Printed in groups of
four for reading aloud or copying by hand.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

from candour.core import throttle

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_LENGTH = 5
SECRET_LENGTH = 17
GROUP = 4


@dataclass(frozen=True)
class Receipt:
    lookup: str
    secret: str

    @property
    def code(self) -> str:
        raw = self.lookup + self.secret
        return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))

    def secret_hash(self) -> str:
        return make_password(self.secret)


def new_receipt() -> Receipt:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LOOKUP_LENGTH + SECRET_LENGTH))
    return Receipt(symbols[:LOOKUP_LENGTH], symbols[LOOKUP_LENGTH:])


def receipt_for(lookup: str, submission: str) -> Receipt:
    """The receipt for the form sent with this one-time token: the secret is drawn from a keyed hash of the
    token, so the same form sent twice gets the same code back, and nothing stored can make it (only the
    reporter's browser ever held the token; docs/adr/0018)."""
    number = int.from_bytes(salted_hmac("candour.speakup.receipt", submission, algorithm="sha256").digest())
    symbols = []
    for _ in range(SECRET_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    return Receipt(lookup, "".join(symbols))


def parse(code: str) -> Receipt | None:
    """Read a code as typed: case, spaces and dashes do not matter."""
    cleaned = "".join(code.upper().split()).replace("-", "")
    if len(cleaned) != LOOKUP_LENGTH + SECRET_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return Receipt(cleaned[:LOOKUP_LENGTH], cleaned[LOOKUP_LENGTH:])


def matches(receipt: Receipt, stored_hash: str) -> bool:
    return bool(stored_hash) and check_password(receipt.secret, stored_hash)


# A slow hash of a made-up secret, checked when the lookup matches nothing, so timing tells nothing.
_DECOY = None


def spend_equal_time(receipt: Receipt) -> None:
    global _DECOY
    if _DECOY is None:
        _DECOY = make_password(secrets.token_hex(8))
    check_password(receipt.secret, _DECOY)


def _guesses() -> throttle.Limit:
    # core.throttle keeps only a keyed hash of the address, under a key deleted at the end of the day.
    return throttle.Limit(
        "receipt-codes", attempts=settings.CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR, window=dt.timedelta(hours=1)
    )


def attempts_left(client_address: str) -> bool:
    return not throttle.exceeded(_guesses(), client_address)


def count_failure(client_address: str) -> None:
    throttle.count(_guesses(), client_address)
