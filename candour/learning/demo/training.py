"""Learning demo: training. What each Northmoor job role must hold, and records with realistic gaps: about
70% of paramedics hold safeguarding children level 3, information governance sits a little under its 95%
expectation, some training is due soon and some was never done. Written in bulk, then compliance computed
by the service, as an import would."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.months import add_months
from candour.learning.compliance import window_start
from candour.learning.models import Requirement, Subject, TrainingRecord
from candour.learning.services import training
from candour.people.demo import demo_email
from candour.people.models import Person, User

CORE = ["cstf-equality", "cstf-health-safety", "cstf-conflict", "cstf-fire", "cstf-information-governance"]
# Registered clinicians and those working towards it: level 3 safeguarding (intercollegiate), Prevent level 3.
CLINICAL = [
    *CORE,
    "cstf-ipc-2",
    "cstf-moving-handling-2",
    "cstf-resuscitation",
    "sg-children-3",
    "sg-adults-3",
]
CLINICAL += ["prevent-3"]
# Support workers on the road, with patients but not registered: level 2.
CLINICAL_SUPPORT = [*CORE, "cstf-ipc-2", "cstf-moving-handling-2", "cstf-resuscitation", "sg-children-2"]
CLINICAL_SUPPORT += ["sg-adults-2", "prevent-awareness"]
# Call handlers speak to children and parents: level 2, without the hands-on subjects.
CALL_HANDLING = [*CORE, "cstf-ipc-1", "sg-children-2", "sg-adults-2", "prevent-awareness"]
NON_CLINICAL = [*CORE, "cstf-ipc-1", "sg-children-1", "sg-adults-1", "prevent-awareness"]

ROLE_SUBJECTS = {
    "paramedic": CLINICAL,
    "specialist-paramedic": CLINICAL,
    "advanced-paramedic": CLINICAL,
    "clinical-team-leader": CLINICAL,
    "emt": CLINICAL,
    "aap": CLINICAL,
    "apprentice-aap": CLINICAL,
    "clinical-advisor": CLINICAL,
    "medical-director": CLINICAL,
    "eca": CLINICAL_SUPPORT,
    "pts-driver": CLINICAL_SUPPORT,
    "apprentice-ecsw": CLINICAL_SUPPORT,
    "emd": CALL_HANDLING,
    "nhs111-advisor": CALL_HANDLING,
    "fleet-technician": NON_CLINICAL,
    "administrator": NON_CLINICAL,
    "station-manager": NON_CLINICAL,
    "senior-leader": NON_CLINICAL,
}

# The chance that a person holds a subject today; the rest have let it lapse, or never did it.
HELD = {"sg-children-3": 0.70, "cstf-information-governance": 0.91, "cstf-resuscitation": 0.80}
HELD_OTHERWISE = 0.86
NEVER_SHARE = 0.25
PREVIOUS_CYCLE = 0.5
# For subjects counted in hours: most do one full course, the rest a course and a shorter update.
FULL_COURSE = 0.6
PROVIDERS = {
    "safeguarding_children": "Northmoor Safeguarding Team",
    "safeguarding_adults": "Northmoor Safeguarding Team",
    "prevent": "e-Learning for Healthcare",
}
CORE_PROVIDERS = ["Northmoor Education Centre", "e-Learning for Healthcare"]
# The demo paramedic's level 3 runs out within the due-soon window, so their home page has it.
DEMO_DUE_IN_DAYS = 30
DAY = dt.timedelta(days=1)


def build(context: DemoContext) -> None:
    rng = context.rng_for("learning.training")
    today = context.today
    subjects = {subject.code: subject for subject in Subject.objects.all()}
    roles = context.shared["job_roles"]
    Requirement.objects.bulk_create(
        [
            Requirement(job_role=roles[role_code], subject=subjects[code])
            for role_code, codes in ROLE_SUBJECTS.items()
            if role_code in roles
            for code in codes
        ]
    )
    demo_person = User.objects.filter(email=demo_email("staff")).values_list("person_id", flat=True).first()
    needing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for person_id, role_code in (
        Person.objects.employed_on(today).order_by("pk").values_list("pk", "job_role__code")
    ):
        for code in ROLE_SUBJECTS.get(role_code, ()):
            needing[(role_code, code)].append(person_id)
    records: list[TrainingRecord] = []
    # Shares are dealt out within each role, so "about 70% of paramedics" holds at any scale.
    for (_, code), person_ids in sorted(needing.items()):
        subject = subjects[code]
        rng.shuffle(person_ids)
        held = round(len(person_ids) * HELD.get(code, HELD_OTHERWISE))
        never = round((len(person_ids) - held) * NEVER_SHARE)
        for index, person_id in enumerate(person_ids):
            if person_id == demo_person and code == "sg-children-3":
                records += _due_in(person_id, subject, today, DEMO_DUE_IN_DAYS)
            elif index < held:
                records += _held(rng, person_id, subject, today)
            elif index >= held + never:
                records += _lapsed(rng, person_id, subject, today)
    TrainingRecord.objects.bulk_create(records, batch_size=2_000)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        summary=f"Demo training: {len(records)} records",
        changes={"records": len(records)},
    )
    training.reconcile_compliance(system="seed_demo")


def _record(person_id: int, subject: Subject, day: dt.date, hours: Decimal | None) -> TrainingRecord:
    group_provider = PROVIDERS.get(subject.group)
    provider = group_provider or CORE_PROVIDERS[day.toordinal() % len(CORE_PROVIDERS)]
    return TrainingRecord(
        person_id=person_id,
        subject=subject,
        completed_on=day,
        hours=hours,
        provider=provider,
        source=TrainingRecord.Source.IMPORT,
    )


def _sessions(
    person_id: int, subject: Subject, last: dt.date, rng, earliest: dt.date
) -> list[TrainingRecord]:
    """One completion on `last`, or for a subject counted in hours, enough hours ending on `last`: a full
    course, or a course and an update some months apart within the window."""
    required = subject.required_hours
    if required is None:
        return [_record(person_id, subject, last, None)]
    first = last - dt.timedelta(days=rng.randint(60, 500))
    if rng.random() < FULL_COURSE or first <= earliest:
        return [_record(person_id, subject, last, required)]
    course = (required * Decimal("0.6")).quantize(Decimal("0.5"))
    return [_record(person_id, subject, first, course), _record(person_id, subject, last, required - course)]


def _held(rng, person_id: int, subject: Subject, today: dt.date) -> list[TrainingRecord]:
    """Compliant today: the last completion somewhere in the window, so some are due soon."""
    opens = window_start(today, training.rule_of(subject))
    last = opens + dt.timedelta(days=rng.randint(0, (today - opens).days))
    return _sessions(person_id, subject, last, rng, opens) + _previous(rng, person_id, subject, last)


def _lapsed(rng, person_id: int, subject: Subject, today: dt.date) -> list[TrainingRecord]:
    """Held once, run out up to about a year ago."""
    last = window_start(today, training.rule_of(subject)) - dt.timedelta(days=rng.randint(1, 400))
    return _sessions(person_id, subject, last, rng, dt.date.min) + _previous(rng, person_id, subject, last)


def _previous(rng, person_id: int, subject: Subject, last: dt.date) -> list[TrainingRecord]:
    # Half did it the time before too, renewed within a few months either side of it running out.
    if subject.required_hours is not None or rng.random() >= PREVIOUS_CYCLE:
        return []
    before = add_months(last, -subject.refresher_months) + dt.timedelta(days=rng.randint(-90, 30))
    return [_record(person_id, subject, before, None)]


def _due_in(person_id: int, subject: Subject, today: dt.date, days: int) -> list[TrainingRecord]:
    """Records that keep the person compliant until `days` from today, then run out."""
    last = window_start(today + dt.timedelta(days=days) - DAY, training.rule_of(subject))
    return [_record(person_id, subject, last, subject.required_hours)]
