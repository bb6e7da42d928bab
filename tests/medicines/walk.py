"""The medicines objects the URL and role walk (tests/test_every_url.py) visits: a station safe with a
morphine part, one entry and a stock check that counted one fewer (so a discrepancy, an unexplained loss
reported onward to the police, the outcome not yet known), in the walking users' trust and in the other
one. The lead who recorded the entry is the clinician whose unmatched administrations are walked."""

from __future__ import annotations

from django.utils import timezone

from candour.medicines import services
from candour.medicines.models import ControlledDrug, Premises
from candour.medicines.reference import ensure_controlled_drugs
from candour.people.roles import Role
from tests.support.factories import make_user


def _objects(world, *, inside: bool) -> dict:
    key = "_medicines_inside" if inside else "_medicines_outside"
    if key not in world.__dict__:
        ensure_controlled_drugs(ControlledDrug)
        station = world.station if inside else world.other_trust_station
        lead = make_user(Role.MEDICINES_LEAD, station.parent.parent)
        safe = services.create_premises(by=lead, unit=station, kind=Premises.Kind.SAFE, name="Walk safe")
        morphine = ControlledDrug.objects.get(name="Morphine sulfate", form="ampoule")
        part = services.open_part(by=lead, premises=safe, drug=morphine)
        entry = services.record_entry(
            by=lead,
            premises=safe,
            drug=morphine,
            movement=services.Movement(
                kind="received",
                quantity=5,
                occurred_on=timezone.localdate(),
                party_name="Walk pharmacy",
                party_address="1 Walk Road",
                batch="WALK1",
                expires_on=timezone.localdate(),
            ),
        )
        check = services.record_stock_check(by=lead, premises=safe, counted={part: 4})
        discrepancy = check.counts.get().discrepancy
        officer = make_user(Role.CD_ACCOUNTABLE_OFFICER, station.parent.parent)
        services.work_discrepancy(by=officer, discrepancy=discrepancy, category="unexplained_loss", notes="")
        report = services.record_onward_report(
            by=officer,
            discrepancy=discrepancy,
            body="police",
            reported_on=timezone.localdate(),
            reference="WALK/1",
        )
        world.__dict__[key] = {
            "premises": safe,
            "part": part,
            "entry": entry,
            "check": check,
            "discrepancy": discrepancy,
            "onward_report": report,
            # Whoever recorded a line has a page of unmatched administrations.
            "clinician": lead,
        }
    return world.__dict__[key]


def sample(name: str):
    """(the object's public id inside the walking users' trust, and outside it), for SAMPLES."""
    return lambda world: (
        str(_objects(world, inside=True)[name].public_id),
        str(_objects(world, inside=False)[name].public_id),
    )
