"""The registers as people read them: premises and their parts with balances, and a part's entries laid
out as the paper register is (reg 19 and 20), with each correction shown as a note on the entry it
corrects. Every lookup goes through the reader's scope, so a register outside it is simply not found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from candour.medicines.access import KEEP_REGISTERS, RECORD_ENTRIES, VIEW_REGISTERS
from candour.medicines.models import ControlledDrug, EntryKind, Premises, RegisterEntry, RegisterPart
from candour.people.access import scope_of
from candour.people.models import OrgUnit


def premises_with_last_check(user) -> QuerySet[Premises]:
    """Premises the user may read, each with `last_counted_at`, its latest stock check, in one query."""
    return premises_for(user).annotate(last_counted_at=Max("stock_checks__counted_at"))


def premises_for(user) -> QuerySet[Premises]:
    """Premises whose registers the user may read."""
    return Premises.objects.filter(unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids).select_related("unit")


def premises_for_keeper(user) -> QuerySet[Premises]:
    """Premises whose registers the user may write in."""
    return Premises.objects.filter(unit_id__in=scope_of(user, RECORD_ENTRIES).unit_ids).select_related("unit")


def units_for_premises(user) -> list[OrgUnit]:
    """The stations and areas where the user may set up premises."""
    scope = scope_of(user, KEEP_REGISTERS)
    return list(OrgUnit.objects.filter(pk__in=scope.station_ids | scope.area_ids).order_by("kind", "name"))


def premises_of(user, public_id) -> Premises | None:
    return premises_for(user).filter(public_id=public_id).first()


def transfer_destinations(user, premises: Premises) -> list[Premises]:
    """Where the user may send drugs from these premises: others they keep the register of."""
    return list(premises_for_keeper(user).exclude(pk=premises.pk))


def drugs_in_registers() -> QuerySet[ControlledDrug]:
    """The drugs this trust keeps registers for."""
    return ControlledDrug.objects.filter(register_required=True)


@dataclass(frozen=True)
class PartSummary:
    part: RegisterPart
    balance: int
    entries: int
    last_entry_on: dt.date | None


def parts_of(premises: Premises) -> list[PartSummary]:
    """Each part of the premises' register, with its balance summed from its entries."""
    parts = (
        RegisterPart.objects.filter(premises=premises)
        .select_related("drug", "premises")
        .annotate(
            balance=Coalesce(Sum("entries__change"), 0),
            count=Count("entries"),
            last_on=Max("entries__occurred_on"),
        )
    )
    return [PartSummary(part, part.balance, part.count, part.last_on) for part in parts]


def register_part_for(user, public_id) -> RegisterPart | None:
    return (
        RegisterPart.objects.filter(
            public_id=public_id, premises__unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids
        )
        .select_related("drug", "premises__unit")
        .first()
    )


def entry_for_keeper(user, public_id) -> RegisterEntry | None:
    """An entry the user may correct: one in a register they write in."""
    return (
        RegisterEntry.objects.filter(
            public_id=public_id, part__premises__unit_id__in=scope_of(user, RECORD_ENTRIES).unit_ids
        )
        .select_related("part__drug", "part__premises", "recorded_by__person")
        .first()
    )


@dataclass
class RegisterLine:
    entry: RegisterEntry
    corrections: list[RegisterEntry] = field(default_factory=list)


@dataclass
class RegisterPage:
    part: RegisterPart
    starts_on: dt.date | None
    ends_on: dt.date | None
    opening_balance: int
    closing_balance: int
    lines: list[RegisterLine]


def _entries(part: RegisterPart) -> QuerySet[RegisterEntry]:
    return part.entries.select_related(
        "recorded_by__person", "witness__person", "other_premises", "corrects"
    ).order_by("occurred_on", "sequence")


def _in_range(starts_on: dt.date | None, ends_on: dt.date | None) -> Q:
    within = Q()
    if starts_on:
        within &= Q(occurred_on__gte=starts_on)
    if ends_on:
        within &= Q(occurred_on__lte=ends_on)
    return within


def register_page(part: RegisterPart, starts_on: dt.date | None = None, ends_on: dt.date | None = None):
    """The part's entries between two dates (inclusive), in date order, each with the corrections made to
    it; the balance before the first and after the last is summed from the entries."""
    before = part.entries.filter(occurred_on__lt=starts_on) if starts_on else part.entries.none()
    opening = before.aggregate(total=Coalesce(Sum("change"), 0))["total"]
    entries = list(_entries(part).filter(_in_range(starts_on, ends_on)))
    corrections: dict[int, list[RegisterEntry]] = {}
    for correction in _entries(part).filter(kind=EntryKind.CORRECTION):
        corrections.setdefault(correction.corrects_id, []).append(correction)
    lines = [RegisterLine(entry, corrections.get(entry.pk, [])) for entry in entries]
    closing = opening + sum(entry.change for entry in entries)
    return RegisterPage(part, starts_on, ends_on, opening, closing, lines)


EXPORT_HEADINGS = [
    "Line",
    "Date",
    "What happened",
    "Quantity",
    "Change to balance",
    "Balance after",
    "From or to",
    "Address",
    "Patient incident reference",
    "Authority",
    "Dose",
    "Batch",
    "Expires",
    "Collected by",
    "ID asked for",
    "ID shown",
    "Recorded by",
    "Witness",
    "Recorded at",
    "Late",
    "Reason late",
    "Corrects line",
    "Remarks",
]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def export_rows(page: RegisterPage) -> list[list]:
    """The page's entries as rows for a CSV, one per entry, corrections included in their own rows."""
    rows = []
    for line in page.lines:
        entry = line.entry
        rows.append(
            [
                entry.sequence,
                entry.occurred_on.isoformat(),
                entry.get_kind_display(),
                entry.quantity,
                entry.change,
                entry.balance_after,
                entry.party_name or (entry.other_premises.name if entry.other_premises else ""),
                entry.party_address,
                entry.incident_reference,
                entry.authority,
                entry.dose,
                entry.batch,
                entry.expires_on.isoformat() if entry.expires_on else "",
                entry.collected_by,
                _yes_no(entry.id_requested),
                _yes_no(entry.id_shown),
                entry.recorded_by.display_name,
                entry.witness.display_name if entry.witness else "",
                timezone.localtime(entry.recorded_at).strftime("%Y-%m-%d %H:%M"),
                _yes_no(entry.is_late),
                entry.late_reason,
                entry.corrects.sequence if entry.corrects else "",
                entry.remarks,
            ]
        )
    return rows
