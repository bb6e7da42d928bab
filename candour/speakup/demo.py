"""Northmoor's speaking up: 18 months of concerns, worked by the demo safeguarding lead and guardian.

The history is written in bulk, in the shape the services write it: statuses reached only by allowed moves,
each case's chronology numbered from 1, narratives and notes through the encrypted fields, a referral's
outcome before a close that depends on it. Today's few concerns go through the services themselves,
and the third low-level concern about one colleague raises the demo's one pattern flag.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from dataclasses import dataclass, field

from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.working_days import add_working_days
from candour.people.demo import FAMILY_NAMES, GIVEN_NAMES, demo_email
from candour.people.models import Person, User
from candour.speakup import receipts, services
from candour.speakup.models import (
    Behaviour,
    CaseTeamMember,
    Category,
    Concern,
    Entry,
    Identity,
    Kind,
    PatientDetails,
    Referral,
    Route,
    SpeakUpAgain,
    Status,
    Subject,
    Task,
    Threshold,
)

CONCERNS = {"demo": 360, "trust": 10_000}
KINDS = {
    Kind.LOW_LEVEL: 22,
    Kind.EXPERIENCED: 30,
    Kind.PATIENT_SAFEGUARDING: 26,
    Kind.PATIENT_SAFETY: 11,
    Kind.WORKER_WELLBEING: 10,
    Kind.PREVENT: 1,
}
BEHAVIOURS = {
    Behaviour.BULLYING: 30,
    Behaviour.INAPPROPRIATE: 25,
    Behaviour.HARASSMENT: 20,
    Behaviour.SEXUAL_SAFETY: 15,
    Behaviour.DISCRIMINATION: 10,
}
# Chances that a concern of each kind is raised anonymously (about 9% overall, STANDARDS.md §8) and by an
# apprentice (apprentices are 15% of staff, and raise more of the low-level concerns).
ANONYMOUS = {
    Kind.LOW_LEVEL: 0.14,
    Kind.EXPERIENCED: 0.13,
    Kind.PATIENT_SAFEGUARDING: 0.0,
    Kind.PATIENT_SAFETY: 0.10,
    Kind.WORKER_WELLBEING: 0.08,
    Kind.PREVENT: 0.05,
}
BY_APPRENTICE = {
    Kind.LOW_LEVEL: 0.40,
    Kind.EXPERIENCED: 0.25,
    Kind.PATIENT_SAFEGUARDING: 0.10,
    Kind.PATIENT_SAFETY: 0.08,
    Kind.WORKER_WELLBEING: 0.12,
    Kind.PREVENT: 0.10,
}
SECONDARY = {
    Kind.LOW_LEVEL: [(Category.INAPPROPRIATE, 0.35), (Category.BULLYING_HARASSMENT, 0.10)],
    Kind.EXPERIENCED: [
        (Category.INAPPROPRIATE, 0.30),
        (Category.WORKER_SAFETY, 0.20),
        (Category.BULLYING_HARASSMENT, 0.15),
        (Category.DETRIMENT, 0.03),
    ],
    Kind.PATIENT_SAFEGUARDING: [(Category.PATIENT_SAFETY, 0.10)],
    Kind.PATIENT_SAFETY: [(Category.WORKER_SAFETY, 0.12), (Category.DETRIMENT, 0.02)],
    Kind.WORKER_WELLBEING: [
        (Category.BULLYING_HARASSMENT, 0.18),
        (Category.PATIENT_SAFETY, 0.10),
        (Category.DETRIMENT, 0.04),
    ],
    Kind.PREVENT: [],
}
MEETS_THRESHOLD = {
    Kind.LOW_LEVEL: 0.12,
    Kind.EXPERIENCED: 0.13,
    Kind.PATIENT_SAFEGUARDING: 1.0,
    Kind.PATIENT_SAFETY: 0.20,
    Kind.WORKER_WELLBEING: 0.10,
    Kind.PREVENT: 0.50,
}
OUTCOMES = {
    Referral.Outcome.ACCEPTED: 45,
    Referral.Outcome.NO_FURTHER_ACTION: 35,
    Referral.Outcome.DECLINED: 20,
}
ANSWERS = {SpeakUpAgain.YES: 70, SpeakUpAgain.MAYBE: 14, SpeakUpAgain.NO: 8, SpeakUpAgain.DONT_KNOW: 8}

NARRATIVES = {
    Kind.LOW_LEVEL: [
        "He keeps commenting on what I wear when we are on shift together. It is probably nothing but it "
        "makes me uncomfortable.",
        "She messaged an apprentice on a personal account late at night. Nothing explicit, but it felt "
        "wrong.",
        "He stands too close in the crew room and laughs it off when people step away.",
        "Jokes about patients' weight at handover, in front of students.",
        "Gave me lifts home and then asked a lot of questions about my personal life.",
    ],
    Kind.PATIENT_SAFEGUARDING: [
        "Attended a fall at home. What we saw there worried us; details are in the patient section.",
        "Called by a neighbour. The patient told us things at the scene that need a safeguarding referral.",
        "Conveyed a child to hospital. The account of the injury changed twice while we were there.",
    ],
    Kind.PATIENT_SAFETY: [
        "The tail-lift on the night vehicle failed twice this week and we had to wait for a second crew.",
        "Controlled drug checks are being signed without the second person being there.",
        "We are often held outside the emergency department for over two hours with deteriorating patients.",
        "Patient records from last week's shifts were left in the vehicle overnight.",
    ],
    Kind.WORKER_WELLBEING: [
        "We have not had a meal break on the last six night shifts.",
        "After the cardiac arrest last week no one checked in with the crew. Several of us are struggling.",
        "The station's heating has not worked for a month and the rest room is freezing.",
        "I was assaulted by a patient's relative and was sent back out on the next job.",
    ],
    Kind.PREVENT: [
        "A patient talked at length about wanting to harm people at a local event and showed extremist "
        "material on his phone.",
        "A young person we attended had leaflets and was repeating extremist slogans; their parent is "
        "worried.",
    ],
}
BEHAVIOUR_NARRATIVES = {
    Behaviour.BULLYING: [
        "The shift lead shouts at me in front of patients and says I am useless.",
        "I am always given the worst jobs and left out of the rota swaps others get.",
    ],
    Behaviour.INAPPROPRIATE: [
        "Comments about colleagues' ages and accents in the crew room are treated as banter.",
        "Someone posted a mocking photo of a colleague in the station's group chat.",
    ],
    Behaviour.HARASSMENT: [
        "A colleague keeps messaging me after I asked them to stop.",
        "I have been followed to my car after shifts by someone from another crew.",
    ],
    Behaviour.SEXUAL_SAFETY: [
        "A colleague touched me in the vehicle cab after I told him not to.",
        "Sexual comments were made to a student paramedic during a ride-out.",
    ],
    Behaviour.DISCRIMINATION: [
        "I was told I would not be put forward for training because of my religion.",
        "Colleagues mock a team member's disability when she is out of the room.",
    ],
}
RISKS = [
    "Signs of neglect at home: no food, no heating, and the patient could not get to the toilet.",
    "The patient said her partner hurts her and she is afraid to go home.",
    "Unexplained bruising on a young child; the explanation given did not fit the injuries.",
    "An older man appears to be being financially exploited by a neighbour who holds his bank card.",
    "Repeated calls from the same address; the patient is self-neglecting and refuses support.",
]
DESCRIBED = [
    "A bank crew member, name not known",
    "Someone from another station",
    "A member of the control room team",
]
NOTES = [
    "Spoke with the person who raised it to understand what happened.",
    "Talked the concern through with the station manager, without naming who raised it.",
    "Read the incident report and the rota for the dates given.",
    "Agreed with HR how to look into this fairly.",
]
TASKS = [
    "Speak to the station manager",
    "Check the rota for who was on shift",
    "Review the incident report",
    "Arrange a supportive conversation",
    "Gather accounts from the crew",
    "Check training records",
]
QUESTIONS = [
    "Thank you for raising this. Can you tell us roughly when it happened and whether anyone else saw it?",
    "We have started looking into this. Is there anything else you would like us to know?",
    "Thank you. Would you be willing to tell us which shift pattern this was on?",
]
REPLIES = [
    "It was on a night shift about two weeks ago. Another crew member was there.",
    "It has happened more than once, mostly at weekends.",
    "I would rather not say more, but it is still going on.",
]
CLOSING = {
    "addressed": (
        "Looked into; the manager has agreed actions and will check in with the team.",
        "Thank you for speaking up. We looked into this and action has been taken.",
    ),
    "no_further_action": (
        "Looked into; no further action needed beyond advice to the team.",
        "Thank you for speaking up. We looked into this carefully; no further action was needed this time.",
    ),
    "referred_externally": (
        "The agency we referred to is responsible and has taken this on.",
        "Thank you for speaking up. Another organisation is now responsible and is acting on it.",
    ),
    "withdrawn": (
        "The person who raised it asked us to stop; advice given.",
        "As you asked, we have closed this. You can raise it again at any time.",
    ),
    "insufficient_information": (
        "Not enough information to act on; no reply to our question.",
        "Thank you for speaking up. Without more detail we could not take this further; tell us more at any "
        "time.",
    ),
}
STREETS = ["Moor Lane", "Church Street", "Fell View", "Station Road", "Beck Side", "Mill Close"]


_SLUGS = ["safeguarding.lead", "guardian", "staff", "apprentice"]


def build(context: DemoContext) -> None:
    rng = context.rng_for("speakup")
    shared = context.shared
    users = {slug: User.objects.get(email=demo_email(slug)) for slug in _SLUGS}
    owners = {Route.SAFEGUARDING: users["safeguarding.lead"], Route.GUARDIAN: users["guardian"]}
    people = list(
        Person.objects.filter(user__isnull=True).select_related("job_role").order_by("staff_number")
    )
    home = users["staff"].person.station
    pattern_subject = rng.choice([p for p in people if p.station_id == home.pk and not p.is_apprentice])

    history = _History(rng, context.today, owners, people, avoid={pattern_subject.pk})
    span = round(context.scale.months_of_history * 365.25 / 12)
    total = CONCERNS.get(context.scale.name, round(context.scale.staff * 2.2))
    overdue = max(4, total // 500)
    for _ in range(total - overdue - 2):
        # Somewhat more in recent months, as a speaking-up campaign takes hold.
        received = context.today - dt.timedelta(days=1 + int(rng.random() ** 1.15 * (span - 1)))
        history.add(_weighted(rng, KINDS), received)
    # Some work is late today: concerns past their triage date, and case tasks past their due date.
    for number in range(overdue):
        stalled = "triage" if number % 2 else "task"
        received = context.today - dt.timedelta(days=rng.randint(6, 15) if stalled == "triage" else 16)
        history.add(_weighted(rng, KINDS), received, stalled=stalled)
    for days_ago in (190, 64):
        received = context.today - dt.timedelta(days=days_ago)
        history.add(Kind.LOW_LEVEL, received, subject=pattern_subject, threshold=Threshold.LOW_LEVEL)
    history.save()

    _today(users, home, pattern_subject)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        target=shared["trust"],
        summary=f"Speak-up history: {len(history.concerns)} concerns over {span} days",
    )


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _nhs_number(rng) -> str:
    """A valid NHS number (STANDARDS.md §7): weights 10 to 2, check digit 11 - (sum mod 11)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(0 if check == 11 else check)


@dataclass
class _History:
    rng: random.Random
    today: dt.date
    owners: dict
    people: list[Person]
    avoid: set[int]
    concerns: list[Concern] = field(default_factory=list)
    patients: list[PatientDetails] = field(default_factory=list)
    team: list[CaseTeamMember] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    reporters: dict[uuid.UUID, Person] = field(default_factory=dict)
    replies: list[tuple[Entry, Person]] = field(default_factory=list)

    def __post_init__(self):
        self.staff = [p for p in self.people if not p.is_apprentice]
        self.apprentices = [p for p in self.people if p.is_apprentice]
        self.at_station: dict[int, list[Person]] = {}
        for person in self.people:
            self.at_station.setdefault(person.station_id, []).append(person)
        self.low_level_about: dict[int, int] = {}
        self.sequence: dict[uuid.UUID, int] = {}
        self.references: set[str] = set()
        self.lookups: set[str] = set()
        # The demo's receipt codes were never shown to anyone, so one slow hash of a secret no one knows
        # serves them all; a real reporter's code is hashed on its own by services.raise_concern.
        self.receipt_hash = receipts.Receipt("", secrets.token_hex(16)).secret_hash()

    # Raising

    def add(
        self,
        kind: str,
        received: dt.date,
        *,
        subject: Person | None = None,
        threshold: str = "",
        stalled: str = "",
    ) -> None:
        """One concern and its case work to date; `stalled` ("triage" or "task") leaves that step undone."""
        rng = self.rng
        behaviour = _weighted(rng, BEHAVIOURS) if kind == Kind.EXPERIENCED else ""
        reporter = self._reporter(kind, received, not_about=subject)
        anonymous = rng.random() < ANONYMOUS[kind]
        identity = Identity.ANONYMOUS if anonymous else Identity.OPEN
        if not anonymous and kind != Kind.PATIENT_SAFEGUARDING and rng.random() < 0.25:
            identity = Identity.CONFIDENTIAL
        occurred = received - dt.timedelta(days=rng.randint(0, 14))
        concern = Concern(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            reference=self._unique(self.references, "C-", 6),
            kind=kind,
            behaviour=behaviour,
            identity=identity,
            route=services.route_for(kind, behaviour),
            reporter_is_apprentice=reporter.is_apprentice,
            reporter_professional_group=reporter.job_role.professional_group,
            station_id=reporter.station_id,
            occurred_on=occurred,
            occurred_on_is_approximate=rng.random() < 0.2,
            narrative=rng.choice(BEHAVIOUR_NARRATIVES[behaviour] if behaviour else NARRATIVES[kind]),
            received_on=received,
            triage_due_on=add_working_days(received, 2),
            leads_notified=True,
        )
        self._about(concern, reporter, subject)
        if subject is not None:
            concern.station_id = subject.station_id
        if anonymous:
            concern.reporter_professional_group = ""
            concern.reporter_is_apprentice = reporter.is_apprentice if rng.random() < 0.6 else None
            concern.receipt_lookup = self._unique(self.lookups, "", receipts.LOOKUP_LENGTH)
            concern.receipt_hash = self.receipt_hash
            if rng.random() < 0.25:
                concern.station_id = None
        else:
            self.reporters[concern.id] = reporter
        self.concerns.append(concern)
        if stalled == "triage":
            self._escalate(concern)
        else:
            self._work(concern, threshold, stalled_task=stalled == "task")

    def _reporter(self, kind, day: dt.date, not_about: Person | None) -> Person:
        pool = self.apprentices if self.rng.random() < BY_APPRENTICE[kind] else self.staff
        for _ in range(20):
            person = self.rng.choice(pool)
            employed = person.start_date <= day and (person.leave_date is None or person.leave_date > day)
            if employed and person != not_about:
                return person
        return self.rng.choice([p for p in self.staff if p != not_about])

    def _unique(self, taken: set[str], prefix: str, length: int) -> str:
        while True:
            value = prefix + "".join(self.rng.choice(receipts.ALPHABET) for _ in range(length))
            if value not in taken:
                taken.add(value)
                return value

    def _about(self, concern: Concern, reporter: Person, subject: Person | None) -> None:
        rng, kind = self.rng, concern.kind
        if kind == Kind.PATIENT_SAFEGUARDING:
            concern.subject_type = Subject.PATIENT
            concern.patient = self._patient(concern)
        elif kind in (Kind.LOW_LEVEL, Kind.EXPERIENCED) and (subject or rng.random() < 0.8):
            concern.subject_type = Subject.COLLEAGUE
            concern.subject_person = subject or self._colleague(reporter, low_level=kind == Kind.LOW_LEVEL)
            if concern.subject_person is None:
                concern.subject_description = rng.choice(DESCRIBED)
        elif kind == Kind.PREVENT:
            concern.subject_type = Subject.PATIENT
            concern.subject_description = "A patient we attended"
        else:
            concern.subject_type = rng.choice([Subject.PROCESS, Subject.PROCESS, Subject.UNKNOWN])

    def _colleague(self, reporter: Person, *, low_level: bool) -> Person | None:
        """Someone at the reporter's station. No one is the subject of more than two random low-level
        concerns, so the demo has exactly one pattern: the one it builds on purpose."""
        for _ in range(10):
            person = self.rng.choice(self.at_station.get(reporter.station_id, self.people))
            if person == reporter or person.pk in self.avoid:
                continue
            if low_level:
                if self.low_level_about.get(person.pk, 0) >= 2:
                    continue
                self.low_level_about[person.pk] = self.low_level_about.get(person.pk, 0) + 1
            return person
        return None

    def _patient(self, concern: Concern) -> PatientDetails:
        rng = self.rng
        is_child = rng.random() < 0.3
        age = rng.randint(0, 16) if is_child else rng.randint(18, 96)
        born = concern.received_on - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        called = rng.random() < 0.35
        details = PatientDetails(
            concern=concern,
            is_child=is_child,
            name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
            nhs_number=_nhs_number(rng) if rng.random() < 0.8 else "",
            date_of_birth=born.isoformat(),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Northmoor",
            nature_of_risk=rng.choice(RISKS),
            consent=_weighted(rng, {"yes": 50, "no": 20, "not_possible": 30}),
            local_authority_called=called,
            local_authority_reference=f"LA-{rng.randint(100000, 999999)}" if called else "",
        )
        self.patients.append(details)
        return details

    # Case work, step by step as the services would record it; a step dated after today has not happened.

    def _entry(self, concern: Concern, type: str, body: str, on: dt.date, author: User | None) -> Entry:
        self.sequence[concern.id] = self.sequence.get(concern.id, 0) + 1
        entry = Entry(
            concern=concern,
            sequence=self.sequence[concern.id],
            type=type,
            event_on=on,
            recorded_on=on,
            author=author,
            body=body,
        )
        self.entries.append(entry)
        return entry

    def _move(self, concern: Concern, to: str, on: dt.date, by: User, note: str = "") -> None:
        if to not in services.ALLOWED_MOVES[concern.status]:
            raise ValueError(f"The demo moved {concern} from {concern.status} to {to}.")
        body = f"Status changed from {Status(concern.status).label} to {Status(to).label}."
        self._entry(concern, Entry.Type.STATUS, body + (f" {note}" if note else ""), on, by)
        concern.status = to

    def _work(self, concern: Concern, threshold: str, stalled_task: bool) -> None:
        rng, today = self.rng, self.today
        triaged = add_working_days(
            concern.received_on, _weighted(rng, {0: 25, 1: 35, 2: 25, 3: 8, 4: 4, 6: 3})
        )
        if triaged > today:
            self._escalate(concern)
            return
        owner = self.owners[concern.route]
        self._triage(concern, triaged, owner, threshold)
        day = triaged
        if stalled_task:
            self._move(concern, Status.INVESTIGATING, day, owner)
            self._task(concern, day, owner, stalled=True)
            return
        if concern.threshold == Threshold.MEETS or rng.random() < 0.8:
            day = day + dt.timedelta(days=rng.randint(0, 3))
            if day > today:
                return
            self._move(concern, Status.INVESTIGATING, day, owner)
            day += dt.timedelta(days=rng.randint(0, 5))
            if day > today:
                return
            self._entry(concern, Entry.Type.NOTE, rng.choice(NOTES), day, owner)
        answered = True
        if rng.random() < (0.45 if concern.is_anonymous else 0.15):
            day, answered = self._conversation(concern, day, owner)
            if day > today:
                return
        referral = self._refer(concern, day, owner)
        if referral:
            if referral.outcome == Referral.Outcome.AWAITING:
                return
            day = referral.outcome_on
        if concern.status == Status.INVESTIGATING and rng.random() < 0.5:
            day = self._task(concern, day, owner)
        day += dt.timedelta(days=rng.randint(1, 21))
        if day <= today and rng.random() < 0.96:
            self._close(concern, day, owner, referral, answered)

    def _escalate(self, concern: Concern) -> None:
        """The hourly job escalates a concern the day after its triage was due."""
        if concern.triage_due_on < self.today:
            concern.escalated_on = concern.triage_due_on + dt.timedelta(days=1)

    def _triage(self, concern: Concern, on: dt.date, owner: User, threshold: str) -> None:
        rng = self.rng
        self._move(concern, Status.TRIAGED, on, owner)
        concern.primary_category = services.suggested_category(concern)
        concern.secondary_categories = [
            category
            for category, chance in SECONDARY[concern.kind]
            if rng.random() < chance and category != concern.primary_category
        ]
        meets = MEETS_THRESHOLD[concern.kind]
        if concern.behaviour == Behaviour.SEXUAL_SAFETY:
            meets = 0.55
        concern.threshold = threshold or (Threshold.MEETS if rng.random() < meets else Threshold.LOW_LEVEL)
        concern.owner = owner
        concern.triaged_on = on
        if on > concern.triage_due_on:
            concern.escalated_on = concern.triage_due_on + dt.timedelta(days=1)
        self.team.append(CaseTeamMember(concern=concern, user=owner, added_on=on))

    def _conversation(self, concern: Concern, day: dt.date, owner: User) -> tuple[dt.date, bool]:
        rng = self.rng
        day += dt.timedelta(days=rng.randint(1, 4))
        if day > self.today:
            return day, False
        self._entry(concern, Entry.Type.MESSAGE_TO_REPORTER, rng.choice(QUESTIONS), day, owner)
        replied = day + dt.timedelta(days=rng.randint(1, 7))
        if rng.random() < 0.3 or replied > self.today:
            return day, False
        reply = self._entry(concern, Entry.Type.MESSAGE_FROM_REPORTER, rng.choice(REPLIES), replied, None)
        if not concern.is_anonymous:
            self.replies.append((reply, self.reporters[concern.id]))
        return replied, True

    def _refer(self, concern: Concern, day: dt.date, owner: User) -> Referral | None:
        rng, kind, meets = self.rng, concern.kind, concern.threshold == Threshold.MEETS
        agency, chance = Referral.Agency.REGULATOR, 0.02
        if kind == Kind.PATIENT_SAFEGUARDING:
            child = concern.patient.is_child
            agency = Referral.Agency.CHILDRENS_SOCIAL_CARE if child else Referral.Agency.ADULT_SOCIAL_CARE
            chance = 0.85
        elif kind == Kind.LOW_LEVEL and meets:
            agency, chance = rng.choice([Referral.Agency.LADO, Referral.Agency.REGULATOR]), 0.8
        elif concern.behaviour == Behaviour.SEXUAL_SAFETY and meets:
            agency, chance = Referral.Agency.POLICE, 0.5
        elif kind == Kind.PREVENT:
            agency, chance = Referral.Agency.POLICE, 0.6
        elif kind == Kind.PATIENT_SAFETY and meets:
            agency, chance = Referral.Agency.CQC, 0.3
        if rng.random() >= chance:
            return None
        referral = Referral(concern=concern, agency=agency, referred_on=day, their_reference="")
        if rng.random() < 0.6:
            referral.their_reference = f"{agency[:3].upper()}-{rng.randint(10000, 99999)}"
        self.referrals.append(referral)
        self._entry(concern, Entry.Type.REFERRAL, f"Referred to {referral.get_agency_display()}.", day, owner)
        self._move(concern, Status.REFERRED, day, owner)
        outcome_on = day + dt.timedelta(days=rng.randint(3, 45))
        if outcome_on <= self.today:
            referral.outcome, referral.outcome_on = _weighted(rng, OUTCOMES), outcome_on
            body = f"{referral.get_agency_display()}: {referral.get_outcome_display()}."
            self._entry(concern, Entry.Type.REFERRAL, body, outcome_on, owner)
        return referral

    def _task(self, concern: Concern, day: dt.date, owner: User, stalled: bool = False) -> dt.date:
        rng = self.rng
        task = Task(
            concern=concern,
            title=rng.choice(TASKS),
            owner=owner,
            due_on=day + dt.timedelta(days=7 if stalled else rng.randint(7, 21)),
        )
        self.tasks.append(task)
        self._entry(
            concern,
            Entry.Type.ACTION,
            f"Task for {owner.display_name} by {task.due_on:%-d %B %Y}: {task.title}",
            day,
            owner,
        )
        done = day + dt.timedelta(days=rng.randint(2, 25))
        if done <= self.today and not stalled:
            task.done_on = done
            self._entry(concern, Entry.Type.ACTION, f"Done: {task.title}", done, owner)
        return max(done, day)

    def _close(self, concern: Concern, day: dt.date, owner: User, referral: Referral | None, answered: bool):
        rng = self.rng
        if referral and referral.outcome == Referral.Outcome.ACCEPTED:
            reason = rng.choice(["referred_externally", "addressed"])
        elif referral:
            reason = rng.choice(["no_further_action", "addressed"])
        elif not answered and rng.random() < 0.6:
            reason = "insufficient_information"
        else:
            options = {
                "addressed": 60,
                "no_further_action": 32,
                "withdrawn": 0 if concern.is_anonymous else 8,
            }
            reason = _weighted(rng, options)
        outcome, feedback = CLOSING[reason]
        self._move(concern, Status.CLOSED, day, owner, note=services.CLOSURE_REASONS[reason])
        concern.closed_on, concern.closure_reason, concern.outcome = day, reason, outcome
        concern.feedback_given_on = day
        self._entry(concern, Entry.Type.MESSAGE_TO_REPORTER, feedback, day, owner)
        if rng.random() < (0.35 if concern.is_anonymous else 0.6):
            concern.speak_up_again = _weighted(rng, ANSWERS)

    # Writing

    def save(self) -> None:
        accounts = self._accounts()
        for concern in self.concerns:
            reporter = self.reporters.get(concern.id)
            concern.raised_by = accounts[reporter.pk] if reporter else None
        for entry, reporter in self.replies:
            entry.author = accounts[reporter.pk]
        Concern.objects.bulk_create(self.concerns, batch_size=1000)
        PatientDetails.objects.bulk_create(self.patients, batch_size=1000)
        CaseTeamMember.objects.bulk_create(self.team, batch_size=2000)
        Entry.objects.bulk_create(self.entries, batch_size=2000)
        Task.objects.bulk_create(self.tasks, batch_size=2000)
        Referral.objects.bulk_create(self.referrals, batch_size=2000)

    def _accounts(self) -> dict[int, User]:
        """Everyone who raised a concern in their own name signed in to do it."""
        reporters = {person.pk: person for person in self.reporters.values()}
        User.objects.bulk_create(
            [
                User(email=f"{person.staff_number.lower()}@northmoor.example", person=person, password="!")
                for person in reporters.values()
            ],
            batch_size=2000,
        )
        return {user.person_id: user for user in User.objects.filter(person_id__in=reporters)}


# The demo's own "device", for the limit on anonymous concerns per device.
DEMO_ADDRESS = "192.0.2.1"


def _today(users: dict[str, User], home, pattern_subject: Person) -> None:
    """Today's concerns, through the services: an anonymous conversation, a declined referral closed with
    feedback, a new concern waiting for triage, and the third low-level concern that flags a pattern."""
    lead, guardian = users["safeguarding.lead"], users["guardian"]
    staff, apprentice = users["staff"], users["apprentice"]

    # Anonymous concerns wait for their batch (docs/adr/0018); the demo writes each batch at once.
    held = services.raise_anonymous_concern(
        submission=secrets.token_hex(16),
        client_address=DEMO_ADDRESS,
        kind=Kind.EXPERIENCED,
        behaviour=Behaviour.BULLYING,
        narrative="The shift lead belittles newer staff at every handover and no one challenges it.",
        subject_type=Subject.COLLEAGUE,
        subject_description="A shift lead at my station",
        station=home,
    )
    services.write_held_anonymous()
    bullying = Concern.objects.get(pk=held.concern_id)
    services.triage(
        by=guardian,
        concern=bullying,
        primary_category=Category.BULLYING_HARASSMENT,
        secondary_categories=[Category.INAPPROPRIATE],
        threshold=Threshold.LOW_LEVEL,
        owner=guardian,
        team=[],
    )
    services.message_reporter(by=guardian, concern=bullying, body=QUESTIONS[0])
    services.anonymous_reporter_replies(concern=bullying, body=REPLIES[1], submission=secrets.token_hex(16))

    referral_concern = services.raise_concern(
        by=staff,
        kind=Kind.PATIENT_SAFEGUARDING,
        identity=Identity.OPEN,
        narrative="Elderly patient living alone; the house was cold and there was no food.",
        subject_type=Subject.PATIENT,
        station=home,
        patient=services.PatientInput(
            is_child=False,
            name="Edith Marrow",
            nhs_number="9434765919",
            date_of_birth="1938-02-14",
            address="4 Beck Side, Northmoor",
            nature_of_risk=RISKS[0],
            consent="yes",
            local_authority_called=False,
        ),
    ).concern
    services.triage(
        by=lead,
        concern=referral_concern,
        primary_category=Category.SAFEGUARDING_ADULT,
        secondary_categories=[],
        threshold=Threshold.MEETS,
        owner=lead,
        team=[],
    )
    today = referral_concern.received_on
    referral = services.refer(
        by=lead, concern=referral_concern, agency=Referral.Agency.ADULT_SOCIAL_CARE, referred_on=today
    )
    services.record_referral_outcome(
        by=lead, referral=referral, outcome=Referral.Outcome.DECLINED, outcome_on=today
    )
    closed = services.close(
        by=lead,
        concern=referral_concern,
        reason="no_further_action",
        outcome="Adult social care declined: the patient has capacity and accepted a care assessment.",
        feedback="Thank you for referring. Adult social care looked at it and arranged a care assessment.",
    )
    services.answer_speak_up_again(concern=closed, answer=SpeakUpAgain.YES, by=staff)

    services.raise_concern(
        by=apprentice,
        kind=Kind.WORKER_WELLBEING,
        identity=Identity.CONFIDENTIAL,
        narrative="I have not had a break on my last four shifts and I am exhausted.",
        subject_type=Subject.PROCESS,
        station=home,
    )
    services.raise_anonymous_concern(
        submission=secrets.token_hex(16),
        client_address=DEMO_ADDRESS,
        kind=Kind.LOW_LEVEL,
        narrative="He keeps making comments about my body when we are on shift. Others have noticed too.",
        subject_type=Subject.COLLEAGUE,
        subject_person=pattern_subject,
        station=home,
        reporter_is_apprentice=True,
    )
    services.write_held_anonymous()
