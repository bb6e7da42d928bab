"""Fixtures for the medicines tests: a station with a safe and a paramedic's pouch, each with a morphine part,
the staff who keep and witness them, and the leads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from candour.medicines import services
from candour.medicines.models import ControlledDrug, Premises, RegisterPart
from candour.medicines.reference import ensure_controlled_drugs
from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from tests.support.factories import StationFactory, make_user

TODAY = dt.date(2026, 11, 18)
EXPIRES_ON = dt.date(2028, 6, 30)


@pytest.fixture(autouse=True)
def _on_a_known_day():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class Station:
    """Ashby station: a safe holding morphine and fentanyl, and a pouch holding morphine."""

    unit: OrgUnit
    safe: Premises
    pouch: Premises
    morphine: ControlledDrug
    fentanyl: ControlledDrug
    ketamine: ControlledDrug
    safe_morphine: RegisterPart
    pouch_morphine: RegisterPart
    safe_fentanyl: RegisterPart
    paramedic: User
    colleague: User
    apprentice: User
    lead: User
    officer: User


def drug(name: str) -> ControlledDrug:
    return ControlledDrug.objects.get(name=name, form__in=["ampoule", "vial"])


@pytest.fixture
def station(db) -> Station:
    ensure_controlled_drugs(ControlledDrug)
    unit = StationFactory(name="Ashby")
    trust = unit.parent.parent
    lead = make_user(Role.MEDICINES_LEAD, trust)
    safe = services.create_premises(by=lead, unit=unit, kind=Premises.Kind.SAFE, name="Ashby safe")
    pouch = services.create_premises(by=lead, unit=unit, kind=Premises.Kind.POUCH, name="Pouch 7")
    morphine, fentanyl = drug("Morphine sulfate"), drug("Fentanyl")
    return Station(
        unit=unit,
        safe=safe,
        pouch=pouch,
        morphine=morphine,
        fentanyl=fentanyl,
        ketamine=drug("Ketamine"),
        safe_morphine=services.open_part(by=lead, premises=safe, drug=morphine),
        pouch_morphine=services.open_part(by=lead, premises=pouch, drug=morphine),
        safe_fentanyl=services.open_part(by=lead, premises=safe, drug=fentanyl),
        paramedic=make_user(Role.STAFF, unit),
        colleague=make_user(Role.STAFF, unit),
        apprentice=make_user(Role.APPRENTICE, unit),
        lead=lead,
        officer=make_user(Role.CD_ACCOUNTABLE_OFFICER, trust),
    )


def receive(
    station: Station,
    quantity: int,
    *,
    part: RegisterPart | None = None,
    on: dt.date = TODAY,
    batch: str = "MX100",
    expires_on: dt.date = EXPIRES_ON,
):
    """Stock arriving from the pharmacy (batch MX100, expiring well after today unless said), recorded by the
    station's paramedic."""
    part = part or station.safe_morphine
    return services.record_entry(
        by=station.paramedic,
        premises=part.premises,
        drug=part.drug,
        movement=services.Movement(
            kind="received",
            quantity=quantity,
            occurred_on=on,
            party_name="Northmoor pharmacy",
            party_address="1 Infirmary Road, Northmoor",
            batch=batch,
            expires_on=expires_on,
            late_reason="" if on == TODAY else "Delivered after the shift ended",
        ),
    )
