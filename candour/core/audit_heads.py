"""The audit chain's head, recorded each day where the database cannot change it: a signed line in a file
(CANDOUR_AUDIT_HEADS_FILE), the log, and the administrators' home page. Verification holds the chain to every
recorded head, so events cannot be removed, or the chain rebuilt, behind a day that was recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from candour.core.keys import audit_keys

logger = logging.getLogger("candour.audit")
# Keeps a head's signature from ever being taken for an event's seal, or the other way round.
PURPOSE = b"candour audit chain head\n"


@dataclass(frozen=True)
class RecordedHead:
    recorded_at: dt.datetime
    sequence: int
    hash: str


class HeadsFileAltered(Exception):
    """A line of the heads file is not signed by any configured audit key."""


def _path() -> Path:
    return Path(settings.CANDOUR_AUDIT_HEADS_FILE)


def _fields(head: RecordedHead) -> dict:
    return {
        "recorded_at": head.recorded_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "sequence": head.sequence,
        "hash": head.hash,
    }


def _signature(fields: dict, key: bytes) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, PURPOSE + payload, hashlib.sha256).hexdigest()


def record_head(*, sequence: int, last_hash: str) -> RecordedHead:
    """Append the head to the signed file, and to the log (which is shipped away from the database)."""
    head = RecordedHead(timezone.now().replace(microsecond=0), sequence, last_hash)
    keys = audit_keys()
    fields = _fields(head) | {"key_id": keys.primary_id}
    line = json.dumps(fields | {"signature": _signature(fields, keys[keys.primary_id])}, sort_keys=True)
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One short append per day: whole lines, and readable by the application's account only.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as heads:
        heads.write(line + "\n")
        heads.flush()
        os.fsync(heads.fileno())
    logger.info("Audit chain head recorded: event %s, seal %s", sequence, last_hash)
    return head


def recorded_heads() -> list[RecordedHead]:
    """Every head recorded so far, oldest first; a line that is not signed stops everything."""
    path = _path()
    if not path.exists():
        return []
    keys = audit_keys()
    heads = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            fields = json.loads(line)
            signature, key = fields.pop("signature"), keys.keys.get(fields["key_id"])
            head = RecordedHead(
                dt.datetime.fromisoformat(fields["recorded_at"]), int(fields["sequence"]), fields["hash"]
            )
            valid = key is not None and hmac.compare_digest(signature, _signature(fields, key))
        except (ValueError, KeyError, TypeError, AttributeError):
            valid = False
        if not valid:
            raise HeadsFileAltered(f"line {number} of the recorded heads is not signed by any audit key")
        heads.append(head)
    return heads


def latest_head() -> RecordedHead | None:
    heads = recorded_heads()
    return heads[-1] if heads else None
