"""Northmoor's controlled drugs: a year of registers for every road station's safe and its vehicle's cabinet.

The history is written in bulk, in the shape the one writer (`services.registers`) writes it: each part's
lines numbered from 1 in date order, each line's `change` signed by its kind and its `balance_after` the sum
so far (never below zero), both sides of a transfer together with one transfer id and a witness, wastage
witnessed, late entries with their reason, corrections referring to the line they correct. Entries are only
ever inserted, which the append-only triggers allow. Stock checks are written the same way, each count
beside the balance at the time (the morning check, before the day's movements).

Today goes through the services: every premises is counted (blind), except at one station whose checks
stopped ten days ago (its checks are missed); one count finds a recording error, resolved by a correction;
another finds an unexplained loss, reported to the police and still open; a late entry is recorded. One
clinician denatures far more than their peers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.importing import RowSource
from candour.medicines import services
from candour.medicines.importers import HEADER, import_patient_record_medicines
from candour.medicines.models import (
    ControlledDrug,
    DiscrepancyCategory,
    EntryKind,
    OnwardBody,
    Premises,
    RegisterEntry,
    RegisterPart,
    StockCheck,
    StockCount,
)
from candour.medicines.reference import ensure_controlled_drugs
from candour.people.demo import demo_email
from candour.people.models import Membership, OrgUnit, Person, User
from candour.people.roles import Role

DAYS = 365
CLINICIANS_PER_STATION = 4
# Who may give controlled drugs from a vehicle under the paramedic exemptions.
PRESCRIBERS = ("paramedic", "specialist-paramedic", "advanced-paramedic", "clinical-team-leader")
PHARMACY = ("Northmoor Infirmary pharmacy", "1 Infirmary Road, Northmoor NM1 4AB")
AUTHORITY = "JRCALC paramedic exemption"
# Per vehicle, the chance of a dose of each drug on a day, the dose, and what a stock top-up brings.
VEHICLE_DRUGS = {
    "Morphine sulfate": (0.35, "10 mg", 4),
    "Midazolam": (0.08, "10 mg", 2),
}
SAFE_DRUGS = ("Morphine sulfate", "Midazolam", "Ketamine")
RECEIPT = {"Morphine sulfate": 20, "Midazolam": 10, "Ketamine": 5}
WASTAGE = 0.04
# The demo's one clinician whose wastage is far above their peers'.
UNUSUAL_WASTAGE = 0.4
LATE_REASONS = [
    "Back-to-back calls; entered at the start of the next shift",
    "Register was in the other vehicle; entered on return to station",
]
CORRECTION_REASONS = [
    "Incident reference mistyped; the right reference is on the patient record",
    "Wrong dose written on the line: 5 mg was given, not 10 mg",
]
MISSED_SINCE_DAYS = 10
# The ePCR medicines export began this many days ago; how often a dose's record is missing from it (only
# the unusual clinician's ever are, so the exceptions list leads with the one clinician to look into).
EXPORT_DAYS = 120
NO_RECORD = 0.0
UNUSUAL_NO_RECORD = 0.2
DAILY_CHECKS_KEPT = 14


def _drugs() -> dict[str, ControlledDrug]:
    ensure_controlled_drugs(ControlledDrug)
    drugs = ControlledDrug.objects.filter(name__in=SAFE_DRUGS, register_required=True)
    return {drug.name: drug for drug in drugs}


def build(context: DemoContext) -> None:
    rng = context.rng_for("medicines")
    lead = User.objects.get(email=demo_email("medicines.lead"))
    officer = User.objects.get(email=demo_email("cd.officer"))
    staff = User.objects.get(email=demo_email("staff"))
    road = [s for s in context.shared["stations"] if "Ambulance Station" in s.name]
    home = staff.person.station
    drugs = _drugs()

    premises = _premises(road, lead)
    parts = _parts(premises, drugs, lead)
    clinicians = _clinicians(road, home, staff, rng)
    missed_station = road[3]
    unusual = clinicians[road[1].pk][0]
    history = _History(rng, context.today, parts, clinicians, unusual)
    for station in road:
        checks_until = MISSED_SINCE_DAYS if station == missed_station else 1
        history.station(station, premises[station.pk], checks_until=checks_until)
    recording_error = history.recording_error(premises[home.pk]["vehicle"], clinicians[home.pk][0])
    history.save()

    _today(context, premises, parts, clinicians, road, missed_station, recording_error, lead, officer, staff)
    _patient_records(history, rng)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        target=context.shared["trust"],
        summary=f"Controlled drugs history: {history.count} register entries over {DAYS} days",
    )


def _premises(road: list[OrgUnit], lead: User) -> dict[int, dict[str, Premises]]:
    made = {}
    for number, station in enumerate(road, start=1):
        short = station.name.removesuffix(" Ambulance Station")
        made[station.pk] = {
            "safe": Premises(unit=station, kind=Premises.Kind.SAFE, name=f"{short} station safe"),
            "vehicle": Premises(unit=station, kind=Premises.Kind.VEHICLE, name=f"NM{100 + number} cabinet"),
        }
    Premises.objects.bulk_create([each for pair in made.values() for each in pair.values()])
    return made


def _parts(premises, drugs, lead: User) -> dict[int, RegisterPart]:
    """Every premises' parts, keyed by (premises id, drug name)."""
    parts = [
        RegisterPart(premises=pair["safe"], drug=drugs[name], opened_by=lead)
        for pair in premises.values()
        for name in SAFE_DRUGS
    ] + [
        RegisterPart(premises=pair["vehicle"], drug=drugs[name], opened_by=lead)
        for pair in premises.values()
        for name in VEHICLE_DRUGS
    ]
    RegisterPart.objects.bulk_create(parts)
    return {(part.premises_id, part.drug.name): part for part in parts}


def _clinicians(road, home, staff: User, rng) -> dict[int, list[User]]:
    """A few paramedics at each road station who keep its registers (the demo staff member at home), each
    signed in with a staff membership of their station."""
    chosen: dict[int, list[Person]] = {}
    for station in road:
        paramedics = list(
            Person.objects.filter(station=station, job_role__code__in=PRESCRIBERS, leave_date=None)
            .exclude(pk=staff.person_id)
            .order_by("staff_number")
        )
        chosen[station.pk] = rng.sample(paramedics, min(CLINICIANS_PER_STATION, len(paramedics)))
    people = [person for persons in chosen.values() for person in persons]
    existing = {user.person_id: user for user in User.objects.filter(person__in=people)}
    User.objects.bulk_create(
        [
            User(email=f"{person.staff_number.lower()}@northmoor.example", person=person, password="!")
            for person in people
            if person.pk not in existing
        ]
    )
    users = {user.person_id: user for user in User.objects.filter(person__in=people).select_related("person")}
    start = timezone.localdate() - dt.timedelta(days=DAYS + 30)
    # Another app's part may have signed some of them in already, without a membership.
    members = set(
        Membership.objects.filter(user__in=users.values(), role=Role.STAFF).values_list("user", flat=True)
    )
    Membership.objects.bulk_create(
        [
            Membership(user=users[person.pk], unit_id=station_pk, role=Role.STAFF, starts_on=start)
            for station_pk, persons in chosen.items()
            for person in persons
            if users[person.pk].pk not in members
        ]
    )
    by_station = {pk: [users[person.pk] for person in persons] for pk, persons in chosen.items()}
    by_station[home.pk] = [staff, *by_station[home.pk]]
    return by_station


@dataclass
class _Part:
    """A part being written: its lines so far, its balance, and (in a safe) its batches, first to expire
    first."""

    part: RegisterPart
    entries: list[RegisterEntry] = field(default_factory=list)
    balance: int = 0
    lots: list[list] = field(default_factory=list)


@dataclass
class _History:
    rng: object
    today: dt.date
    parts: dict
    clinicians: dict
    unusual: User
    written: dict = field(default_factory=dict)
    corrections: list[tuple[RegisterEntry, RegisterEntry]] = field(default_factory=list)
    checks: list[StockCheck] = field(default_factory=list)
    counts: list[tuple[StockCheck, StockCount]] = field(default_factory=list)
    batches: int = 0
    incidents: int = 0

    @property
    def count(self) -> int:
        return sum(len(each.entries) for each in self.written.values()) + len(self.corrections)

    def _of(self, premises: Premises, name: str) -> _Part:
        part = self.parts[(premises.pk, name)]
        if part.pk not in self.written:
            self.written[part.pk] = _Part(part)
        return self.written[part.pk]

    @staticmethod
    def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def _line(self, held: _Part, *, day: dt.date, kind: str, quantity: int, change: int, by: User, **fields):
        held.balance += change
        if held.balance < 0:
            raise ValueError(f"The demo took {held.part} below zero on {day}.")
        late = fields.pop("late", False)
        entry = RegisterEntry(
            part=held.part,
            sequence=len(held.entries) + 1,
            kind=kind,
            occurred_on=day,
            recorded_at=self._at(day + dt.timedelta(days=1 if late else 0), 9 if late else 17, 30),
            recorded_by=by,
            quantity=quantity,
            change=change,
            balance_after=held.balance,
            is_late=late,
            late_reason=self.rng.choice(LATE_REASONS) if late else "",
            **fields,
        )
        held.entries.append(entry)
        return entry

    def _receive(self, safe: _Part, day: dt.date, by: User) -> None:
        self.batches += 1
        quantity = RECEIPT[safe.part.drug.name]
        batch, expires_on = f"NM{self.batches:05d}", day + dt.timedelta(days=self.rng.randint(300, 720))
        safe.lots.append([batch, expires_on, quantity])
        safe.lots.sort(key=lambda lot: lot[1])
        self._line(
            safe,
            day=day,
            kind=EntryKind.RECEIVED,
            quantity=quantity,
            change=quantity,
            by=by,
            party_name=PHARMACY[0],
            party_address=PHARMACY[1],
            batch=batch,
            expires_on=expires_on,
        )

    def _transfer(self, safe: _Part, vehicle: _Part, day: dt.date, quantity: int, by: User, witness: User):
        if safe.balance < quantity:
            self._receive(safe, day, by)
        batch, expires_on = safe.lots[0][0], safe.lots[0][1]
        left = quantity
        while left:
            taken = min(left, safe.lots[0][2])
            safe.lots[0][2] -= taken
            left -= taken
            if not safe.lots[0][2]:
                safe.lots.pop(0)
        common = {
            "batch": batch,
            "expires_on": expires_on,
            "transfer_id": uuid.uuid4(),
            "witness": witness,
            "witness_confirmed_at": self._at(day, 17, 30),
        }
        self._line(
            safe,
            day=day,
            kind=EntryKind.TRANSFERRED_OUT,
            quantity=quantity,
            change=-quantity,
            by=by,
            other_premises=vehicle.part.premises,
            **common,
        )
        self._line(
            vehicle,
            day=day,
            kind=EntryKind.TRANSFERRED_IN,
            quantity=quantity,
            change=quantity,
            by=by,
            other_premises=safe.part.premises,
            **common,
        )

    def _check(self, premises: Premises, day: dt.date, by: User) -> None:
        check = StockCheck(premises=premises, counted_by=by, counted_at=self._at(day, 8))
        self.checks.append(check)
        for held in self.written.values():
            if held.part.premises_id == premises.pk:
                count = StockCount(part=held.part, counted=held.balance, expected=held.balance)
                self.counts.append((check, count))

    def station(self, station: OrgUnit, premises: dict[str, Premises], *, checks_until: int) -> None:
        """A year at one station: the safe stocked from the pharmacy, the vehicle topped up from the safe,
        doses given and part-used ones denatured, every premises counted each morning it is due."""
        rng, crew = self.rng, self.clinicians[station.pk]
        safe, vehicle = premises["safe"], premises["vehicle"]
        held = {name: self._of(safe, name) for name in SAFE_DRUGS}
        carried = {name: self._of(vehicle, name) for name in VEHICLE_DRUGS}
        start = self.today - dt.timedelta(days=DAYS)
        for name in SAFE_DRUGS:
            self._receive(held[name], start, crew[0])
        for name, (_, _, top_up) in VEHICLE_DRUGS.items():
            self._transfer(held[name], carried[name], start, top_up, crew[0], crew[1])
        for offset in range(1, DAYS):
            day = start + dt.timedelta(days=offset)
            ago = (self.today - day).days
            if ago >= checks_until:
                # The vehicle is counted each morning; only its last fortnight's and Mondays' counts are
                # kept here, to keep the demo quick to build.
                if ago <= DAILY_CHECKS_KEPT or day.weekday() == 0:
                    self._check(vehicle, day, rng.choice(crew))
                if day.weekday() == 0:
                    self._check(safe, day, rng.choice(crew))
            for name, (chance, dose, top_up) in VEHICLE_DRUGS.items():
                if rng.random() < chance and carried[name].balance:
                    self._dose(carried[name], day, dose, rng.choice(crew), crew)
                if carried[name].balance < 2:
                    by, witness = rng.sample(crew, 2)
                    self._transfer(held[name], carried[name], day, top_up, by, witness)

    def _dose(self, vehicle: _Part, day: dt.date, dose: str, by: User, crew: list[User]) -> None:
        self.incidents += 1
        reference = f"NM-{day:%y%m%d}-{self.incidents:05d}"
        late = self.rng.random() < 0.01
        given = self._line(
            vehicle,
            day=day,
            kind=EntryKind.ADMINISTERED,
            quantity=1,
            change=-1,
            by=by,
            incident_reference=reference,
            authority=AUTHORITY,
            dose=dose,
            late=late,
        )
        if self.rng.random() < 0.01:
            correction = RegisterEntry(
                part=vehicle.part,
                sequence=len(vehicle.entries) + 1,
                kind=EntryKind.CORRECTION,
                occurred_on=day,
                recorded_at=self._at(day, 18),
                recorded_by=by,
                quantity=0,
                change=0,
                balance_after=vehicle.balance,
                remarks=self.rng.choice(CORRECTION_REASONS),
            )
            vehicle.entries.append(correction)
            self.corrections.append((correction, given))
        wastage = UNUSUAL_WASTAGE if by == self.unusual else WASTAGE
        if vehicle.balance and self.rng.random() < wastage:
            witness = self.rng.choice([each for each in crew if each != by])
            self._line(
                vehicle,
                day=day,
                kind=EntryKind.WASTED,
                quantity=1,
                change=-1,
                by=by,
                incident_reference=reference,
                dose=dose,
                witness=witness,
                witness_confirmed_at=self._at(day, 17, 30),
                remarks="Drawn up, not given: the patient's condition changed",
            )

    def recording_error(self, vehicle: Premises, by: User) -> RegisterEntry:
        """Yesterday, after the morning check, one ampoule given but two written: today's count finds one
        more than the register."""
        held = self._of(vehicle, "Morphine sulfate")
        day = self.today - dt.timedelta(days=1)
        self.incidents += 1
        return self._line(
            held,
            day=day,
            kind=EntryKind.ADMINISTERED,
            quantity=2,
            change=-2,
            by=by,
            incident_reference=f"NM-{day:%y%m%d}-{self.incidents:05d}",
            authority=AUTHORITY,
            dose="10 mg",
        )

    def save(self) -> None:
        entries = [entry for held in self.written.values() for entry in held.entries]
        corrections = {id(correction) for correction, _ in self.corrections}
        RegisterEntry.objects.bulk_create([e for e in entries if id(e) not in corrections], batch_size=2000)
        for correction, target in self.corrections:
            correction.corrects = target
        RegisterEntry.objects.bulk_create([c for c, _ in self.corrections])
        StockCheck.objects.bulk_create(self.checks, batch_size=2000)
        for check, count in self.counts:
            count.stock_check = check
        StockCount.objects.bulk_create([count for _, count in self.counts], batch_size=2000)


def _today(context, premises, parts, clinicians, road, missed_station, recording_error, lead, officer, staff):
    """Today, through the services: every premises counted but those of the station whose checks were missed;
    the recording error found, corrected and resolved; an unexplained loss found, reported and still open;
    a late entry."""
    home = staff.person.station
    loss_station = road[2]
    found = {}
    for station in road:
        if station == missed_station:
            continue
        for where, place in premises[station.pk].items():
            counted = {}
            for part in RegisterPart.objects.filter(premises=place).select_related("drug", "premises"):
                balance, _ = services.balance_of(part)
                if station == home and where == "vehicle" and part.pk == recording_error.part_id:
                    balance += 1
                elif station == loss_station and where == "vehicle" and part.drug.name == "Morphine sulfate":
                    balance -= 1
                counted[part] = balance
            check = services.record_stock_check(by=clinicians[station.pk][0], premises=place, counted=counted)
            for count in check.counts.all():
                if count.difference:
                    found[station.pk] = count.discrepancy

    error = found[home.pk]
    services.record_correction(
        by=lead,
        entry=recording_error,
        adjustment=1,
        reason="One ampoule was given, not two: the patient record shows a single 10 mg dose",
    )
    services.work_discrepancy(
        by=lead,
        discrepancy=error,
        category=DiscrepancyCategory.RECORDING_ERROR,
        notes="Checked the patient record and spoke to the paramedic.",
        resolve=True,
        outcome="Recording error: two ampoules written for one given. Corrected in the register by a dated "
        "entry; reminded the crew to check the line before signing.",
    )

    loss = found[loss_station.pk]
    services.work_discrepancy(
        by=officer,
        discrepancy=loss,
        category=DiscrepancyCategory.UNEXPLAINED_LOSS,
        notes="Recounted with the station manager: one morphine ampoule short. No breakage or wastage "
        "recorded; the last three shifts' crews are being asked.",
    )
    services.record_onward_report(
        by=officer,
        discrepancy=loss,
        body=OnwardBody.POLICE,
        reported_on=timezone.localdate(),
        reference="NMP/CD/2611",
    )

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    vehicle = premises[home.pk]["vehicle"]
    midazolam = parts[(vehicle.pk, "Midazolam")].drug
    if services.balance_of(parts[(vehicle.pk, "Midazolam")])[0]:
        services.record_entry(
            by=staff,
            premises=vehicle,
            drug=midazolam,
            movement=services.Movement(
                kind=EntryKind.ADMINISTERED,
                quantity=1,
                occurred_on=yesterday,
                incident_reference=f"NM-{yesterday:%y%m%d}-99001",
                authority=AUTHORITY,
                dose="10 mg",
                late_reason="The last call ran past the end of the shift; entered at the start of this one",
            ),
        )


def _patient_records(history: _History, rng) -> None:
    """The ePCR's medicines export since it began, through its importer: a record of each dose given or
    wasted, at the time of the call, except the few whose record is missing."""
    since = history.today - dt.timedelta(days=EXPORT_DAYS)
    rows = []
    for held in history.written.values():
        for entry in held.entries:
            if entry.kind not in (EntryKind.ADMINISTERED, EntryKind.WASTED) or entry.occurred_on < since:
                continue
            missing = UNUSUAL_NO_RECORD if entry.recorded_by == history.unusual else NO_RECORD
            if entry.kind == EntryKind.ADMINISTERED and rng.random() < missing:
                continue
            given_at = dt.datetime.combine(entry.occurred_on, dt.time(rng.randint(7, 22), rng.randint(0, 59)))
            values = [
                entry.incident_reference,
                held.part.drug.name,
                entry.dose,
                "1",
                f"{given_at:%Y-%m-%dT%H:%M}",
                entry.recorded_by.person.staff_number,
                "Y" if entry.kind == EntryKind.WASTED else "N",
            ]
            rows.append(dict(zip(HEADER, values, strict=True)))
    result = import_patient_record_medicines(by=None, file=RowSource(rows, name="epcr-medicines-demo"))
    if not result.ok:
        raise ValueError(f"The demo's ePCR export was refused: {result.errors[:3]}")
