"""Keeping the registers: opening premises and parts, and recording entries. The only writer of register
entries. Every entry is checked whole before anything is written, and its balance is worked out from the
entries already in the part while the part's row is locked, so concurrent writers go one after another."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.medicines import lots
from candour.medicines.access import KEEP_REGISTERS, RECORD_ENTRIES, WITNESS_DESTRUCTION, WITNESS_ENTRIES
from candour.medicines.models import (
    INCOMING,
    OUTGOING,
    ControlledDrug,
    EntryKind,
    Premises,
    RegisterEntry,
    RegisterPart,
)
from candour.medicines.services.reconciliation import current_references, rematch_corrected
from candour.people.access import can
from candour.people.models import OrgUnit, User

# Kinds recorded one side at a time through `record_entry`; transfers and corrections have their own.
SINGLE_KINDS = frozenset(INCOMING | OUTGOING) - {EntryKind.TRANSFERRED_IN, EntryKind.TRANSFERRED_OUT}
# The kinds whose line names the patient's incident, so a correction may put its reference right.
NAMES_INCIDENT = frozenset({EntryKind.ADMINISTERED, EntryKind.SUPPLIED, EntryKind.WASTED})
# The kinds that carry a batch the person recording names: what arrived, and what was destroyed or returned.
NAMES_BATCH = frozenset({EntryKind.RECEIVED, EntryKind.DESTROYED, EntryKind.RETURNED})
WHAT_IT_IS = {
    EntryKind.RECEIVED: "A receipt",
    EntryKind.ADMINISTERED: "An administration",
    EntryKind.SUPPLIED: "A supply",
    EntryKind.RETURNED: "A return to pharmacy",
    EntryKind.WASTED: "A wastage",
    EntryKind.DESTROYED: "A destruction",
    EntryKind.TRANSFERRED_OUT: "A transfer",
}


@dataclass(frozen=True)
class Movement:
    """What the person recording says happened, as the regulations ask for each kind (reg 19)."""

    kind: str
    quantity: int
    occurred_on: dt.date
    party_name: str = ""
    party_address: str = ""
    incident_reference: str = ""
    authority: str = ""
    dose: str = ""
    collected_by: str = ""
    batch: str = ""
    expires_on: dt.date | None = None
    id_requested: bool | None = None
    id_shown: bool | None = None
    late_reason: str = ""
    remarks: str = ""


# Premises and parts


@transaction.atomic
def create_premises(*, by: User, unit: OrgUnit, kind: str, name: str) -> Premises:
    """Somewhere drugs are held: a station safe, a hub, a vehicle cabinet or a drug pouch."""
    if not can(by, KEEP_REGISTERS, unit):
        raise PermissionDenied
    if not name.strip():
        raise Refused("Enter the name of the premises", field="name")
    if unit.kind == OrgUnit.Kind.TRUST:
        raise Refused("Premises belong to a station or an area, not the whole trust", field="unit")
    if Premises.objects.filter(unit=unit, name__iexact=name.strip()).exists():
        raise Refused(f"{unit.name} already has premises called {name.strip()}", field="name")
    premises = Premises.objects.create(unit=unit, kind=kind, name=name.strip())
    audit.record(action="created_cd_premises", actor=by, target=premises, summary=f"{premises} at {unit}")
    return premises


@transaction.atomic
def open_part(*, by: User, premises: Premises, drug: ControlledDrug) -> RegisterPart:
    """Start the part of a premises' register for one drug, strength and form."""
    if not can(by, KEEP_REGISTERS, premises):
        raise PermissionDenied
    if not drug.register_required:
        raise Refused(f"{drug} is not kept in a register by this trust", field="drug")
    if RegisterPart.objects.filter(premises=premises, drug=drug).exists():
        raise Refused(f"{premises} already has a register part for {drug}", field="drug")
    part = RegisterPart.objects.create(premises=premises, drug=drug, opened_by=by)
    audit.record(action="opened_register_part", actor=by, target=part, summary=str(part))
    return part


# Entries


def _date_problems(occurred_on: dt.date, late_reason: str) -> dict[str, str]:
    today = timezone.localdate()
    if occurred_on > today:
        return {"occurred_on": "The date the drugs moved cannot be in the future"}
    if occurred_on < today and not late_reason.strip():
        return {
            "late_reason": f"This entry is for {occurred_on:%-d %B %Y}, not today: say why it is being "
            "recorded late"
        }
    return {}


def witness_problems(*, by: User, kind: str, premises: Premises, witness: User | None) -> dict[str, str]:
    """What is wrong with who witnessed an entry (shared with the register entries import)."""
    needs = WITNESS_DESTRUCTION if kind == EntryKind.DESTROYED else WITNESS_ENTRIES
    if witness is None:
        if kind in (EntryKind.WASTED, EntryKind.DESTROYED, EntryKind.TRANSFERRED_OUT):
            return {"witness_email": f"{WHAT_IT_IS[kind]} needs a witness to sign in and confirm it"}
        return {}
    if witness.pk == by.pk:
        return {"witness_email": "The witness must be a second person, not the person recording the entry"}
    if not can(witness, needs, premises):
        authority = "an authorised witness to destruction" if kind == EntryKind.DESTROYED else "a witness"
        return {
            "witness_email": f"{witness.display_name} does not have the authority to act as {authority} "
            f"for controlled drugs at {premises}"
        }
    return {}


def movement_problems(movement: Movement) -> dict[str, str]:
    """What reg 19 asks of an entry of this kind that it lacks (shared with the register entries import)."""
    kind, problems = movement.kind, {}
    part_used_wastage = kind == EntryKind.WASTED and movement.dose.strip()
    if movement.quantity < (0 if part_used_wastage else 1):
        problems["quantity"] = "Enter how many moved, as a whole number of 1 or more"
    if kind == EntryKind.RECEIVED:
        if not movement.party_name.strip():
            problems["party_name"] = "A receipt needs the name of who supplied the drugs"
        if not movement.party_address.strip():
            problems["party_address"] = "A receipt needs the address of who supplied the drugs"
    if kind in (EntryKind.ADMINISTERED, EntryKind.SUPPLIED):
        if not movement.incident_reference.strip():
            problems["incident_reference"] = f"{WHAT_IT_IS[kind]} needs the patient's incident reference"
        if not movement.authority.strip():
            problems["authority"] = f"{WHAT_IT_IS[kind]} needs the authority it was given under"
    if kind == EntryKind.SUPPLIED:
        if not movement.collected_by.strip():
            problems["collected_by"] = "A supply needs the name of who collected the drugs"
        if movement.id_requested is None:
            problems["id_requested"] = "Say whether the person collecting was asked for identification"
        elif movement.id_requested and movement.id_shown is None:
            problems["id_shown"] = "Say whether the person collecting showed identification"
    if kind == EntryKind.RECEIVED:
        if not movement.batch.strip():
            problems["batch"] = "A receipt needs the batch number printed on the pack"
        if movement.expires_on is None:
            problems["expires_on"] = "A receipt needs the expiry date printed on the pack"
    if kind == EntryKind.RETURNED and not movement.party_name.strip():
        problems["party_name"] = "A return needs the name of the pharmacy it went back to"
    if kind == EntryKind.WASTED and not movement.dose.strip():
        problems["dose"] = "A wastage needs the amount denatured, for example 5 mg"
    return problems


def _part_held(premises: Premises, drug: ControlledDrug, field: str = "drug") -> RegisterPart:
    part = RegisterPart.objects.filter(premises=premises, drug=drug).first()
    if part is None:
        raise Refused(f"{premises} does not hold {drug}: it has no register part for it", field=field)
    return part


def _locked(*parts: RegisterPart) -> dict[int, RegisterPart]:
    """Lock the parts' rows, in id order so two writers never wait on each other in a circle."""
    ids = sorted(part.pk for part in parts)
    return {
        part.pk: part for part in RegisterPart.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def balance_of(part: RegisterPart) -> tuple[int, int]:
    """The part's balance and its last line number, from its entries."""
    totals = RegisterEntry.objects.filter(part=part).aggregate(balance=Sum("change"), last=Max("sequence"))
    return totals["balance"] or 0, totals["last"] or 0


def _append(part: RegisterPart, *, by: User, change: int, **fields) -> RegisterEntry:
    """Write the next line of a locked part, refusing one that would take its balance below zero."""
    balance, last = balance_of(part)
    if balance + change < 0:
        raise Refused(
            f"This would take the balance of {part.drug} at {part.premises} below zero: the balance is "
            f"{balance} and this entry takes out {-change}. Nothing has been recorded",
            field="quantity",
        )
    return RegisterEntry.objects.create(
        part=part,
        sequence=last + 1,
        change=change,
        balance_after=balance + change,
        recorded_by=by,
        recorded_at=timezone.now(),
        **fields,
    )


def _audit(by: User, entry: RegisterEntry, **more) -> None:
    audit.record(
        action="recorded_register_entry",
        actor=by,
        target=entry,
        summary=f"{entry.get_kind_display()} {entry.quantity}, {entry.part}"[:255],
        changes={
            "part": str(entry.part.public_id),
            "line": entry.sequence,
            "kind": entry.kind,
            "quantity": entry.quantity,
            "balance_after": entry.balance_after,
            "occurred_on": entry.occurred_on.isoformat(),
            "witness": str(entry.witness.public_id) if entry.witness else None,
            "corrects": str(entry.corrects.public_id) if entry.corrects else None,
            "late": entry.is_late,
            **more,
        },
    )


def _batch_taken(part: RegisterPart, movement: Movement) -> str:
    """The batch a receipt brings, or the one a destruction or return says it took, which must be held."""
    batch = movement.batch.strip()
    if movement.kind == EntryKind.RECEIVED or not batch:
        return batch
    if batch not in {lot.batch for lot in lots.lots_of([part.pk])}:
        raise Refused(f"No stock of batch {batch} is held in this part of the register", field="batch")
    return batch


def _require_keeper(by: User, premises: Premises) -> None:
    if not can(by, RECORD_ENTRIES, premises):
        raise PermissionDenied


@transaction.atomic
def record_entry(
    *, by: User, premises: Premises, drug: ControlledDrug, movement: Movement, witness: User | None = None
) -> RegisterEntry:
    """Record one receipt, administration, supply, return, wastage or destruction in a premises' register."""
    _require_keeper(by, premises)
    if movement.kind not in SINGLE_KINDS:
        raise Refused("Choose what happened to the drugs", field="kind")
    problems = movement_problems(movement)
    problems |= _date_problems(movement.occurred_on, movement.late_reason)
    problems |= witness_problems(by=by, kind=movement.kind, premises=premises, witness=witness)
    if problems:
        raise Refused.from_problems(problems)
    held = _part_held(premises, drug)
    part = _locked(held)[held.pk]
    batch = _batch_taken(part, movement) if movement.kind in NAMES_BATCH else ""
    sign = 1 if movement.kind in INCOMING else -1
    entry = _append(
        part,
        by=by,
        change=sign * movement.quantity,
        kind=movement.kind,
        quantity=movement.quantity,
        occurred_on=movement.occurred_on,
        party_name=movement.party_name.strip(),
        party_address=movement.party_address.strip(),
        incident_reference=movement.incident_reference.strip(),
        authority=movement.authority.strip(),
        dose=movement.dose.strip(),
        collected_by=movement.collected_by.strip(),
        batch=batch,
        expires_on=movement.expires_on if movement.kind == EntryKind.RECEIVED else None,
        id_requested=movement.id_requested if movement.kind == EntryKind.SUPPLIED else None,
        id_shown=movement.id_shown if movement.kind == EntryKind.SUPPLIED and movement.id_requested else None,
        witness=witness,
        witness_confirmed_at=timezone.now() if witness else None,
        is_late=movement.occurred_on < timezone.localdate(),
        late_reason=movement.late_reason.strip(),
        remarks=movement.remarks.strip(),
    )
    _audit(by, entry)
    return entry


@transaction.atomic
def record_transfer(
    *,
    by: User,
    from_premises: Premises,
    to_premises: Premises,
    drug: ControlledDrug,
    quantity_sent: int,
    quantity_received: int,
    occurred_on: dt.date,
    witness: User | None,
    late_reason: str = "",
    remarks: str = "",
) -> tuple[RegisterEntry, RegisterEntry]:
    """Move drugs between two premises (safe to pouch, pouch to safe, station to station): both sides are
    written together, or neither is."""
    _require_keeper(by, from_premises)
    problems = _date_problems(occurred_on, late_reason)
    problems |= witness_problems(
        by=by, kind=EntryKind.TRANSFERRED_OUT, premises=from_premises, witness=witness
    )
    if to_premises.pk == from_premises.pk:
        problems["to_premises"] = "A transfer goes to other premises: choose where the drugs went"
    elif not can(by, RECORD_ENTRIES, to_premises):
        problems["to_premises"] = f"You do not keep the register at {to_premises}, so cannot record this"
    if quantity_sent < 1:
        problems["quantity_sent"] = "Enter how many were sent, as a whole number of 1 or more"
    elif quantity_sent != quantity_received:
        problems["quantity_received"] = (
            f"The two sides of the transfer disagree: {quantity_sent} sent from {from_premises} but "
            f"{quantity_received} received at {to_premises}. Count again; record what both sides agree on"
        )
    if problems:
        raise Refused.from_problems(problems)
    source = _part_held(from_premises, drug)
    destination = _part_held(to_premises, drug, field="to_premises")
    locked = _locked(source, destination)
    held = {(lot.batch, lot.expires_on): lot.quantity for lot in lots.lots_of([source.pk])}
    batch, expires_on = lots.next_out(held, quantity_sent) or ("", None)
    transfer_id = uuid.uuid4()
    common = {
        "batch": batch,
        "expires_on": expires_on,
        "quantity": quantity_sent,
        "occurred_on": occurred_on,
        "transfer_id": transfer_id,
        "witness": witness,
        "witness_confirmed_at": timezone.now(),
        "is_late": occurred_on < timezone.localdate(),
        "late_reason": late_reason.strip(),
        "remarks": remarks.strip(),
    }
    sent = _append(
        locked[source.pk],
        by=by,
        change=-quantity_sent,
        kind=EntryKind.TRANSFERRED_OUT,
        other_premises=to_premises,
        **common,
    )
    received = _append(
        locked[destination.pk],
        by=by,
        change=quantity_sent,
        kind=EntryKind.TRANSFERRED_IN,
        other_premises=from_premises,
        **common,
    )
    _audit(by, sent)
    _audit(by, received)
    return sent, received


def _reference_problems(entry: RegisterEntry, was: str, now: str) -> dict[str, str]:
    if not now:
        return {}
    if entry.kind not in NAMES_INCIDENT:
        return {
            "incident_reference": f"{entry.get_kind_display()} lines name no incident: only an "
            "administration, a supply or a wastage has an incident reference to correct"
        }
    if now == was:
        return {"incident_reference": f"{now} is already this line's incident reference"}
    if len(now) > RegisterEntry._meta.get_field("incident_reference").max_length:
        return {"incident_reference": "An incident reference is at most 40 characters"}
    return {}


@transaction.atomic
def record_correction(
    *, by: User, entry: RegisterEntry, adjustment: int, reason: str, incident_reference: str = ""
) -> RegisterEntry:
    """Correct an entry by a new, dated one that refers to it (reg 20): the original stays as it was. The
    adjustment is what the balance was out by (0 when only a detail was wrong); a new incident reference
    (for an administration, supply or wastage) moves its match with patient records to that incident."""
    _require_keeper(by, entry.part.premises)
    problems = {} if reason.strip() else {"reason": "Say what was wrong with the entry and what is right"}
    part = _locked(entry.part)[entry.part_id]
    now = incident_reference.strip()
    was = current_references([entry])[entry.pk] if now else ""
    problems |= _reference_problems(entry, was, now)
    if problems:
        raise Refused.from_problems(problems)
    correction = _append(
        part,
        by=by,
        change=adjustment,
        kind=EntryKind.CORRECTION,
        quantity=abs(adjustment),
        occurred_on=timezone.localdate(),
        corrects=entry,
        incident_reference=now,
        remarks=reason.strip(),
    )
    if now:
        undone = rematch_corrected(entry, was=was, now=now)
        _audit(by, correction, incident_reference_corrected=True, patient_record_matches_undone=undone)
    else:
        _audit(by, correction)
    return correction
