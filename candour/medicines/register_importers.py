"""Register entries from another system (an electronic CD register being replaced, a pharmacy system),
through the importer framework (`core.importing`). The columns are in docs/feeds/medicines.md.

Every row is checked as the one writer checks an entry (`services.registers`: reg 19's details, witnesses
and their authority, the recorder's right to keep the register), and each part's lines are walked in
order, so the running balance of every line is worked out, never read from the file, and a line that would
take it below zero is refused by its line. The register is append-only: a line already stored must be
exactly as the file has it (the same file twice changes nothing), and a line that differs is refused, never
changed; a correction is made in Candour. New lines must follow the part's last line without a gap, and
when they are written the parts are locked and checked unchanged since the file was checked (someone
recording in a part meanwhile means the file is imported again). Both sides of a transfer are in the file,
sharing a `transfer_reference`, and must agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Max, Sum

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    Row,
    RowError,
    RowSource,
    StoredRowsChanged,
    WriteCounts,
    import_audited,
    iso_date,
    past_moment,
    quoted,
    text,
    yes_no,
)
from candour.medicines.access import RECORD_ENTRIES
from candour.medicines.models import INCOMING, EntryKind, Premises, RegisterEntry, RegisterPart
from candour.medicines.services.registers import Movement, movement_problems, witness_problems
from candour.people.access import can
from candour.people.models import User

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Transfer references become transfer ids the same way every time, so a re-import compares equal.
TRANSFERS = uuid.UUID("5d0c1f2e-8f0a-4d7e-9c51-6f1f3b2a9e10")
IMPORTED_KINDS = frozenset(EntryKind) - {EntryKind.CORRECTION}
TRANSFER_KINDS = frozenset({EntryKind.TRANSFERRED_IN, EntryKind.TRANSFERRED_OUT})
PART = ("station_code", "premises", "drug", "strength", "form")
KEY = (*PART, "line")
# The stored fields a line already in the register is compared on.
COMPARED = (
    "kind",
    "occurred_on",
    "recorded_at",
    "recorded_by_id",
    "quantity",
    "witness_id",
    "party_name",
    "party_address",
    "incident_reference",
    "authority",
    "dose",
    "collected_by",
    "id_requested",
    "id_shown",
    "batch",
    "expires_on",
    "transfer_id",
    "other_premises_id",
    "late_reason",
    "remarks",
)


def _count(value: str) -> int:
    if not value.isdigit():
        raise Invalid(f"{quoted(value)} is not a whole number")
    return int(value)


def _line_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise Invalid(f"{quoted(value)} is not a line number (1 or more)")
    return int(value)


def _kind(value: str) -> str:
    if value not in IMPORTED_KINDS:
        if value == EntryKind.CORRECTION:
            raise Invalid("a correction is recorded in Candour, against the line it corrects")
        raise Invalid(f"{quoted(value)} is not one of {', '.join(sorted(IMPORTED_KINDS))}")
    return value


def _moment(value: str) -> dt.datetime:
    return past_moment(value).astimezone(dt.UTC)


COLUMNS = (
    Column("station_code", text(20)),
    Column("premises", text(120)),
    Column("drug", text(80)),
    Column("strength", text(60)),
    Column("form", text(20)),
    Column("line", _line_number),
    Column("kind", _kind),
    Column("occurred_on", iso_date),
    Column("recorded_at", _moment),
    Column("recorded_by", text(20)),
    Column("quantity", _count),
    Column("witness", text(20), optional=True),
    Column("party_name", text(200), optional=True),
    Column("party_address", text(300), optional=True),
    Column("incident_reference", text(40), optional=True),
    Column("authority", text(200), optional=True),
    Column("dose", text(60), optional=True),
    Column("collected_by", text(200), optional=True),
    Column("id_requested", yes_no, optional=True),
    Column("id_shown", yes_no, optional=True),
    Column("batch", text(40), optional=True),
    Column("expires_on", iso_date, optional=True),
    Column("transfer_reference", text(60), optional=True),
    Column("other_station_code", text(20), optional=True),
    Column("other_premises", text(120), optional=True),
    Column("late_reason", text(1000), optional=True),
    Column("remarks", text(1000), optional=True),
)
HEADER = tuple(column.name for column in COLUMNS)
# The movement's own fields, as the one writer's checks name them; each is a column of the same name.
MOVEMENT_FIELDS = (
    "party_name",
    "party_address",
    "incident_reference",
    "authority",
    "dose",
    "collected_by",
    "batch",
    "late_reason",
    "remarks",
)


@dataclass
class _Walk:
    """Where a part's lines have got to while the file is checked: what was stored when checking began,
    and the balance and line number after the last line checked."""

    stored_balance: int
    stored_last: int
    balance: int = 0
    last: int | None = None  # None until the file's first line of the part
    stored_lines: dict[int, tuple] | None = None
    # A line of the part was bad: nothing will be written, so its later lines are not walked (each would
    # only repeat that the part's lines no longer follow on).
    broken: bool = False


@dataclass(frozen=True)
class _TransferSide:
    line: int
    kind: str
    premises_id: int
    other_premises_id: int
    drug_id: int
    quantity: int
    occurred_on: dt.date


class RegisterEntryImporter(Importer):
    """Register lines, part by part, in line order."""

    key = KEY
    columns = COLUMNS

    def __init__(self):
        self._loaded = False
        self.premises: dict[tuple[str, str], Premises] = {}
        self.parts: dict[tuple[int, str, str, str], RegisterPart] = {}
        self.staff: dict[str, User] = {}
        self.walks: dict[int, _Walk] = {}
        self.transfers: dict[str, list[_TransferSide]] = defaultdict(list)
        # check_row works each row's entry out; prepare_batch hands it on, by line.
        self.entries: dict[int, dict] = {}
        self._locked = False

    # Reference data is small: load it once, at the first row.
    def _load(self) -> None:
        if self._loaded:
            return
        for premises in Premises.objects.select_related("unit"):
            self.premises[(premises.unit.code, premises.name.casefold())] = premises
        for part in RegisterPart.objects.select_related("drug"):
            drug = part.drug
            self.parts[(part.premises_id, drug.name.casefold(), drug.strength.casefold(), drug.form)] = part
        self.staff = {
            user.person.staff_number: user
            for user in User.objects.filter(person__isnull=False, is_active=True).select_related("person")
        }
        totals = RegisterEntry.objects.values("part").annotate(balance=Sum("change"), last=Max("sequence"))
        stored = {row["part"]: (row["balance"], row["last"]) for row in totals.order_by()}
        for part_id in {part.pk for part in self.parts.values()}:
            balance, last = stored.get(part_id, (0, 0))
            self.walks[part_id] = _Walk(stored_balance=balance, stored_last=last)
        self._loaded = True

    def _premises(self, station_code: str, name: str, column: str) -> Premises:
        premises = self.premises.get((station_code, name.casefold()))
        if premises is None:
            raise Invalid(
                f"no premises {quoted(name)} at the unit with the code {quoted(station_code)}", column
            )
        return premises

    def _person(self, staff_number: str, column: str) -> User:
        user = self.staff.get(staff_number)
        if user is None:
            raise Invalid(
                f"no one who signs in to Candour has the staff number {quoted(staff_number)}", column
            )
        return user

    def check_row(self, row: Row) -> None:
        self._load()
        values = row.values
        premises = self._premises(values["station_code"], values["premises"], "premises")
        part = self.parts.get(
            (premises.pk, values["drug"].casefold(), values["strength"].casefold(), values["form"])
        )
        if part is None:
            drug = f"{values['drug']} {values['strength']} {values['form']}"
            raise Invalid(f"{premises} does not hold {drug}: it has no register part for it", "drug")
        try:
            self.entries[row.line] = self._checked_entry(row, premises, part)
        except Invalid:
            self.walks[part.pk].broken = True
            raise

    def _checked_entry(self, row: Row, premises: Premises, part: RegisterPart) -> dict:
        values = row.values
        recorder = self._person(values["recorded_by"], "recorded_by")
        if not can(recorder, RECORD_ENTRIES, premises):
            raise Invalid(f"{recorder.display_name} does not keep the register at {premises}", "recorded_by")
        witness = self._person(values["witness"], "witness") if values["witness"] else None
        kind = values["kind"]
        movement = Movement(
            kind=kind,
            quantity=values["quantity"],
            occurred_on=values["occurred_on"],
            expires_on=values["expires_on"],
            id_requested=values["id_requested"],
            id_shown=values["id_shown"],
            **{name: values[name] or "" for name in MOVEMENT_FIELDS},
        )
        problems = movement_problems(movement)
        problems |= {
            "witness" if field == "witness_email" else field: reason
            for field, reason in witness_problems(
                by=recorder, kind=kind, premises=premises, witness=witness
            ).items()
        }
        problems |= self._date_problems(values)
        other = self._transfer_side(row, premises, part) if kind in TRANSFER_KINDS else None
        if problems:
            column, reason = next(iter(problems.items()))
            raise Invalid(reason, column)
        entry = self._entry(values, part, recorder, witness, other)
        self._walk(part, entry)
        return entry

    @staticmethod
    def _date_problems(values: dict) -> dict[str, str]:
        recorded_on = values["recorded_at"].astimezone(LONDON).date()
        if values["occurred_on"] > recorded_on:
            return {"occurred_on": "the drugs cannot have moved after the line was recorded"}
        if values["occurred_on"] < recorded_on and not values["late_reason"]:
            return {"late_reason": "the line was recorded after the day the drugs moved: say why"}
        return {}

    def _transfer_side(self, row: Row, premises: Premises, part: RegisterPart) -> Premises:
        values = row.values
        reference = values["transfer_reference"]
        if not reference:
            raise Invalid(
                "a transfer names its transfer_reference, shared by both sides", "transfer_reference"
            )
        if not values["other_station_code"] or not values["other_premises"]:
            raise Invalid("a transfer names the other premises and its unit's code", "other_premises")
        other = self._premises(values["other_station_code"], values["other_premises"], "other_premises")
        if other.pk == premises.pk:
            raise Invalid("a transfer goes to, or comes from, other premises", "other_premises")
        self.transfers[reference].append(
            _TransferSide(
                row.line,
                values["kind"],
                premises.pk,
                other.pk,
                part.drug_id,
                values["quantity"],
                values["occurred_on"],
            )
        )
        return other

    def _entry(self, values: dict, part, recorder, witness, other) -> dict:
        kind = values["kind"]
        reference = values["transfer_reference"] if kind in TRANSFER_KINDS else None
        return {
            "part_id": part.pk,
            "sequence": values["line"],
            "kind": kind,
            "occurred_on": values["occurred_on"],
            "recorded_at": values["recorded_at"],
            "recorded_by_id": recorder.pk,
            "quantity": values["quantity"],
            "change": values["quantity"] if kind in INCOMING else -values["quantity"],
            "witness_id": witness.pk if witness else None,
            "witness_confirmed_at": values["recorded_at"] if witness else None,
            **{name: values[name] or "" for name in MOVEMENT_FIELDS},
            "id_requested": values["id_requested"] if kind == EntryKind.SUPPLIED else None,
            "id_shown": values["id_shown"] if kind == EntryKind.SUPPLIED else None,
            "expires_on": values["expires_on"],
            "transfer_id": uuid.uuid5(TRANSFERS, reference) if reference else None,
            "other_premises_id": other.pk if other else None,
            "is_late": values["occurred_on"] < values["recorded_at"].astimezone(LONDON).date(),
        }

    def _walk(self, part: RegisterPart, entry: dict) -> None:
        """Follow the part's lines in order: the running balance, and stored lines compared, not changed."""
        walk, line = self.walks[part.pk], entry["sequence"]
        if walk.broken:
            return
        if walk.last is None:
            if line > walk.stored_last + 1:
                raise Invalid(
                    f"{part} has {walk.stored_last} lines, so its next is line {walk.stored_last + 1}, "
                    f"not {line}",
                    "line",
                )
            if line <= walk.stored_last:
                walk.stored_lines = {
                    stored[0]: stored[1:]
                    for stored in part.entries.filter(sequence__gte=line)
                    .order_by("sequence")
                    .values_list("sequence", "balance_after", "change", *COMPARED)
                }
                balance_after, change = walk.stored_lines[line][:2]
                walk.balance = balance_after - change
            else:
                walk.balance = walk.stored_balance
        elif line != walk.last + 1:
            raise Invalid(
                f"the line after {part}'s line {walk.last} in this file is {line}, not {walk.last + 1}",
                "line",
            )
        walk.last = line
        balance = walk.balance + entry["change"]
        if balance < 0:
            raise Invalid(
                f"this would take the balance of {part.drug} at {part.premises} below zero: the balance is "
                f"{walk.balance} and this line takes out {-entry['change']}",
                "quantity",
            )
        walk.balance = balance
        entry["balance_after"] = balance
        if line <= walk.stored_last:
            stored = walk.stored_lines[line][2:]
            if stored != tuple(entry[name] for name in COMPARED):
                raise Invalid(
                    f"line {line} of {part} is already in the register and differs from this row: a register "
                    "line is never changed; record a correction in Candour",
                    "line",
                )
            entry["stored"] = True

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        """Both sides of each transfer are in the file and agree."""
        for reference, sides in self.transfers.items():
            kinds = sorted(side.kind for side in sides)
            if kinds != [EntryKind.TRANSFERRED_IN, EntryKind.TRANSFERRED_OUT]:
                yield RowError(
                    sides[0].line,
                    "transfer_reference",
                    f"transfer {quoted(reference)} needs one line out and one line in, in this file",
                )
                continue
            sent, received = sorted(sides, key=lambda side: side.kind != EntryKind.TRANSFERRED_OUT)
            agree = (
                sent.premises_id == received.other_premises_id
                and received.premises_id == sent.other_premises_id
                and (sent.drug_id, sent.quantity, sent.occurred_on)
                == (received.drug_id, received.quantity, received.occurred_on)
            )
            if not agree:
                yield RowError(
                    received.line,
                    "transfer_reference",
                    f"the two sides of transfer {quoted(reference)} disagree (line {sent.line} and this "
                    "one): the same drug, quantity and day, each naming the other's premises",
                )

    def prepare_batch(self, rows: list[Row]) -> list[dict]:
        return [self.entries.pop(row.line) for row in rows]

    def write_batch(self, prepared: list[dict]) -> WriteCounts:
        self._lock_parts()
        new = [RegisterEntry(**entry) for entry in prepared if not entry.get("stored")]
        RegisterEntry.objects.bulk_create(new, batch_size=2_000)
        return WriteCounts(created=len(new), unchanged=len(prepared) - len(new))

    def _lock_parts(self) -> None:
        """Before the first line is written, lock every part the file touches, in id order as the one writer
        does, and make sure none has changed since the file was checked."""
        if self._locked:
            return
        touched = sorted(part_id for part_id, walk in self.walks.items() if walk.last is not None)
        list(RegisterPart.objects.select_for_update().filter(pk__in=touched).order_by("pk"))
        totals = (
            RegisterEntry.objects.filter(part_id__in=touched)
            .values("part")
            .annotate(balance=Sum("change"), last=Max("sequence"))
            .order_by()
        )
        now = {row["part"]: (row["balance"], row["last"]) for row in totals}
        for part_id in touched:
            walk = self.walks[part_id]
            if now.get(part_id, (0, 0)) != (walk.stored_balance, walk.stored_last):
                raise StoredRowsChanged
        self._locked = True


def import_register_entries(*, by, file: BinaryIO | CsvSource | RowSource) -> ImportResult:
    """Bring in register lines from another system, all or nothing; `by` is None when a system job or the
    command imports them."""
    return import_audited(RegisterEntryImporter(), file, feed="CD register entries", by=by)
