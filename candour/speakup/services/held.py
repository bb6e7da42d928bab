"""What an anonymous reporter sends is held, then written in batches (docs/adr/0018).

A row's place among the others gives away when it was written: SQLite's rowid, PostgreSQL's heap order, a
counter, a position in the audit chain. Placed among named, timed rows, an anonymous concern written the
moment it was sent is dated to that moment, and so to whoever was about then. So nothing an anonymous
reporter sends is written where it belongs as they send it: it waits in `HeldAnonymousWrite`, keyed at
random and dated to the day, and the next batch writes everything waiting, in a random order, with its
audit events. A copy of the database can tell the batch, never the moment.

Urgent routing does not wait: the leads' periodic notice counts held concerns too (a count, no details).
The reporter sees what they sent, marked as on its way, until it arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from candour.core import audit
from candour.core.working_days import add_working_days
from candour.people.models import OrgUnit, Person
from candour.speakup import receipts
from candour.speakup.models import (
    Concern,
    Entry,
    HeldAnonymousWrite,
    Identity,
    Kind,
    SpeakUpAgain,
    Status,
)
from candour.speakup.services.chronology import add_to_chronology
from candour.speakup.services.patterns import check_for_pattern

Action = HeldAnonymousWrite.Action
# The concern's own fields a held concern carries, and those that name an object (by its public id).
CONCERN_FIELDS = (
    "kind",
    "behaviour",
    "route",
    "reporter_is_apprentice",
    "subject_type",
    "subject_description",
    "occurred_on_is_approximate",
    "narrative",
)
OBJECT_FIELDS = {"subject_person": Person, "station": OrgUnit}


def submission_key(token: str) -> str:
    """What is kept of a form's one-time token: its hash, enough to know the form again, never to rebuild
    the receipt code from it."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class HeldConcern:
    """A concern held for the next batch, as its sender's receipt needs it."""

    concern_id: uuid.UUID
    receipt: receipts.Receipt
    route: str


def _free_lookup() -> str:
    while True:
        lookup = receipts.new_receipt().lookup
        taken = (
            Concern.objects.filter(receipt_lookup=lookup).exists()
            or HeldAnonymousWrite.objects.filter(receipt_lookup=lookup).exists()
        )
        if not taken:
            return lookup


def _hold(*, action: str, concern_id: uuid.UUID, submission: str, content: dict, **fields):
    """Hold one write; the same form sent again (a reload, a double tap, a race) finds the first."""
    key = submission_key(submission)
    held = HeldAnonymousWrite.objects.filter(submission=key).first()
    if held is not None:
        return held, False
    try:
        with transaction.atomic():
            held = HeldAnonymousWrite.objects.create(
                action=action,
                concern_id=concern_id,
                received_on=timezone.localdate(),
                submission=key,
                content=json.dumps(content),
                **fields,
            )
    except IntegrityError:  # the same form, sent at the same moment: the other one holds it
        return HeldAnonymousWrite.objects.get(submission=key), False
    return held, True


def hold_concern(*, submission: str, route: str, fields: dict) -> tuple[HeldConcern, bool]:
    """Hold a new anonymous concern; gives it, and whether this sending is the first. Sent again, the
    same form gets the same receipt back: its secret comes from the form's token, which only the
    reporter's browser holds."""
    content = {name: fields[name] for name in CONCERN_FIELDS}
    content |= {name: str(fields[name].public_id) if fields[name] else None for name in OBJECT_FIELDS}
    content["occurred_on"] = fields["occurred_on"].isoformat() if fields["occurred_on"] else None
    lookup = _free_lookup()
    receipt = receipts.receipt_for(lookup, submission)
    held, fresh = _hold(
        action=Action.RAISE,
        concern_id=uuid.uuid4(),
        submission=submission,
        content=content,
        receipt_lookup=lookup,
        receipt_hash=receipt.secret_hash(),
        route=route,
    )
    return HeldConcern(
        held.concern_id, receipts.receipt_for(held.receipt_lookup, submission), held.route
    ), fresh


def hold_reply(*, concern_id: uuid.UUID, submission: str, body: str) -> bool:
    """Hold the reporter's message; False when this form had been sent already."""
    earlier = HeldAnonymousWrite.objects.filter(concern_id=concern_id, action=Action.REPLY).count()
    _, fresh = _hold(
        action=Action.REPLY,
        concern_id=concern_id,
        submission=submission,
        content={"body": body},
        position=earlier + 1,
    )
    return fresh


def hold_answer(*, concern_id: uuid.UUID, submission: str, answer: str) -> bool:
    """Hold the reporter's answer to the speak-up-again question; False when sent already."""
    _, fresh = _hold(
        action=Action.ANSWER, concern_id=concern_id, submission=submission, content={"answer": answer}
    )
    return fresh


def held_concern_by_lookup(lookup: str) -> HeldAnonymousWrite | None:
    return HeldAnonymousWrite.objects.filter(action=Action.RAISE, receipt_lookup=lookup).first()


def as_concern(held: HeldAnonymousWrite) -> Concern:
    """The held concern as its reporter sees it: not saved, marked as on its way."""
    content = json.loads(held.content)
    concern = Concern(
        id=held.concern_id,
        identity=Identity.ANONYMOUS,
        received_on=held.received_on,
        triage_due_on=held.received_on,
        status=Status.NEW,
        receipt_lookup=held.receipt_lookup,
        receipt_hash=held.receipt_hash,
        **{name: content[name] for name in CONCERN_FIELDS},
    )
    concern.on_its_way = True
    return concern


def held_messages(concern_id: uuid.UUID) -> list[Entry]:
    """The reporter's messages about this concern still on their way, in the order they wrote them."""
    held = HeldAnonymousWrite.objects.filter(concern_id=concern_id, action=Action.REPLY).order_by("position")
    messages = []
    for write in held:
        entry = Entry(
            type=Entry.Type.MESSAGE_FROM_REPORTER,
            event_on=write.received_on,
            recorded_on=write.received_on,
            body=json.loads(write.content)["body"],
        )
        entry.on_its_way = True
        messages.append(entry)
    return messages


def held_answer(concern_id: uuid.UUID) -> str:
    """The reporter's speak-up-again answer still on its way, if any."""
    held = HeldAnonymousWrite.objects.filter(concern_id=concern_id, action=Action.ANSWER).first()
    return json.loads(held.content)["answer"] if held else ""


def take_unannounced() -> list[str]:
    """The routes of held concerns the leads have not been told of yet, marked as told now."""
    waiting = list(
        HeldAnonymousWrite.objects.select_for_update()
        .filter(action=Action.RAISE, leads_notified=False)
        .values_list("pk", "route")
    )
    HeldAnonymousWrite.objects.filter(pk__in=[pk for pk, _ in waiting]).update(leads_notified=True)
    return [route for _, route in waiting]


def _write_concern(held: HeldAnonymousWrite) -> Concern:
    content = json.loads(held.content)
    objects = {
        name: model.objects.filter(public_id=content[name]).first() if content[name] else None
        for name, model in OBJECT_FIELDS.items()
    }
    occurred_on = content["occurred_on"]
    return Concern.objects.create(
        id=held.concern_id,
        reference=Concern.objects.free_reference(),
        identity=Identity.ANONYMOUS,
        received_on=held.received_on,
        triage_due_on=add_working_days(held.received_on, settings.CANDOUR_TRIAGE_WORKING_DAYS),
        occurred_on=dt.date.fromisoformat(occurred_on) if occurred_on else None,
        receipt_lookup=held.receipt_lookup,
        receipt_hash=held.receipt_hash,
        leads_notified=held.leads_notified,
        **{name: content[name] for name in CONCERN_FIELDS},
        **objects,
    )


def _write_reply(held: HeldAnonymousWrite, concern: Concern) -> None:
    add_to_chronology(
        concern,
        type=Entry.Type.MESSAGE_FROM_REPORTER,
        body=json.loads(held.content)["body"],
        author=None,
        event_on=held.received_on,
    )
    if concern.status == Status.CLOSED:
        concern.conversation_reopened_on = max(
            held.received_on, concern.conversation_reopened_on or held.received_on
        )
        concern.save(update_fields=["conversation_reopened_on"])


def _write_answer(held: HeldAnonymousWrite, concern: Concern) -> bool:
    if concern.status != Status.CLOSED or concern.speak_up_again:
        return False  # answered already, from another form: the first answer stands
    concern.speak_up_again = SpeakUpAgain(json.loads(held.content)["answer"])
    concern.save(update_fields=["speak_up_again"])
    return True


@transaction.atomic
def write_held_anonymous() -> int:
    """Write everything held, in a random order, each with its audit event (themselves in another random
    order, and dated to the day). Gives how many were written."""
    shuffle = secrets.SystemRandom().shuffle
    held = list(HeldAnonymousWrite.objects.select_for_update())
    shuffle(held)
    events: list[tuple[str, Concern, dt.date, dict | None]] = []
    for write in (write for write in held if write.action == Action.RAISE):
        concern = _write_concern(write)
        changes = {"kind": concern.kind, "identity": concern.identity, "route": concern.route}
        events.append(("raised", concern, write.received_on, changes))
        if concern.kind == Kind.LOW_LEVEL and concern.subject_person is not None:
            check_for_pattern(subject_person=concern.subject_person)
    # A reporter's own messages keep their order; everyone else's are drawn in among them at random.
    replies = sorted(
        (write for write in held if write.action == Action.REPLY), key=lambda write: write.position
    )
    for write in [*replies, *(w for w in held if w.action == Action.ANSWER)]:
        concern = Concern.objects.select_for_update().filter(pk=write.concern_id).first()
        if concern is None:
            continue  # its concern was never written (only a test can make this happen)
        if write.action == Action.REPLY:
            _write_reply(write, concern)
            events.append(("reporter_replied", concern, write.received_on, None))
        elif _write_answer(write, concern):
            events.append(("answered_speak_up_again", concern, write.received_on, None))
    shuffle(events)
    for action, concern, day, changes in events:
        audit.record_anonymous(action=action, target=concern, day=day, changes=changes)
    HeldAnonymousWrite.objects.filter(pk__in=[write.pk for write in held]).delete()
    return len(held)
