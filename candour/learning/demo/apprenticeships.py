"""Learning demo: an apprenticeship for every apprentice in Northmoor's roster (661 at trust scale, plus the
demo apprentice), with mentors, placements, off-the-job logs and quarterly reviews.

Written in bulk in the shape the services write them: the first review due 3 months after the start and each
held one followed by the next, sign-offs only on reviews with every answer. Realistic gaps: some apprentices
have no mentor, some log too few off-the-job hours, some reviews are overdue or late. A handful of reviews
held in recent months have a worrying welfare answer; those go through `services.record_review` itself, so
each raises its confidential concern with the safeguarding team exactly as in the running app.
The demo apprentice has a complete, signed-off record, and their next review is due within a fortnight.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from candour.core.demo import DemoContext
from candour.learning.models import (
    Apprenticeship,
    LearningProvider,
    OffTheJobEntry,
    Placement,
    ProgressReview,
    ReviewTarget,
)
from candour.learning.queries.apprenticeships import (
    add_months,
    planned_off_the_job_hours,
    weekly_off_the_job_hours,
)
from candour.learning.services import apprenticeships as services
from candour.people.demo import demo_email
from candour.people.models import Person, User

Status = Apprenticeship.Status
Answer = ProgressReview.Answer
Progress = ProgressReview.Progress
Outcome = ReviewTarget.Outcome

# (name, UKPRN, share of apprentices). Fictional providers with made-up reference numbers.
PROVIDERS = [
    ("Northmoor College", "10091234", 0.55),
    ("Pennine Health Academy", "10095678", 0.35),
    ("Fellside University", "10098765", 0.10),
]
STANDARDS = {
    "apprentice-aap": ("Associate ambulance practitioner", 4, 540, 720),
    "apprentice-ecsw": ("Ambulance support worker (emergency, urgent and non-urgent)", 3, 390, 480),
}
# The Institute's references, where known for sure; the others are left for the education lead to enter.
STANDARD_CODES = {"apprentice-ecsw": "ST0627"}
PROGRESS_NOTES = {
    "knowledge": ["Explains the stroke pathway clearly.", "Pharmacology still to cover.", ""],
    "skills": ["Confident with observations and the ECG.", "Needs more supervised cannulation.", ""],
    "behaviours": ["Calm and kind with distressed families.", "Handovers are clear and timely.", ""],
}
OFF_THE_JOB_TALKS = [
    "On track with the hours; the next teaching day is booked.",
    "A few hours behind after a run of nights; a study day is booked to catch up.",
    "Ahead of the plan; portfolio time is protected on each rota.",
]
TARGETS = [
    "Complete ten supervised cannulations",
    "Finish the pharmacology module",
    "Lead three handovers at the emergency department, observed by the mentor",
    "Bring the portfolio up to date with the last placement",
    "Pass the moving and handling assessment",
]
HOSPITALS = ["Oakridge City General Hospital", "Harrowby Royal Infirmary", "Calder Vale District Hospital"]
ACTIVITIES = [
    "Provider teaching day",
    "Simulation training",
    "Online module: patient assessment",
    "Study time: portfolio",
    "Mentored shadowing with the practice educator",
    "Online module: pharmacology",
    "Clinical skills workshop",
]
SUMMARIES = [
    "Good progress on patient assessment and handover. Next: confidence with the ECG.",
    "Portfolio up to date. Working towards the moving and handling assessment.",
    "Strong feedback from the mentor on communication with patients and families.",
    "Behind on the portfolio after a run of night shifts; a plan is agreed with the mentor.",
    "Completed the module on medicines. Next: observed practice with the practice educator.",
]
WORRYING_DETAILS = [
    "Says a crew mate makes comments about their appearance on night shifts and laughs it off when asked "
    "to stop.",
    "Was shouted at in front of a patient's family and felt belittled; it has happened more than once.",
    "Not sure they would be taken seriously if they raised something about a senior colleague.",
]
# Chances per apprentice; welfare flags are counted, not chanced, so the demo stays small and fast.
NO_MENTOR = 0.06
SHORT_OF_HOURS = 0.15
LAST_REVIEW_MISSED = 0.10
REVIEW_HELD_LATE = 0.08
WELFARE_FLAGS = {"demo": 2, "trust": 5}


@dataclass
class _Build:
    rng: random.Random
    today: dt.date
    apprenticeships: list[Apprenticeship] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    entries: list[OffTheJobEntry] = field(default_factory=list)
    reviews: list[ProgressReview] = field(default_factory=list)
    # The current apprenticeship's weeks logged and running total of hours, for its reviews.
    running_totals: dict[int, tuple[list[dt.date], list[Decimal]]] = field(default_factory=dict)
    # Each held review's targets, by the review's identity: saved once the reviews have ids.
    targets_of: dict[int, list[ReviewTarget]] = field(default_factory=dict)
    # Recent reviews a worrying answer could be recorded on; a few are, through the service.
    worrying: list[ProgressReview] = field(default_factory=list)


def build(context: DemoContext) -> None:
    rng = context.rng_for("learning.apprenticeships")
    today = context.today
    lead = User.objects.get(email=demo_email("education.lead"))
    demo_apprentice = User.objects.get(email=demo_email("apprentice")).person
    providers = LearningProvider.objects.bulk_create(
        [LearningProvider(name=name, ukprn=ukprn) for name, ukprn, _ in PROVIDERS]
    )
    mentors = _mentors_by_station()
    people = list(
        Person.objects.filter(is_apprentice=True)
        .select_related("job_role", "line_manager")
        .order_by("staff_number")
    )
    work = _Build(rng, today)
    for person in people:
        if person.pk == demo_apprentice.pk:
            _complete_record(work, person, providers[0], mentors)
        else:
            _apprenticeship(work, person, providers, mentors)
    flagged = rng.sample(work.worrying, min(WELFARE_FLAGS[context.scale.name], len(work.worrying)))
    held_on = {id(review): review.held_on for review in flagged}
    _save(work, flagged)
    for review in flagged:
        _record_worrying(lead, review, held_on[id(review)])


def _mentors_by_station() -> dict[int, list[Person]]:
    mentors: dict[int, list[Person]] = defaultdict(list)
    for mentor in Person.objects.filter(job_role__code__in=["paramedic", "specialist-paramedic"]).order_by(
        "pk"
    ):
        mentors[mentor.station_id].append(mentor)
    return mentors


def _apprenticeship(work: _Build, person: Person, providers: list[LearningProvider], mentors) -> None:
    rng, today = work.rng, work.today
    standard, level, shortest, longest = STANDARDS[person.job_role.code]
    start = person.start_date
    planned_end = start + dt.timedelta(days=rng.randint(shortest, longest))
    status = Status.IN_LEARNING
    if planned_end <= today:
        status = Status.COMPLETED
    elif rng.random() < 0.02:
        status = Status.BREAK
    elif rng.random() < 0.01:
        status = Status.WITHDRAWN
    station_mentors = mentors.get(person.station_id, [])
    mentor = rng.choice(station_mentors) if station_mentors and rng.random() >= NO_MENTOR else None
    hours = rng.choices([Decimal("37.5"), Decimal(30), Decimal("22.5")], weights=[82, 10, 8])[0]
    provider = rng.choices(providers, weights=[share for _, _, share in PROVIDERS])[0]
    apprenticeship = Apprenticeship(
        person=person,
        standard=standard,
        standard_code=STANDARD_CODES.get(person.job_role.code, ""),
        level=level,
        start_date=start,
        planned_end_date=planned_end,
        station_id=person.station_id,
        mentor=mentor,
        provider=provider,
        contracted_hours_per_week=hours,
        status=status,
        **_identifiers(rng, start),
    )
    work.apprenticeships.append(apprenticeship)
    until = min(today, planned_end)
    _placements(work, apprenticeship, until)
    share = rng.uniform(0.55, 0.85) if rng.random() < SHORT_OF_HOURS else rng.uniform(1.05, 1.2)
    _off_the_job(work, apprenticeship, until, share)
    _reviews(work, apprenticeship, until, signer=mentor or person.line_manager)


def _placements(work: _Build, apprenticeship: Apprenticeship, until: dt.date) -> None:
    rng, start = work.rng, apprenticeship.start_date
    settings_ = [("Ambulance station", apprenticeship.station_id, start, apprenticeship.planned_end_date)]
    if (until - start).days > 120:
        begins = start + dt.timedelta(days=rng.randint(60, 100))
        settings_.append(
            (f"Emergency department, {rng.choice(HOSPITALS)}", None, begins, begins + dt.timedelta(weeks=4))
        )
    if (until - start).days > 300:
        begins = start + dt.timedelta(days=rng.randint(200, 260))
        settings_.append(("Emergency operations centre", None, begins, begins + dt.timedelta(weeks=2)))
    work.placements += [
        Placement(
            apprenticeship=apprenticeship, setting=setting, station_id=station_id, starts_on=s, ends_on=e
        )
        for setting, station_id, s, e in settings_
    ]


def _off_the_job(work: _Build, apprenticeship: Apprenticeship, until: dt.date, share: float) -> None:
    """A week's log most weeks, adding up to about `share` of the hours planned."""
    rng = work.rng
    weekly = float(weekly_off_the_job_hours(apprenticeship.contracted_hours_per_week)) * share
    week = services.week_of(apprenticeship.start_date)
    owed = 0.0
    while week < until:
        owed += weekly
        # Learning comes in lumps (a teaching day, a block week): log when a day's worth has built up.
        if owed >= 7.5 or (owed > 0 and rng.random() < 0.3):
            hours = min(Decimal(40), Decimal(str(round(owed * 2) / 2)))
            if hours > 0:
                work.entries.append(
                    OffTheJobEntry(
                        apprenticeship=apprenticeship,
                        week_starting=week,
                        hours=hours,
                        activity=rng.choice(ACTIVITIES),
                    )
                )
                owed -= float(hours)
        week += dt.timedelta(weeks=1)


def _reviews(work: _Build, apprenticeship: Apprenticeship, until: dt.date, signer: Person | None) -> None:
    """Quarterly reviews from the start; the last one due may be missed, and one more is scheduled."""
    rng, today = work.rng, work.today
    current = apprenticeship.status in (Status.IN_LEARNING, Status.BREAK)
    missed_last = current and rng.random() < LAST_REVIEW_MISSED
    last_held = apprenticeship.start_date
    previous = None
    while True:
        due = add_months(last_held, 3)
        if due > until:
            break
        held = due - dt.timedelta(days=rng.randint(0, 14))
        if rng.random() < REVIEW_HELD_LATE:
            held = due + dt.timedelta(days=rng.randint(1, 25))
        is_last = add_months(held, 3) > until
        if held > today or (is_last and missed_last):
            work.reviews.append(ProgressReview(apprenticeship=apprenticeship, due_on=due))
            return
        review = _held(work, apprenticeship, due, held, signer, previous)
        if current and is_last and (today - held).days < 150 and signer is not None:
            work.worrying.append(review)
        work.reviews.append(review)
        last_held, previous = held, review
    if current:
        work.reviews.append(ProgressReview(apprenticeship=apprenticeship, due_on=add_months(last_held, 3)))


def _held(
    work: _Build, apprenticeship, due: dt.date, held: dt.date, signer: Person | None, previous=None
) -> ProgressReview:
    rng, today = work.rng, work.today
    contact = rng.choices([Answer.YES, Answer.NOT_SURE, Answer.NO], weights=[85, 10, 5])[0]
    logged = _logged_by(work, apprenticeship, held)
    progress = {
        f"{area}_progress": rng.choices(list(Progress), weights=[15, 70, 15])[0] for area in PROGRESS_NOTES
    }
    review = ProgressReview(
        apprenticeship=apprenticeship,
        due_on=due,
        held_on=held,
        progress_summary=rng.choice(SUMMARIES),
        **progress,
        **{f"{area}_notes": rng.choice(notes) for area, notes in PROGRESS_NOTES.items()},
        off_the_job_discussion=rng.choice(OFF_THE_JOB_TALKS),
        off_the_job_planned_hours=planned_off_the_job_hours(
            start=apprenticeship.start_date,
            planned_end=apprenticeship.planned_end_date,
            contracted_hours_per_week=apprenticeship.contracted_hours_per_week,
            on=held,
        ).quantize(Decimal("0.1")),
        off_the_job_logged_hours=logged or Decimal(0),
        feels_safe=Answer.YES,
        witnessed_uncomfortable=Answer.NO,
        knows_how_to_raise=rng.choices([Answer.YES, Answer.NOT_SURE], weights=[92, 8])[0],
        knows_safeguarding_contact=contact,
    )
    # The last review's targets are judged at this one; one or two new ones are set for the next.
    for target in work.targets_of.get(id(previous), []):
        target.outcome, target.outcome_review = rng.choices(list(Outcome), weights=[70, 20, 10])[0], review
    work.targets_of[id(review)] = [
        ReviewTarget(review=review, description=text, due_on=add_months(held, 3))
        for text in rng.sample(TARGETS, rng.randint(1, 2))
    ]
    # Recent reviews are often still waiting for a signature or two.
    signed = min(today, held + dt.timedelta(days=rng.randint(0, 10)))
    if (today - held).days > 21 or rng.random() < 0.5:
        review.apprentice_signed_on = signed
        review.provider_signed_by = f"{apprenticeship.provider.name} tutor"
        review.provider_signed_on = signed
        if signer is not None:
            review.employer_signed_by, review.employer_signed_on = signer, signed
    return review


def _logged_by(work: _Build, apprenticeship: Apprenticeship, day: dt.date) -> Decimal:
    """Hours logged by a day, from a running total worked out once per apprenticeship: its entries are
    the latest written, in week order."""
    key = id(apprenticeship)
    if key not in work.running_totals:
        weeks, totals, total = [], [], Decimal(0)
        for entry in reversed(work.entries):
            if entry.apprenticeship is not apprenticeship:
                break
            weeks.append(entry.week_starting)
            totals.append(entry.hours)
        weeks.reverse()
        totals.reverse()
        running = []
        for hours in totals:
            total += hours
            running.append(total)
        work.running_totals = {key: (weeks, running)}
    weeks, running = work.running_totals[key]
    index = bisect.bisect_right(weeks, day)
    return running[index - 1] if index else Decimal(0)


def _complete_record(work: _Build, person: Person, provider: LearningProvider, mentors) -> None:
    """The demo apprentice: a mentor, placements, every hour logged, every review held and signed off, and
    the next due within a fortnight."""
    today = work.today
    next_due = today + dt.timedelta(days=10)
    start = add_months(next_due, -9)
    mentor = mentors[person.station_id][0]
    standard, level, _, longest = STANDARDS["apprentice-aap"]
    apprenticeship = Apprenticeship(
        person=person,
        standard=standard,
        level=level,
        **_identifiers(work.rng, start),
        start_date=start,
        planned_end_date=start + dt.timedelta(days=longest),
        station_id=person.station_id,
        mentor=mentor,
        provider=provider,
    )
    work.apprenticeships.append(apprenticeship)
    _placements(work, apprenticeship, today)
    _off_the_job(work, apprenticeship, today, 1.05)
    previous = None
    for quarter in (1, 2):
        due = add_months(start, 3 * quarter)
        review = previous = _held(work, apprenticeship, due, due, mentor, previous)
        review.apprentice_signed_on = review.provider_signed_on = review.employer_signed_on = review.held_on
        review.employer_signed_by = mentor
        review.provider_signed_by = f"{provider.name} tutor"
        review.knows_how_to_raise = review.knows_safeguarding_contact = Answer.YES
        work.reviews.append(review)
    work.reviews.append(ProgressReview(apprenticeship=apprenticeship, due_on=next_due))


def _save(work: _Build, flagged: list[ProgressReview]) -> None:
    Apprenticeship.objects.bulk_create(work.apprenticeships, batch_size=1000)
    Placement.objects.bulk_create(work.placements, batch_size=2000)
    OffTheJobEntry.objects.bulk_create(work.entries, batch_size=2000)
    for review in flagged:
        # Left unheld and unsigned here: the service records what was said, and raises the concern.
        review.held_on = None
        review.apprentice_signed_on = review.employer_signed_on = review.provider_signed_on = None
        review.employer_signed_by, review.provider_signed_by = None, ""
    ProgressReview.objects.bulk_create(work.reviews, batch_size=1000)
    for review in flagged:
        # The service sets a flagged review's targets afresh when it records the review.
        work.targets_of.pop(id(review), None)
    targets = [target for targets in work.targets_of.values() for target in targets]
    ReviewTarget.objects.bulk_create(targets, batch_size=2000)


def _record_worrying(lead: User, review: ProgressReview, held: dt.date) -> None:
    rng = random.Random(str(review.apprenticeship.person.staff_number))
    witnessed = rng.random() < 0.7
    services.record_review(
        by=lead,
        review=review,
        held_on=held,
        progress_summary=SUMMARIES[0],
        feels_safe=Answer.NOT_SURE if witnessed else Answer.NO,
        witnessed_uncomfortable=Answer.YES if witnessed else Answer.NO,
        welfare_details=rng.choice(WORRYING_DETAILS),
        knows_how_to_raise=Answer.YES,
        knows_safeguarding_contact=Answer.NOT_SURE,
        knowledge_progress=Progress.ON_TRACK,
        skills_progress=Progress.ON_TRACK,
        behaviours_progress=Progress.BEHIND,
        off_the_job_discussion=OFF_THE_JOB_TALKS[1],
        targets=[services.NewTarget(TARGETS[3], add_months(held, 3))],
    )


def _identifiers(rng: random.Random, start: dt.date) -> dict:
    """A unique learner number that passes its check, and a date of birth 18 to 45 years before the start."""
    while True:
        first_nine = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(8))]
        remainder = (
            sum(digit * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)) % 11
        )
        if remainder:  # a remainder of 0 would need a check digit of 10
            break
    born = start - dt.timedelta(days=rng.randint(18 * 365, 45 * 365))
    return {
        "unique_learner_number": "".join(map(str, first_nine)) + str(10 - remainder),
        "date_of_birth": born.isoformat(),
    }
