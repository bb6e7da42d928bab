"""Raising a concern and following it up: the reporter's use cases.

Anonymous reporting: the use cases for it are given no user, and nothing they are given is written at
once. What an anonymous reporter sends is held and written in batches (speakup.services.held), with audit
events that keep only the day and hide the order (docs/adr/0018).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit, throttle
from candour.core.refusals import Refused
from candour.core.working_days import add_working_days
from candour.people.models import OrgUnit, Person, User
from candour.speakup import receipts
from candour.speakup.models import (
    Behaviour,
    Concern,
    Entry,
    Identity,
    Kind,
    PatientDetails,
    Route,
    SpeakUpAgain,
    Status,
)
from candour.speakup.services import held
from candour.speakup.services.chronology import add_to_chronology
from candour.speakup.services.patterns import check_for_pattern


def route_for(kind: str, behaviour: str = "") -> str:
    """Sexual safety, conduct, patients at risk and Prevent go to safeguarding; the rest to the guardian."""
    if kind in (Kind.LOW_LEVEL, Kind.PATIENT_SAFEGUARDING, Kind.PREVENT):
        return Route.SAFEGUARDING
    if kind == Kind.EXPERIENCED and behaviour == Behaviour.SEXUAL_SAFETY:
        return Route.SAFEGUARDING
    return Route.GUARDIAN


@dataclass(frozen=True)
class PatientInput:
    is_child: bool
    name: str
    nhs_number: str
    date_of_birth: str
    address: str
    nature_of_risk: str
    consent: str
    local_authority_called: bool
    local_authority_reference: str = ""


@dataclass(frozen=True)
class Raised:
    concern: Concern


# One answer for every concern an anonymous reporter cannot send: it says nothing about anyone else.
TOO_MANY = (
    "Too many anonymous concerns have been sent from this device in the last hour. Try again later, or "
    "speak to the freedom to speak up guardian."
)


@transaction.atomic
def raise_concern(
    *,
    by: User,
    kind: str,
    identity: str,
    narrative: str,
    subject_type: str,
    behaviour: str = "",
    subject_person: Person | None = None,
    subject_description: str = "",
    station: OrgUnit | None = None,
    occurred_on: dt.date | None = None,
    occurred_on_is_approximate: bool = False,
    patient: PatientInput | None = None,
    route: str | None = None,
    withhold_from: Person | None = None,
) -> Raised:
    """Record a concern raised with a name (open or confidential) and route it (another app may insist on
    a route, e.g. an apprentice's welfare answer always goes to safeguarding, withheld from their line
    manager). An anonymous concern is `raise_anonymous_concern`'s, which is told of no one."""
    if identity == Identity.ANONYMOUS:
        raise ValueError(
            "An anonymous concern is raised with raise_anonymous_concern, which is given no user."
        )
    person = by.person
    today = timezone.localdate()
    concern = Concern.objects.create(
        reference=Concern.objects.free_reference(),
        kind=kind,
        behaviour=behaviour if kind == Kind.EXPERIENCED else "",
        identity=identity,
        route=route or route_for(kind, behaviour),
        raised_by=by,
        reporter_is_apprentice=bool(person and person.is_apprentice),
        reporter_professional_group=person.professional_group if person else "",
        subject_type=subject_type,
        subject_person=subject_person,
        subject_description=subject_description,
        withheld_from=withhold_from,
        station=station,
        occurred_on=occurred_on,
        occurred_on_is_approximate=occurred_on_is_approximate,
        narrative=narrative,
        received_on=today,
        triage_due_on=add_working_days(today, settings.CANDOUR_TRIAGE_WORKING_DAYS),
    )
    if patient is not None:
        PatientDetails.objects.create(concern=concern, **patient.__dict__)
    changes = {"kind": kind, "identity": identity, "route": concern.route}
    audit.record(action="raised", actor=by, target=concern, changes=changes)
    if kind == Kind.LOW_LEVEL and subject_person is not None:
        check_for_pattern(subject_person=subject_person)
    return Raised(concern)


def _anonymous_concerns_limit() -> throttle.Limit:
    return throttle.Limit(
        "speakup.anonymous_concern", settings.CANDOUR_ANONYMOUS_CONCERNS_PER_HOUR, dt.timedelta(hours=1)
    )


@transaction.atomic
def raise_anonymous_concern(
    *,
    submission: str,
    client_address: str,
    kind: str,
    narrative: str,
    subject_type: str,
    behaviour: str = "",
    subject_person: Person | None = None,
    subject_description: str = "",
    station: OrgUnit | None = None,
    occurred_on: dt.date | None = None,
    occurred_on_is_approximate: bool = False,
    reporter_is_apprentice: bool | None = None,
) -> held.HeldConcern:
    """Hold a concern sent without a name for the next batch (it is told of no one, signed in or not), and
    give its receipt. `submission` is the form's one-time token: sent again, the form gets the same receipt
    and nothing more is held. The audit event is written with the batch. Sending is limited per device,
    counted by a keyed hash of its address that is forgotten with its hour."""
    if kind == Kind.PATIENT_SAFEGUARDING:
        raise Refused(
            "A patient referral cannot be anonymous: the safeguarding team may need to ask you about it.",
            field="identity",
        )
    limit = _anonymous_concerns_limit()
    if throttle.exceeded(limit, client_address):
        raise Refused(TOO_MANY)
    fields = {
        "kind": kind,
        "behaviour": behaviour if kind == Kind.EXPERIENCED else "",
        "route": route_for(kind, behaviour),
        "reporter_is_apprentice": reporter_is_apprentice,
        "subject_type": subject_type,
        "subject_person": subject_person,
        "subject_description": subject_description,
        "station": station,
        "occurred_on": occurred_on,
        "occurred_on_is_approximate": occurred_on_is_approximate,
        "narrative": narrative,
    }
    concern, fresh = held.hold_concern(submission=submission, route=fields["route"], fields=fields)
    if fresh:
        throttle.count(limit, client_address)
    return concern


def find_by_receipt(code: str, *, client_address: str) -> Concern | None:
    """The anonymous concern this code opens (one still on its way, too), or None: the same answer for a
    wrong or malformed code, and when this client has guessed too often."""
    if not receipts.attempts_left(client_address):
        return None
    receipt = receipts.parse(code)
    concern = Concern.objects.filter(receipt_lookup=receipt.lookup).first() if receipt else None
    if receipt and concern is None and (waiting := held.held_concern_by_lookup(receipt.lookup)):
        concern = held.as_concern(waiting)
    if receipt and concern and receipts.matches(receipt, concern.receipt_hash):
        return concern
    if receipt and concern is None:
        receipts.spend_equal_time(receipt)
    receipts.count_failure(client_address)
    return None


def _reopen_if_closed(concern: Concern) -> None:
    if concern.status == Status.CLOSED:
        concern.conversation_reopened_on = timezone.localdate()
        concern.save(update_fields=["conversation_reopened_on"])


@transaction.atomic
def reporter_replies(*, concern: Concern, body: str, by: User) -> Entry:
    """The named reporter answers or adds information; after closure, that reopens the conversation for
    the case team."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_anonymous or concern.raised_by_id != by.pk:
        raise Refused("Only the person who raised this concern can reply to it.")
    entry = add_to_chronology(concern, type=Entry.Type.MESSAGE_FROM_REPORTER, body=body, author=by)
    _reopen_if_closed(concern)
    audit.record(action="reporter_replied", actor=by, target=concern)
    return entry


@transaction.atomic
def anonymous_reporter_replies(*, concern: Concern, body: str, submission: str) -> bool:
    """The anonymous reporter answers or adds information, even after closure (which reopens the
    conversation when the batch writes it). Held for the next batch: it carries no author and only the
    day. False when this form had been sent already."""
    if not concern.is_anonymous:
        raise Refused("Only the person who raised this concern can reply to it.")
    return held.hold_reply(concern_id=concern.pk, submission=submission, body=body)


def _answerable(concern: Concern) -> None:
    if concern.status != Status.CLOSED:
        raise Refused("You can answer this once the concern is closed.")


@transaction.atomic
def answer_speak_up_again(*, concern: Concern, answer: str, by: User) -> Concern:
    """The named reporter's answer to 'Given your experience, would you speak up again?'."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _answerable(concern)
    if concern.is_anonymous or concern.raised_by_id != by.pk:
        raise Refused("Only the person who raised this concern can answer.")
    concern.speak_up_again = SpeakUpAgain(answer)
    concern.save(update_fields=["speak_up_again"])
    audit.record(action="answered_speak_up_again", actor=by, target=concern)
    return concern


@transaction.atomic
def answer_speak_up_again_anonymously(*, concern: Concern, answer: str, submission: str) -> bool:
    """The anonymous reporter's answer, held for the next batch. False when this form was sent already."""
    if not concern.on_its_way:
        concern = Concern.objects.get(pk=concern.pk)
    _answerable(concern)
    if not concern.is_anonymous:
        raise Refused("Only the person who raised this concern can answer.")
    return held.hold_answer(concern_id=concern.pk, submission=submission, answer=SpeakUpAgain(answer))
