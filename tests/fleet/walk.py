"""The fleet's samples for the URL and role walk (tests/test_every_url.py): a vehicle past its MOT carrying a
stretcher with a result and an outstanding field safety notice, an unsafe defect from its daily check, an
overdue deep clean and a cleanliness audit of its station, a bariatric chair making it a bariatric vehicle, a
partner provider and a bariatric request waiting for review, in the walking users' trust or the other one,
made once per world."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candour.fleet import services
from candour.people.roles import Role
from tests.support.factories import make_user


def _made(world, *, inside: bool) -> dict:
    key = "_fleet_inside" if inside else "_fleet_outside"
    if key not in world.__dict__:
        station = world.station if inside else world.other_trust_station
        lead = make_user(Role.FLEET_LEAD, station.parent.parent)
        today = dt.date.today()
        suffix = "1" if inside else "2"
        vehicle = services.add_vehicle(
            by=lead,
            call_sign=f"WALK{suffix}",
            registration=f"WA26 LK{suffix}",
            vehicle_type="emergency_ambulance",
            station=station,
            make="Fiat",
            model="Ducato",
            serial_number=f"VIN{suffix}",
            asset_tag=f"V-WALK{suffix}",
        )
        past = today - dt.timedelta(days=400)
        services.add_schedule(by=lead, asset=vehicle.asset, kind="mot", starts_on=past, interval_months=12)
        stretcher = services.add_equipment(
            by=lead,
            kind="medical_device",
            make="Ferno",
            model="Pegasus",
            serial_number=f"SN{suffix}",
            asset_tag=f"STR-WALK{suffix}",
            on_vehicle=vehicle,
        )
        services.add_schedule(by=lead, asset=stretcher, kind="ppm", starts_on=today, interval_months=12)
        services.record_result(by=lead, result=services.Result(stretcher.asset_tag, "ppm", today, "pass"))
        crew = make_user(Role.STAFF, station)
        items = services.checklist_for(vehicle)
        answers = {item.pk: services.Answer(True) for item in items}
        answers[items[0].pk] = services.Answer(False, note="Nearside headlight out", unsafe=True)
        check = services.submit_vehicle_check(by=crew, vehicle=vehicle, shift="day", answers=answers)
        notice = services.record_notice(
            by=lead,
            trust=station.parent.parent,
            reference="FSN-WALK",
            title="Pegasus wheel lock may slip",
            make="Ferno",
            model="Pegasus",
            action_required="Fit the replacement wheel lock",
            issued_on=today,
        )
        # Cleanliness: a deep clean 50 days ago (so overdue) and a station audit with a failed element.
        services.record_clean(
            by=crew,
            vehicle=vehicle,
            clean_type="deep",
            done_at=timezone.now() - dt.timedelta(days=50),
        )
        services.submit_audit(
            by=lead,
            station=station,
            vehicle=None,
            functional_risk="FR4",
            audited_on=today,
            elements=[
                services.Element("Sluice", True),
                services.Element("Kit store floor", False, action="Mop daily", action_owner="Station lead"),
            ],
            swabs=[services.Swab("Stretcher rail", 120)],
        )
        # Bariatric provision: a chair rated to 350 kg on the vehicle, a partner, and a request three hours
        # old with no resource yet (so beyond the review limit).
        chair = services.add_equipment(
            by=lead,
            kind="lifting_equipment",
            make="Ferno",
            model="Compact",
            serial_number=f"CH{suffix}",
            asset_tag=f"CHAIR-WALK{suffix}",
            on_vehicle=vehicle,
            loler_category="lifts_people",
        )
        services.add_schedule(by=lead, asset=chair, kind="loler", starts_on=today)
        services.record_capability(by=lead, asset=chair, safe_working_load_kg=350, max_patient_width_cm=80)
        services.record_partner(
            by=lead, trust=station.parent.parent, name="Walk Bariatric Transport", capacity=1, contact="0100"
        )
        bariatric_request = services.record_bariatric_request(
            by=lead,
            station=station,
            incident_reference=f"INC-WALK{suffix}",
            requested_at=timezone.now() - dt.timedelta(hours=3),
        )
        world.__dict__[key] = {
            "bariatric_request": bariatric_request,
            "vehicle": vehicle,
            "asset": stretcher,
            "defect": check.defects.get(),
            "notice": notice,
            "affected": notice.affected.get(),
        }
    return world.__dict__[key]


def sample(world, name: str) -> tuple[str, str]:
    """(inside the users' trust, outside it) public ids of the named fleet object."""
    return str(_made(world, inside=True)[name].public_id), str(_made(world, inside=False)[name].public_id)
