"""Northmoor's fleet and equipment: about 40 vehicles at demo scale (400 at trust scale), what they carry and
what each station keeps in store, with its maintenance, checks, cleans, audits and bariatric provision.

The register and its history are written in bulk, in the shape the services write them (a schedule's next
due date from its last pass by the same rule, a deep clean due row for every vehicle, a check with an answer
to every question and a defect for every "no"). The final states go through the services: the latest
cleans, the notices and their actions, the quarantines, the bariatric ratings, partners, requests and
reviews, and the audits. The stories the demo tells:

- the stretchers at one Calder Vale station are past their LOLER thorough examination;
- a field safety notice for suction units is half actioned (an older one for defibrillators is done);
- night-shift vehicle checks are missed at another Calder Vale station;
- a vehicle at the demo's home station is overdue its deep clean;
- every station has a cleanliness audit, with actions on what failed;
- bariatric waits in North Fells are far longer than in Oakridge City, which has two bariatric
  ambulances to North Fells' one and a partner provider it leans on.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.months import add_months, complete_months
from candour.fleet import services
from candour.fleet.models import (
    AffectedAsset,
    Asset,
    AssetKind,
    CheckAnswer,
    ChecklistItem,
    CleanDue,
    CleanType,
    Defect,
    DefectStatus,
    MaintenanceKind,
    MaintenanceResult,
    MaintenanceSchedule,
    Outcome,
    Shift,
    UsageUnit,
    Vehicle,
    VehicleCheck,
    VehicleClean,
    VehicleStatus,
    VehicleType,
    bariatric_review_after,
)
from candour.people.demo import demo_email
from candour.people.models import OrgUnit, Person, User

VEHICLES = {"demo": 40, "trust": 400}
# About this many assets in all at trust scale (issue 15: about 20,000 for 400 vehicles): what the vehicles
# carry and each store's usual stock are a few thousand, so each station's store holds the rest as spare kit.
ASSETS = {"trust": 20_000}
# Years of maintenance history behind each schedule.
HISTORY_YEARS = {"demo": 2, "trust": 5}
# Complete months of daily vehicle checks before this one.
CHECK_MONTHS = 1
# Only the last week's checks keep every answer; older ones keep who checked which shift and the defects
# their "no"s raised (each answer is a row: a month of them at trust scale would be most of the demo's time).
ANSWERS_DAYS = 7
NOTE = "Found at the start of the shift: reported to fleet"
# The vehicle types a station's vehicles take in turn.
TYPES = [
    VehicleType.EMERGENCY_AMBULANCE,
    VehicleType.RAPID_RESPONSE_CAR,
    VehicleType.EMERGENCY_AMBULANCE,
    VehicleType.PATIENT_TRANSPORT,
    VehicleType.EMERGENCY_AMBULANCE,
    VehicleType.EMERGENCY_AMBULANCE,
    VehicleType.HART,
]
VEHICLE_MAKES = {
    VehicleType.EMERGENCY_AMBULANCE: ("Fiat", "Ducato Maxi"),
    VehicleType.BARIATRIC: ("Mercedes-Benz", "Sprinter 519"),
    VehicleType.RAPID_RESPONSE_CAR: ("Skoda", "Octavia Estate"),
    VehicleType.PATIENT_TRANSPORT: ("Peugeot", "Boxer"),
    VehicleType.HART: ("Ford", "Transit"),
}
# (tag prefix, kind, make, model, LOLER category, safe working load kg, widest patient cm, schedules)
STRETCHER = (
    "STR",
    AssetKind.LIFTING_EQUIPMENT,
    "Ferno",
    "Pegasus",
    "lifts_people",
    227,
    56,
    ("loler", "ppm"),
)
CHAIR = ("CHR", AssetKind.LIFTING_EQUIPMENT, "Ferno", "Compact 2", "lifts_people", 227, 50, ("loler", "ppm"))
BARIATRIC_STRETCHER = (
    "BST",
    AssetKind.LIFTING_EQUIPMENT,
    "Ferno",
    "Pegasus Bariatric",
    "lifts_people",
    None,
    None,
    ("loler", "ppm"),
)
WINCH = ("WIN", AssetKind.LIFTING_EQUIPMENT, "Ferno", "Bariatric Winch", "accessory", None, None, ("loler",))
TAIL_LIFT = (
    "TLL",
    AssetKind.LIFTING_EQUIPMENT,
    "Ratcliff",
    "Palfinger RS",
    "lifts_people",
    250,
    None,
    ("loler",),
)
DEFIB = ("DEF", AssetKind.MEDICAL_DEVICE, "Zoll", "X Series", "", None, None, ("ppm", "electrical_safety"))
SUCTION = (
    "SUC",
    AssetKind.MEDICAL_DEVICE,
    "Laerdal",
    "LSU 4000",
    "",
    None,
    None,
    ("ppm", "electrical_safety"),
)
CARRIES = {
    VehicleType.EMERGENCY_AMBULANCE: (STRETCHER, CHAIR, DEFIB, SUCTION),
    VehicleType.BARIATRIC: (BARIATRIC_STRETCHER, WINCH, CHAIR, DEFIB, SUCTION),
    VehicleType.RAPID_RESPONSE_CAR: (DEFIB, SUCTION),
    VehicleType.PATIENT_TRANSPORT: (CHAIR, TAIL_LIFT),
    VehicleType.HART: (DEFIB,),
}
STORE = (STRETCHER, DEFIB)
# Spare kit a trust-scale store holds in number: kinds under no field safety notice, so the notices' stories
# stay the size they are at demo scale.
SPARES = (
    ("SYR", AssetKind.MEDICAL_DEVICE, "BD", "BodyGuard T", "", None, None, ("ppm", "electrical_safety")),
    ("MON", AssetKind.MEDICAL_DEVICE, "Philips", "IntelliVue X3", "", None, None, ("ppm", "calibration")),
    ("SCP", AssetKind.LIFTING_EQUIPMENT, "Ferno", "Scoop EXL", "lifts_people", None, None, ("loler",)),
    ("VAC", AssetKind.MEDICAL_DEVICE, "Hartwell", "Evac-U-Splint", "", None, None, ("ppm",)),
)
INTERVALS = {"ppm": 12, "electrical_safety": 12, "calibration": 12, "vehicle_service": 12, "mot": 12}
# Rows written at a time: the trust-scale history is a quarter of a million results.
BULK = 5_000
SERVICE_MILES = 20_000
# The bariatric stories: waits (minutes) by area, and how many requests each area has at demo scale.
FAST_AREA, SLOW_AREA = "Oakridge City", "North Fells"
WAITS = {FAST_AREA: (18, 45), SLOW_AREA: (70, 165)}
REQUESTS = {FAST_AREA: 10, SLOW_AREA: 10}
OTHER_REQUESTS = 3
AUDIT_ELEMENTS = [
    "Stretcher and mattress",
    "Patient area floor",
    "Kit store",
    "Sluice",
    "Crew room kitchen",
    "Vehicle cab",
]
ADVISORIES = ["Wheel bearings worn: replace at the next service", "Battery near the end of its life"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Fleet:
    """What the demo writes, and the stations its stories are told at."""

    def __init__(self, context: DemoContext):
        self.context = context
        self.rng: random.Random = context.rng_for("fleet")
        self.today = context.today
        self.trust = context.shared["trust"]
        self.stations = [s for s in context.shared["stations"] if "Ambulance Station" in s.name]
        self.areas = {area.pk: area for area in context.shared["areas"]}
        self.users = {
            slug: User.objects.get(email=demo_email(slug))
            for slug in ("fleet.lead", "quality.lead", "eoc.manager", "operations.manager", "staff")
        }
        self.lead = self.users["fleet.lead"]
        home = self.users["staff"].person.station
        calder = [s for s in self.stations if s.parent_id == home.parent_id]
        self.home = home
        self.loler_station = calder[1]
        self.night_station = calder[2]
        self.quarantine_station = calder[3] if len(calder) > 3 else calder[-1]
        self.registered = _at(add_months(self.today, -36), 9)

    def area_named(self, name: str) -> OrgUnit | None:
        return next((area for area in self.areas.values() if area.name == name), None)


def build(context: DemoContext) -> None:
    fleet = _Fleet(context)
    vehicles = _register(fleet)
    _maintenance(fleet)
    _crews_and_checks(fleet, vehicles)
    _cleans(fleet, vehicles)
    _notices(fleet)
    _quarantines(fleet)
    _audits(fleet, vehicles)
    _bariatric(fleet, vehicles)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        target=fleet.trust,
        summary=f"Fleet: {len(vehicles)} vehicles and {Asset.objects.count() - len(vehicles)} other assets",
    )


# The register


def _types_at(fleet: _Fleet, station: OrgUnit, count: int) -> list[str]:
    types = [TYPES[index % len(TYPES)] for index in range(count)]
    area = fleet.areas[station.parent_id]
    in_area = [s for s in fleet.stations if s.parent_id == area.pk]
    # One bariatric ambulance in each area (two in Oakridge City), never at the LOLER story's station.
    bariatric_at = [in_area[-1]] + ([in_area[-2]] if area.name == FAST_AREA and len(in_area) > 1 else [])
    if station in bariatric_at and station != fleet.loler_station and count > 1:
        types[1] = VehicleType.BARIATRIC
    return types


def _letters(number: int) -> str:
    letters = ""
    for _ in range(3):
        number, index = divmod(number, 26)
        letters = chr(ord("A") + index) + letters
    return letters


def _register(fleet: _Fleet) -> list[Vehicle]:
    """Every vehicle, its equipment and each station's store, with a deep clean due from registration."""
    rng = fleet.rng
    total = VEHICLES.get(fleet.context.scale.name, 40)
    base, extra = divmod(total, len(fleet.stations))
    vehicle_assets, vehicles = [], []
    number = 0
    for index, station in enumerate(fleet.stations):
        count = base + (1 if index < extra else 0)
        area_no = station.code.split("-")[1][0]
        for position, vehicle_type in enumerate(_types_at(fleet, station, count), start=1):
            call_sign = f"NM{area_no}{station.code[-2:]}{position}"
            make, model = VEHICLE_MAKES[vehicle_type]
            vehicle_assets.append(
                Asset(
                    kind=AssetKind.VEHICLE,
                    make=make,
                    model=model,
                    serial_number=f"WF0{rng.randrange(10**9, 10**10)}",
                    asset_tag=f"V-{call_sign}",
                    station=station,
                    usage_unit=UsageUnit.MILES,
                    usage_reading=rng.randint(15_000, 160_000),
                )
            )
            vehicles.append(
                Vehicle(
                    call_sign=call_sign,
                    registration=f"NM{rng.choice((21, 22, 23, 24, 25))}{_letters(number)}",
                    vehicle_type=vehicle_type,
                    station=station,
                )
            )
            number += 1
    Asset.objects.bulk_create(vehicle_assets, batch_size=1000)
    for vehicle, asset in zip(vehicles, vehicle_assets, strict=True):
        vehicle.asset = asset
    Vehicle.objects.bulk_create(vehicles, batch_size=1000)
    Vehicle.objects.filter(pk__in=[v.pk for v in vehicles]).update(created_at=fleet.registered)
    CleanDue.objects.bulk_create(
        [CleanDue(vehicle=v, clean_type=CleanType.DEEP, next_due_at=fleet.registered) for v in vehicles],
        batch_size=1000,
    )

    equipment = []
    for vehicle in vehicles:
        for spec in CARRIES[vehicle.vehicle_type]:
            equipment.append(_equipment(rng, spec, f"{spec[0]}-{vehicle.call_sign}", on_vehicle=vehicle))
    for station in fleet.stations:
        for spec in STORE:
            equipment.append(_equipment(rng, spec, f"{spec[0]}-{station.code}-S", store=station))
    spares = _spares_per_store(fleet, len(vehicle_assets) + len(equipment))
    for station in fleet.stations:
        for number in range(1, spares + 1):
            spec = SPARES[number % len(SPARES)]
            equipment.append(_equipment(rng, spec, f"{spec[0]}-{station.code}-{number:04d}", store=station))
    Asset.objects.bulk_create(equipment, batch_size=BULK)
    pks = [a.pk for a in vehicle_assets + equipment]
    for start in range(0, len(pks), BULK):
        Asset.objects.filter(pk__in=pks[start : start + BULK]).update(created_at=fleet.registered)
    return vehicles


def _spares_per_store(fleet: _Fleet, registered: int) -> int:
    """How many spares each store holds for the register to reach the scale's size (none at demo scale)."""
    wanted = ASSETS.get(fleet.context.scale.name)
    if not wanted or wanted <= registered:
        return 0
    return round((wanted - registered) / len(fleet.stations))


def _equipment(rng, spec, tag: str, *, on_vehicle: Vehicle | None = None, store: OrgUnit | None = None):
    _, kind, make, model, category, load, width, _ = spec
    return Asset(
        kind=kind,
        make=make,
        model=model,
        serial_number=f"{make[:2].upper()}{rng.randrange(10**6, 10**7)}",
        asset_tag=tag,
        on_vehicle=on_vehicle,
        store=store,
        station=on_vehicle.station if on_vehicle else store,
        loler_category=category,
        safe_working_load_kg=load,
        max_patient_width_cm=width,
    )


# Maintenance


def _maintenance(fleet: _Fleet) -> None:
    """Each asset's schedules and the results behind them: two years of passes (five at trust scale), the
    odd advisory and a fail put right days later. Most are in date; a few are not, and the LOLER station's
    stretchers are all past their thorough examination."""
    rng, today = fleet.rng, fleet.today
    specs = {spec[0]: spec for specs in (*CARRIES.values(), SPARES) for spec in specs}
    years = HISTORY_YEARS.get(fleet.context.scale.name, 2)
    schedules, histories = [], []
    assets = list(Asset.objects.filter(station__in=fleet.stations).order_by("pk"))
    for asset in assets:
        if asset.kind == AssetKind.VEHICLE:
            kinds = ("vehicle_service", "mot")
        else:
            kinds = specs[asset.asset_tag.split("-")[0]][7]
        for kind in kinds:
            months = 6 if kind == MaintenanceKind.LOLER else INTERVALS[kind]
            earliest = add_months(today, -months)
            stretcher = asset.model == "Pegasus" and asset.station_id == fleet.loler_station.pk
            if kind == MaintenanceKind.LOLER and stretcher:
                last = earliest - dt.timedelta(days=rng.randint(9, 40))
            elif rng.random() < 0.02:
                last = earliest - dt.timedelta(days=rng.randint(1, 30))
            else:
                last = today - dt.timedelta(days=rng.randint(1, (today - earliest).days - 1))
            schedule = MaintenanceSchedule(
                asset=asset,
                kind=kind,
                interval_months=months,
                last_done_on=last,
                next_due_on=add_months(last, months),
            )
            readings = []
            if kind == MaintenanceKind.VEHICLE_SERVICE:
                schedule.usage_interval = SERVICE_MILES
                at_service = asset.usage_reading - rng.randint(500, 15_000)
                schedule.next_due_usage = at_service + SERVICE_MILES
                readings = [at_service - SERVICE_MILES * step for step in range(4)]
            schedules.append(schedule)
            histories.append((schedule, asset, _passes(rng, last, months, years), readings))
    MaintenanceSchedule.objects.bulk_create(schedules, batch_size=BULK)
    results = []
    for schedule, asset, done, readings in histories:
        for step, (day, outcome) in enumerate(done):
            reading = readings[min(step, len(readings) - 1)] if readings else None
            results.append(
                MaintenanceResult(
                    schedule=schedule,
                    asset=asset,
                    done_on=day,
                    outcome=outcome,
                    usage_reading=reading if reading and reading > 0 else None,
                    advisories=rng.choice(ADVISORIES) if outcome == Outcome.PASS_WITH_ADVISORIES else "",
                    defects="Failed its functional test: repaired and retested"
                    if outcome == Outcome.FAIL
                    else "",
                    examiner="Northern Lifting Inspection Ltd"
                    if schedule.kind == MaintenanceKind.LOLER
                    else "",
                    recorded_by=fleet.lead,
                )
            )
            if len(results) >= BULK:
                MaintenanceResult.objects.bulk_create(results, batch_size=BULK)
                results = []
    MaintenanceResult.objects.bulk_create(results, batch_size=BULK)


def _passes(rng, last: dt.date, months: int, years: int = 2) -> list[tuple[dt.date, str]]:
    """The results behind a schedule, newest first: its last pass, and those an interval apart for about
    `years` before it, one now and then failing first and passing a few days later."""
    done = []
    day = last
    for _ in range(max(1, 12 * years // months)):
        outcome = Outcome.PASS_WITH_ADVISORIES if rng.random() < 0.1 else Outcome.PASS
        done.append((day, outcome))
        if rng.random() < 0.04:
            done.append((day - dt.timedelta(days=rng.randint(2, 6)), Outcome.FAIL))
        day = add_months(day, -months)
    return done


# Daily vehicle checks


def _crews(fleet: _Fleet) -> dict[int, list[User]]:
    """Two or three crew at each station with an account to send checks from (existing ones reused)."""
    people = Person.objects.filter(
        station__in=fleet.stations, job_role__code__in=("paramedic", "emt", "aap", "eca"), user__isnull=True
    ).order_by("station_id", "staff_number")
    chosen: dict[int, list[Person]] = {}
    for person in people:
        if len(chosen.setdefault(person.station_id, [])) < 3:
            chosen[person.station_id].append(person)
    User.objects.bulk_create(
        [
            User(email=f"{person.staff_number.lower()}@northmoor.example", person=person, password="!")
            for crew in chosen.values()
            for person in crew
        ],
        batch_size=1000,
    )
    users = User.objects.filter(person__in=[p for crew in chosen.values() for p in crew]).select_related(
        "person"
    )
    crews: dict[int, list[User]] = {}
    for user in users.order_by("person__staff_number"):
        crews.setdefault(user.person.station_id, []).append(user)
    crews.setdefault(fleet.home.pk, []).insert(0, fleet.users["staff"])
    return crews


def _crews_and_checks(fleet: _Fleet, vehicles: list[Vehicle]) -> None:
    """A check at the start of most shifts up to yesterday's night, from the first day of the history's
    months (the last week's with every answer); nights at one station are often missed. About one answer
    in a hundred is a "no", raising a defect the fleet team cleared the next day, except the last few
    days', still open. Yesterday's check found one vehicle unsafe, off road until it is cleared."""
    rng, today = fleet.rng, fleet.today
    crews = _crews(fleet)
    items: dict[str, list[ChecklistItem]] = {}
    for item in ChecklistItem.objects.order_by("vehicle_type", "position"):
        items.setdefault(item.vehicle_type, []).append(item)
    start = complete_months(today, CHECK_MONTHS)[0].start
    days = [start + dt.timedelta(days=n) for n in range((today - start).days)]
    checks, noes = [], []
    for vehicle in vehicles:
        crew = crews.get(vehicle.station_id) or [fleet.users["staff"]]
        for day in days:
            for shift in (Shift.DAY, Shift.NIGHT):
                chance = (
                    0.5 if shift == Shift.NIGHT and vehicle.station_id == fleet.night_station.pk else 0.97
                )
                if rng.random() >= chance:
                    continue
                check = VehicleCheck(vehicle=vehicle, shift_date=day, shift=shift, done_by=rng.choice(crew))
                checks.append(check)
                for item in items[vehicle.vehicle_type]:
                    if rng.random() < 0.01:
                        noes.append((check, item))
    VehicleCheck.objects.bulk_create(checks, batch_size=2000)
    answered_no = {(check.pk, item.pk) for check, item in noes}
    answered_from = today - dt.timedelta(days=ANSWERS_DAYS)
    CheckAnswer.objects.bulk_create(
        (
            CheckAnswer(
                vehicle_check=check,
                item=item,
                ok=(check.pk, item.pk) not in answered_no,
                note=NOTE if (check.pk, item.pk) in answered_no else "",
            )
            for check in checks
            if check.shift_date >= answered_from
            for item in items[check.vehicle.vehicle_type]
        ),
        batch_size=5000,
    )
    defects = []
    recent = today - dt.timedelta(days=3)
    for check, item in noes:
        cleared = check.shift_date < recent
        defects.append(
            Defect(
                vehicle=check.vehicle,
                vehicle_check=check,
                item=item.text,
                note=NOTE,
                raised_by=check.done_by,
                status=DefectStatus.CLEARED if cleared else DefectStatus.OPEN,
                cleared_on=check.shift_date + dt.timedelta(days=1) if cleared else None,
                cleared_by=fleet.lead if cleared else None,
                how_cleared="Put right by the workshop" if cleared else "",
            )
        )
    # Yesterday's day check of one of the home station's vehicles found it unsafe: off road until cleared.
    unsafe_vehicle = next(
        v for v in vehicles if v.station_id == fleet.home.pk and v.vehicle_type != VehicleType.BARIATRIC
    )
    yesterday = today - dt.timedelta(days=1)
    check = next((c for c in checks if c.vehicle_id == unsafe_vehicle.pk and c.shift_date == yesterday), None)
    if check is not None:
        item = items[unsafe_vehicle.vehicle_type][0]
        note = "Nearside front tyre has a bulge in the sidewall"
        CheckAnswer.objects.filter(vehicle_check=check, item=item).update(ok=False, note=note)
        defects.append(
            Defect(
                vehicle=unsafe_vehicle,
                vehicle_check=check,
                item=item.text,
                note=note,
                unsafe=True,
                raised_by=check.done_by,
            )
        )
        Vehicle.objects.filter(pk=unsafe_vehicle.pk).update(
            status=VehicleStatus.OFF_ROAD, off_road_reason=f"Unsafe at the daily check. {item.text}: {note}"
        )
    Defect.objects.bulk_create(defects, batch_size=2000)


# Cleaning


def _cleans(fleet: _Fleet, vehicles: list[Vehicle]) -> None:
    """Half a year of deep cleans about five weeks apart and yesterday's interim clean (in bulk, except the
    home station's latest, through the service). One of the home station's vehicles is past its deep
    clean."""
    rng, today = fleet.rng, fleet.today
    overdue = next(v for v in reversed(vehicles) if v.station_id == fleet.home.pk)
    history, latest = [], []
    for vehicle in vehicles:
        crew = fleet.lead
        last = today - dt.timedelta(days=55 if vehicle == overdue else rng.randint(1, 38))
        latest.append((vehicle, _at(last, rng.randint(8, 18))))
        day = last
        for _ in range(5):
            day -= dt.timedelta(days=rng.randint(30, 40))
            history.append(
                VehicleClean(vehicle=vehicle, clean_type=CleanType.DEEP, done_at=_at(day, 10), done_by=crew)
            )
    yesterday = today - dt.timedelta(days=1)
    deep_due = {
        due.vehicle_id: due
        for due in CleanDue.objects.filter(vehicle__in=vehicles, clean_type=CleanType.DEEP)
    }
    moved, interim_due = [], []
    for vehicle, done_at in latest:
        interim_at = _at(yesterday, rng.randint(7, 20))
        if vehicle.station_id == fleet.home.pk:
            services.record_clean(by=fleet.lead, vehicle=vehicle, clean_type=CleanType.DEEP, done_at=done_at)
            services.record_clean(
                by=fleet.lead, vehicle=vehicle, clean_type=CleanType.INTERIM, done_at=interim_at
            )
            continue
        # Elsewhere, in bulk in the service's shape: a deep clean resets both clocks, the interim its own.
        history.append(
            VehicleClean(vehicle=vehicle, clean_type=CleanType.DEEP, done_at=done_at, done_by=fleet.lead)
        )
        history.append(
            VehicleClean(
                vehicle=vehicle, clean_type=CleanType.INTERIM, done_at=interim_at, done_by=fleet.lead
            )
        )
        due = deep_due[vehicle.pk]
        due.last_done_at, due.next_due_at = done_at, done_at + services.clean_interval(CleanType.DEEP)
        moved.append(due)
        last = max(done_at, interim_at)
        interim_due.append(
            CleanDue(
                vehicle=vehicle,
                clean_type=CleanType.INTERIM,
                last_done_at=last,
                next_due_at=last + services.clean_interval(CleanType.INTERIM),
            )
        )
    VehicleClean.objects.bulk_create(history, batch_size=2000)
    CleanDue.objects.bulk_update(moved, ["last_done_at", "next_due_at"], batch_size=1000)
    CleanDue.objects.bulk_create(interim_due, batch_size=1000)


# Field safety notices


def _notices(fleet: _Fleet) -> None:
    """An older defibrillator notice actioned on every unit, and this autumn's suction unit notice actioned
    on half of them."""
    rng, today = fleet.rng, fleet.today
    done = services.record_notice(
        by=fleet.lead,
        trust=fleet.trust,
        reference="MHRA/2026/003/ZOL",
        title="X Series software may restart during a long case",
        make="Zoll",
        model="X Series",
        action_required="Update the software to version 3.2 and record the new version on the unit.",
        issued_on=today - dt.timedelta(days=200),
    )
    half = services.record_notice(
        by=fleet.lead,
        trust=fleet.trust,
        reference="FSN-LSU-2026-11",
        title="LSU 4000 battery may not hold its charge",
        make="Laerdal",
        model="LSU 4000",
        action_required="Replace the battery with the manufacturer's revised battery and test the unit.",
        issued_on=today - dt.timedelta(days=40),
    )
    for notice, share, note in (
        (done, 1.0, "Software updated to 3.2"),
        (half, 0.5, "Revised battery fitted and unit tested"),
    ):
        affected = list(AffectedAsset.objects.filter(notice=notice).order_by("asset__asset_tag"))
        days = (today - notice.issued_on).days
        actioned = affected[: round(len(affected) * share)]
        for each in actioned:
            on = notice.issued_on + dt.timedelta(days=rng.randint(1, max(1, days - 1)))
            if notice == half:
                services.action_notice(by=fleet.lead, affected=each, actioned_on=on, note=note)
            else:
                each.actioned_on, each.actioned_by, each.note = on, fleet.lead, note
        if notice != half:
            # The older notice's actions are history, written in bulk in the service's shape.
            AffectedAsset.objects.bulk_update(
                actioned, ["actioned_on", "actioned_by", "note"], batch_size=1000
            )


# Quarantines and today's results


def _quarantines(fleet: _Fleet) -> None:
    """A carry chair whose LOLER examination found a danger, a suction unit the station manager took out
    of use, a defibrillator that failed its service, and a vehicle past its service mileage."""
    today = fleet.today
    station = fleet.quarantine_station
    chair = Asset.objects.filter(station=station, model="Compact 2").order_by("asset_tag").first()
    if chair is not None:
        services.record_result(
            by=fleet.lead,
            result=services.Result(
                asset_tag=chair.asset_tag,
                kind=MaintenanceKind.LOLER,
                done_on=today - dt.timedelta(days=4),
                outcome=Outcome.FAIL,
                defects="Seat strap anchor cracked at the weld",
                danger_to_people=True,
                examiner="Northern Lifting Inspection Ltd",
            ),
        )
    suction = Asset.objects.filter(station=station, model="LSU 4000").order_by("asset_tag").first()
    if suction is not None:
        services.quarantine_asset(
            by=fleet.users["operations.manager"],
            asset=suction,
            reason="The alarm sounds continuously: taken out of use until the workshop has seen it",
            clears_with=MaintenanceKind.PLANNED_PREVENTIVE,
        )
    defib = Asset.objects.filter(model="X Series", station=fleet.night_station).order_by("asset_tag").first()
    if defib is not None:
        schedule = defib.schedules.get(kind=MaintenanceKind.PLANNED_PREVENTIVE)
        MaintenanceSchedule.objects.filter(pk=schedule.pk).update(next_due_on=today - dt.timedelta(days=6))
        services.record_result(
            by=fleet.lead,
            result=services.Result(
                asset_tag=defib.asset_tag,
                kind=MaintenanceKind.PLANNED_PREVENTIVE,
                done_on=today - dt.timedelta(days=2),
                outcome=Outcome.FAIL,
                defects="Pads connector loose: a part is on order",
            ),
        )
    vehicle = (
        Asset.objects.filter(kind=AssetKind.VEHICLE, station=fleet.night_station)
        .order_by("asset_tag")
        .first()
    )
    if vehicle is not None:
        due = vehicle.schedules.get(kind=MaintenanceKind.VEHICLE_SERVICE).next_due_usage
        services.record_usage(by=fleet.lead, asset=vehicle, reading=max(due + 240, vehicle.usage_reading))


# Cleanliness audits


def _audits(fleet: _Fleet, vehicles: list[Vehicle]) -> None:
    """Each station audited in the last seven weeks, and one vehicle in each area; what failed has an
    action and its owner."""
    rng, today = fleet.rng, fleet.today
    audited_areas = set()
    for station in fleet.stations:
        _audit(fleet, rng, station=station, vehicle=None, on=today - dt.timedelta(days=rng.randint(3, 50)))
        if station.parent_id not in audited_areas:
            audited_areas.add(station.parent_id)
            vehicle = next(v for v in vehicles if v.station_id == station.pk)
            _audit(
                fleet, rng, station=station, vehicle=vehicle, on=today - dt.timedelta(days=rng.randint(1, 20))
            )


def _audit(fleet: _Fleet, rng, *, station, vehicle, on: dt.date) -> None:
    elements = []
    for name in AUDIT_ELEMENTS:
        passed = rng.random() < 0.85
        elements.append(
            services.Element(
                name,
                passed,
                action=""
                if passed
                else f"Clean the {name.lower()} again and check it at the next shift change",
                action_owner="" if passed else "Station manager",
            )
        )
    services.submit_audit(
        by=fleet.users["quality.lead"],
        station=station,
        vehicle=vehicle,
        functional_risk="FR2" if vehicle else "FR4",
        audited_on=on,
        elements=elements,
        swabs=[
            services.Swab("Stretcher rail", rng.randint(40, 320)),
            services.Swab("Grab handle", rng.randint(40, 320)),
        ],
    )


# Bariatric provision


def _bariatric(fleet: _Fleet, vehicles: list[Vehicle]) -> None:
    """The bariatric kit's ratings, two partner providers, a year of requests whose waits differ sharply
    between Oakridge City and North Fells, and the reviews of the long ones (the latest still waiting)."""
    rng, today = fleet.rng, fleet.today
    for asset in Asset.objects.filter(model__in=("Pegasus Bariatric", "Bariatric Winch")).order_by(
        "asset_tag"
    ):
        bariatric = asset.model == "Pegasus Bariatric"
        services.record_capability(
            by=fleet.lead,
            asset=asset,
            safe_working_load_kg=454 if bariatric else 500,
            max_patient_width_cm=81 if bariatric else None,
        )
    pennine = services.record_partner(
        by=fleet.lead,
        trust=fleet.trust,
        name="Pennine Bariatric Transport",
        capacity=2,
        contact="0161 496 0000 (control room, 24 hours)",
        safe_working_load_kg=450,
    )
    services.record_partner(
        by=fleet.lead,
        trust=fleet.trust,
        name="Fellside Specialist Ambulances",
        capacity=1,
        contact="01539 496 0123",
        safe_working_load_kg=350,
    )
    scale = 1 if fleet.context.scale.name == "demo" else 3
    capable = {v.pk for v in Vehicle.objects.bariatric_capable()}
    by_area: dict[int, list[Vehicle]] = {}
    for vehicle in vehicles:
        if vehicle.pk in capable:
            by_area.setdefault(vehicle.station.parent_id, []).append(vehicle)
    recorder, reviewer = fleet.users["eoc.manager"], fleet.users["quality.lead"]
    made = []
    number = 0
    for area in fleet.areas.values():
        stations = [s for s in fleet.stations if s.parent_id == area.pk]
        low, high = WAITS.get(area.name, (30, 80))
        for _ in range(REQUESTS.get(area.name, OTHER_REQUESTS) * scale):
            number += 1
            day = today - dt.timedelta(days=rng.randint(2, 350))
            requested = _at(day, rng.randint(0, 22), rng.randint(0, 59))
            wait = dt.timedelta(minutes=rng.randint(low, high))
            use_partner = (area.name == SLOW_AREA and rng.random() < 0.5) or not by_area.get(area.pk)
            progress = services.Progress(
                assigned_at=requested + wait * rng.uniform(0.2, 0.6),
                on_scene_at=requested + wait,
                vehicle=None if use_partner else rng.choice(by_area[area.pk]),
                partner=pennine if use_partner else None,
                outcome="conveyed" if rng.random() < 0.85 else "treated_at_scene",
            )
            made.append(
                services.record_bariatric_request(
                    by=recorder,
                    station=rng.choice(stations),
                    incident_reference=f"NMB-{day:%y%m%d}-{number:03d}",
                    requested_at=requested,
                    progress=progress,
                )
            )
    slow = fleet.area_named(SLOW_AREA)
    if slow is not None:
        # Last night nobody suitable came: the crew on scene managed the patient with the fire service.
        slow_station = next(s for s in fleet.stations if s.parent_id == slow.pk)
        number += 1
        made.append(
            services.record_bariatric_request(
                by=recorder,
                station=slow_station,
                incident_reference=f"NMB-{today:%y%m%d}-{number:03d}",
                requested_at=_at(today - dt.timedelta(days=1), 2, 10),
                progress=services.Progress(
                    outcome="no_resource",
                    note="No bariatric resource was free: the crew moved the patient with the fire service",
                ),
            )
        )
    limit = bariatric_review_after().total_seconds()
    beyond = sorted(
        (r for r in made if r.wait_seconds is None or r.wait_seconds > limit),
        key=lambda r: r.requested_at,
    )
    for request in beyond[:-3]:
        services.review_bariatric_request(
            by=reviewer,
            request=request,
            note="Reviewed with the EOC: no bariatric vehicle free in the area; the partner was called.",
        )
