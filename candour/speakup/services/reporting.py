"""Raising a concern and following it up: the reporter's use cases.

Anonymous reporting: nothing written here for an anonymous concern names the user; its audit events go
through `audit.record_anonymous`, which keeps only the day and hides the order.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
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
    receipt_code: str | None


def _new_reference() -> str:
    while True:
        reference = "C-" + "".join(secrets.choice(receipts.ALPHABET) for _ in range(6))
        if not Concern.objects.filter(reference=reference).exists():
            return reference


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
    reporter_is_apprentice: bool | None = None,
    patient: PatientInput | None = None,
    route: str | None = None,
    withhold_from: Person | None = None,
) -> Raised:
    """Record a concern and route it (another app may insist on a route, e.g. an apprentice's welfare
    answer always goes to safeguarding, withheld from their line manager). An anonymous one gets a receipt
    code, shown once, and no link."""
    anonymous = identity == Identity.ANONYMOUS
    person = None if anonymous else by.person
    today = timezone.localdate()
    receipt = receipts.new_receipt() if anonymous else None
    concern = Concern.objects.create(
        reference=_new_reference(),
        kind=kind,
        behaviour=behaviour if kind == Kind.EXPERIENCED else "",
        identity=identity,
        route=route or route_for(kind, behaviour),
        raised_by=None if anonymous else by,
        reporter_is_apprentice=reporter_is_apprentice if anonymous else bool(person and person.is_apprentice),
        reporter_professional_group="" if anonymous or person is None else person.professional_group,
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
        receipt_lookup=receipt.lookup if receipt else None,
        receipt_hash=receipt.secret_hash() if receipt else "",
    )
    if patient is not None:
        PatientDetails.objects.create(concern=concern, **patient.__dict__)
    changes = {"kind": kind, "identity": identity, "route": concern.route}
    if anonymous:
        audit.record_anonymous(action="raised", target=concern, changes=changes)
    else:
        audit.record(action="raised", actor=by, target=concern, changes=changes)
    if kind == Kind.LOW_LEVEL and subject_person is not None:
        check_for_pattern(subject_person=subject_person)
    return Raised(concern, receipt.code if receipt else None)


def _used_up(concern: Concern) -> bool:
    """Closed and the last question answered: there is nothing more the code can do."""
    return concern.status == Status.CLOSED and bool(concern.speak_up_again)


def find_by_receipt(code: str, *, client_address: str) -> Concern | None:
    """The anonymous concern this code opens, or None: the same answer for a wrong, malformed or used-up
    code, and when this client has guessed too often."""
    if not receipts.attempts_left(client_address):
        return None
    receipt = receipts.parse(code)
    concern = Concern.objects.filter(receipt_lookup=receipt.lookup).first() if receipt else None
    if receipt and concern and receipts.matches(receipt, concern.receipt_hash) and not _used_up(concern):
        return concern
    if receipt and concern is None:
        receipts.spend_equal_time(receipt)
    receipts.count_failure(client_address)
    return None


@transaction.atomic
def reporter_replies(*, concern: Concern, body: str, by: User | None = None) -> Entry:
    """The reporter answers or adds information. Anonymous replies carry no author and only the day."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_anonymous:
        by = None
    elif by is None or concern.raised_by_id != by.pk:
        raise Refused("Only the person who raised this concern can reply to it.")
    if concern.status == Status.CLOSED:
        raise Refused("This concern is closed. To tell us more, raise a new concern.")
    entry = add_to_chronology(concern, type=Entry.Type.MESSAGE_FROM_REPORTER, body=body, author=by)
    if by is None:
        audit.record_anonymous(action="reporter_replied", target=concern)
    else:
        audit.record(action="reporter_replied", actor=by, target=concern)
    return entry


@transaction.atomic
def answer_speak_up_again(*, concern: Concern, answer: str, by: User | None = None) -> Concern:
    """The reporter's answer to 'Given your experience, would you speak up again?'."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Status.CLOSED:
        raise Refused("You can answer this once the concern is closed.")
    if not concern.is_anonymous and (by is None or concern.raised_by_id != by.pk):
        raise Refused("Only the person who raised this concern can answer.")
    concern.speak_up_again = SpeakUpAgain(answer)
    concern.save(update_fields=["speak_up_again"])
    if concern.is_anonymous:
        audit.record_anonymous(action="answered_speak_up_again", target=concern)
    else:
        audit.record(action="answered_speak_up_again", actor=by, target=concern)
    return concern
