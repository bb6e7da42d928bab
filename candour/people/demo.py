"""Northmoor Ambulance Service NHS Trust (fictional): areas, stations, job roles, staff and demo sign-ins."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password

from candour.core import audit
from candour.core.demo import DemoContext, SignIn
from candour.people.models import CoreService, JobRole, Membership, OrgUnit, Person, ProfessionalGroup, User
from candour.people.reference import ensure_core_services
from candour.people.roles import Role

TRUST_NAME = "Northmoor Ambulance Service NHS Trust"
AREAS = ["Calder Vale", "Harrowby Coast", "Mere and Downs", "North Fells", "Oakridge City"]
STATION_WORDS = [
    "Ashby",
    "Bramwell",
    "Carrick",
    "Dunmore",
    "Elsdon",
    "Fairhaven",
    "Glenholt",
    "Hartsop",
    "Ingleby",
    "Kelbrook",
    "Langthorne",
    "Marrick",
    "Netherby",
    "Ormside",
    "Pendle Cross",
    "Quarnford",
    "Redmire",
    "Scarth",
    "Thornby",
    "Ulverby",
    "Wetheral",
    "Yarrowford",
    "Aldwick",
    "Brackley Moor",
    "Coldstream",
    "Deepdale",
    "Eastholme",
    "Farndale",
    "Gisby",
    "Hollins",
    "Ivybridge End",
    "Kirkholt",
    "Lowmoor",
    "Millbeck",
    "Northwold",
    "Oxenby",
    "Pickmere",
    "Rothley",
    "Swaledale",
    "Tarnbrook",
    "Underbarrow",
    "Whitlow",
    "Aysgill",
    "Birkdale Fell",
    "Calderstones",
    "Drumby",
    "Egremont Vale",
    "Fellside",
    "Grisedale",
    "Haverthwaite",
    "Irthing",
    "Kentmere",
    "Lunesdale",
    "Mallerstang",
    "Newbiggin Moor",
    "Orton Scar",
    "Patterdale Road",
    "Ravenstone",
    "Sedbergh Gate",
    "Tebay Cross",
]
GIVEN_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Femi",
    "Grace",
    "Harvey",
    "Imogen",
    "Jamal",
    "Kirsty",
    "Liam",
    "Maya",
    "Niall",
    "Olivia",
    "Priya",
    "Quinn",
    "Rhys",
    "Sana",
    "Tom",
    "Uma",
    "Vikram",
    "Wendy",
    "Xander",
    "Yasmin",
    "Zach",
    "Amara",
    "Callum",
    "Darcy",
    "Ethan",
    "Freya",
    "Gethin",
    "Hollie",
    "Isaac",
    "Jess",
    "Kwame",
    "Lucy",
    "Marek",
    "Nadia",
    "Owen",
    "Poppy",
    "Rosa",
    "Sam",
    "Tariq",
    "Violet",
    "Will",
]
FAMILY_NAMES = [
    "Abbott",
    "Bailey",
    "Chowdhury",
    "Dawson",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jenkins",
    "Kaur",
    "Lawson",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinlan",
    "Rahman",
    "Shaw",
    "Thompson",
    "Underwood",
    "Varga",
    "Whitfield",
    "Yates",
    "Zielinski",
    "Ahmed",
    "Brennan",
    "Carter",
    "Doyle",
    "Ellison",
    "Fitzgerald",
    "Grant",
    "Hartley",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lindqvist",
    "Murray",
    "Nwosu",
    "Okafor",
    "Pryce",
    "Reid",
    "Singh",
    "Taylor",
    "Walsh",
    "Young",
]

# (code, name, professional group, clinical, share of non-apprentice staff)
JOB_ROLES = [
    ("paramedic", "Paramedic", ProfessionalGroup.ALLIED_HEALTH, True, 30),
    ("specialist-paramedic", "Specialist paramedic", ProfessionalGroup.ALLIED_HEALTH, True, 4),
    ("advanced-paramedic", "Advanced paramedic", ProfessionalGroup.ALLIED_HEALTH, True, 2),
    ("clinical-team-leader", "Clinical team leader", ProfessionalGroup.ALLIED_HEALTH, True, 0),
    ("emt", "Emergency medical technician", ProfessionalGroup.ADDITIONAL_CLINICAL, True, 14),
    ("aap", "Associate ambulance practitioner", ProfessionalGroup.ADDITIONAL_CLINICAL, True, 8),
    ("eca", "Emergency care assistant", ProfessionalGroup.ADDITIONAL_CLINICAL, True, 10),
    ("emd", "Emergency medical dispatcher", ProfessionalGroup.ADMIN_CLERICAL, False, 8),
    ("nhs111-advisor", "NHS 111 health advisor", ProfessionalGroup.ADMIN_CLERICAL, False, 6),
    ("clinical-advisor", "Clinical advisor", ProfessionalGroup.NURSING, True, 3),
    ("pts-driver", "Patient transport care assistant", ProfessionalGroup.ADDITIONAL_CLINICAL, True, 7),
    ("fleet-technician", "Fleet technician", ProfessionalGroup.ESTATES_ANCILLARY, False, 3),
    ("administrator", "Administrator", ProfessionalGroup.ADMIN_CLERICAL, False, 4),
    ("medical-director", "Medical and clinical leadership", ProfessionalGroup.MEDICAL, True, 0),
    ("station-manager", "Station manager", ProfessionalGroup.MANAGERS, False, 0),
    ("senior-leader", "Senior leader", ProfessionalGroup.MANAGERS, False, 1),
    (
        "apprentice-aap",
        "Apprentice associate ambulance practitioner (level 4)",
        ProfessionalGroup.STUDENTS,
        True,
        0,
    ),
    (
        "apprentice-ecsw",
        "Apprentice emergency care support worker (level 3)",
        ProfessionalGroup.STUDENTS,
        True,
        0,
    ),
]

# Who each demo sign-in is, and where their role applies.
DEMO_USERS = [
    (Role.STAFF, "staff", "paramedic", "station"),
    (Role.APPRENTICE, "apprentice", "apprentice-aap", "station"),
    (Role.LINE_MANAGER, "line.manager", "station-manager", "station"),
    (Role.SAFEGUARDING_LEAD, "safeguarding.lead", "senior-leader", "trust"),
    (Role.GUARDIAN, "guardian", "senior-leader", "trust"),
    (Role.EDUCATION_LEAD, "education.lead", "senior-leader", "trust"),
    (Role.QUALITY_LEAD, "quality.lead", "senior-leader", "trust"),
    (Role.OPERATIONS_MANAGER, "operations.manager", "senior-leader", "area"),
    (Role.MEDICINES_LEAD, "medicines.lead", "specialist-paramedic", "trust"),
    (Role.FLEET_LEAD, "fleet.lead", "senior-leader", "trust"),
    (Role.EOC_MANAGER, "eoc.manager", "senior-leader", "trust"),
    (Role.CD_ACCOUNTABLE_OFFICER, "cd.officer", "senior-leader", "trust"),
    (Role.INFORMATION_GOVERNANCE_LEAD, "ig.lead", "senior-leader", "trust"),
    (Role.CLINICAL_AUDIT_LEAD, "clinical.audit", "senior-leader", "trust"),
    (Role.EXECUTIVE, "executive", "medical-director", "trust"),
    (Role.SYSTEM_ADMIN, "system.admin", "administrator", "trust"),
]
DEMO_EMAIL_DOMAIN = "northmoor.example"


def demo_email(slug: str) -> str:
    return f"{slug}@{DEMO_EMAIL_DOMAIN}"


def _structure(context: DemoContext) -> tuple[OrgUnit, list[OrgUnit], list[OrgUnit]]:
    trust = OrgUnit.objects.create(kind=OrgUnit.Kind.TRUST, name=TRUST_NAME, code="NMAS")
    areas, stations = [], []
    words = iter(STATION_WORDS)
    for index, area_name in enumerate(AREAS[: context.scale.areas], start=1):
        area = OrgUnit.objects.create(
            kind=OrgUnit.Kind.AREA, name=area_name, code=f"NMAS-A{index}", parent=trust
        )
        areas.append(area)
        for number in range(1, context.scale.stations_per_area + 1):
            name = f"{next(words)} Ambulance Station"
            stations.append(
                OrgUnit(kind=OrgUnit.Kind.STATION, name=name, code=f"NMAS-{index}{number:02d}", parent=area)
            )
    # Each area also hosts one of the trust's control rooms or its NHS 111 centre.
    control_rooms = [
        "Emergency Operations Centre North",
        "Emergency Operations Centre South",
        "NHS 111 Centre",
    ]
    for index, name in enumerate(control_rooms):
        area = areas[index % len(areas)]
        stations.append(
            OrgUnit(kind=OrgUnit.Kind.STATION, name=f"{area.name} {name}", code=f"NMAS-C{index}", parent=area)
        )
    OrgUnit.objects.bulk_create(stations)
    return trust, areas, list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION).order_by("code"))


def _job_roles() -> dict[str, JobRole]:
    roles = JobRole.objects.bulk_create(
        [
            JobRole(code=code, name=name, professional_group=group, is_clinical=clinical)
            for code, name, group, clinical, _ in JOB_ROLES
        ]
    )
    return {role.code: role for role in roles}


class _Names:
    """Fictional names, unique enough to tell people apart in the demo."""

    def __init__(self, rng):
        self.rng = rng

    def next(self) -> tuple[str, str]:
        return self.rng.choice(GIVEN_NAMES), self.rng.choice(FAMILY_NAMES)


def _start_date(rng, today: dt.date, max_years: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(30, max_years * 365))


def build(context: DemoContext) -> None:
    rng = context.rng_for("people")
    today = context.today
    trust, areas, stations = _structure(context)
    roles = _job_roles()
    ensure_core_services(CoreService)
    services = {service.slug: service for service in CoreService.objects.all()}
    names = _Names(rng)
    staff_numbers = iter(range(100001, 999999))

    def person(role_code: str, station: OrgUnit, **extra) -> Person:
        given, family = names.next()
        service = "emergency-urgent-care"
        if "Operations Centre" in station.name:
            service = "emergency-operations-centre"
        elif "111" in station.name:
            service = "nhs-111"
        elif role_code == "pts-driver":
            service = "patient-transport"
        return Person(
            staff_number=f"N{next(staff_numbers)}",
            given_name=given,
            family_name=family,
            job_role=roles[role_code],
            station=station,
            core_service=services[service],
            start_date=extra.pop("start_date", _start_date(rng, today, 20)),
            **extra,
        )

    # Managers first, so everyone else can report to someone at their own station.
    managers = Person.objects.bulk_create([person("station-manager", station) for station in stations])
    leaders = Person.objects.bulk_create(
        [
            person("clinical-team-leader", station, line_manager=manager)
            for station, manager in zip(stations, managers, strict=True)
        ]
    )
    leader_by_station = {leader.station_id: leader for leader in leaders}

    weighted = [(code, share) for code, _, _, _, share in JOB_ROLES if share]
    codes, shares = zip(*weighted, strict=True)
    road_stations = [s for s in stations if "Ambulance Station" in s.name]
    control_stations = [s for s in stations if s not in road_stations]
    remaining = context.scale.staff - len(managers) - len(leaders) - context.scale.apprentices
    people = []
    for _ in range(remaining):
        code = rng.choices(codes, weights=shares)[0]
        pool = control_stations if code in {"emd", "nhs111-advisor", "clinical-advisor"} else road_stations
        station = rng.choice(pool)
        leave_date = None
        if rng.random() < 0.02:
            leave_date = today + dt.timedelta(days=rng.randint(1, 60))
        people.append(
            person(code, station, line_manager=leader_by_station[station.pk], leave_date=leave_date)
        )
    for index in range(context.scale.apprentices):
        station = rng.choice(road_stations)
        code = "apprentice-aap" if index % 3 else "apprentice-ecsw"
        start = today - dt.timedelta(days=rng.randint(14, 700))
        people.append(
            person(
                code,
                station,
                line_manager=leader_by_station[station.pk],
                is_apprentice=True,
                start_date=start,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)

    _demo_users(context, trust, areas, road_stations, roles, person, leader_by_station)
    context.shared.update(trust=trust, areas=areas, stations=stations, job_roles=roles)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        target=trust,
        summary=f"Demo trust at {context.scale.name} scale, seed {context.seed}",
    )


def _demo_users(context, trust, areas, road_stations, roles, make_person, leader_by_station) -> None:
    home_station = road_stations[0]
    password_hash = make_password(context.password)
    manager = Person.objects.get(job_role__code="station-manager", station=home_station)
    for role, slug, role_code, reach in DEMO_USERS:
        if role == Role.LINE_MANAGER:
            person = manager
        else:
            line_manager = leader_by_station[home_station.pk] if reach == "station" else None
            person = make_person(
                role_code, home_station, line_manager=line_manager, is_apprentice=role == Role.APPRENTICE
            )
            person.save()
        user = User.objects.create(email=demo_email(slug), person=person, password=password_hash)
        unit = {"trust": trust, "area": areas[0], "station": home_station}[reach]
        start = context.today - dt.timedelta(days=365)
        Membership.objects.create(user=user, unit=unit, role=role, starts_on=start)
        if role not in (Role.STAFF, Role.APPRENTICE):
            # Leaders are staff too, at their own station.
            Membership.objects.create(user=user, unit=home_station, role=Role.STAFF, starts_on=start)
        context.sign_ins.append(SignIn(role.label, user.email))
    # The line manager's team has a leaver and a starter, so their home page has something to show.
    reports = list(Person.objects.filter(station=home_station).exclude(pk=manager.pk)[:2])
    Person.objects.filter(pk__in=[p.pk for p in reports]).update(line_manager=manager)
    if reports:
        Person.objects.filter(pk=reports[0].pk).update(leave_date=context.today + dt.timedelta(days=21))
    make_person(
        "eca", home_station, line_manager=manager, start_date=context.today + dt.timedelta(days=7)
    ).save()
