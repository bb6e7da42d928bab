"""Learning queries: apprenticeships. Read models for the caseload, the apprenticeship record and the rules
they share (off-the-job hours planned, when a review is due).

Who sees what: an apprentice always sees their own record, even after it moves to a new provider. Anyone
else needs VIEW_APPRENTICES or MANAGE_APPRENTICES over the apprenticeship's station, else the record is not
found. Welfare answers and flags are for the education lead (MANAGE_APPRENTICES) and the apprentice only:
a line manager may view apprentices but must never learn that a welfare concern was raised.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, DecimalField, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from candour.core.months import add_months
from candour.core.tags import tag_colours
from candour.learning.access import MANAGE_APPRENTICES, VIEW_APPRENTICES
from candour.learning.models import (
    Apprenticeship,
    CohortPack,
    LearningProvider,
    OffTheJobEntry,
    ProgressReview,
    ReviewTarget,
    SafeguardingShareDecision,
    TrainingRecord,
)
from candour.people.access import can, scope_of
from candour.people.models import OrgUnit, Person, User

Status = Apprenticeship.Status
Answer = ProgressReview.Answer

CASELOAD_PAGE_SIZE = 50
WELFARE_LOOKBACK_MONTHS = 6
# An apprentice is told their review is due this many days before it is.
REVIEW_DUE_SOON_DAYS = 14
CURRENT = (Status.IN_LEARNING, Status.BREAK)

# The three parts of every apprenticeship standard, each reviewed for progress.
KSB_AREAS = ("knowledge", "skills", "behaviours")
QUESTIONS = {
    "feels_safe": "Do you feel safe at work and on placement?",
    "witnessed_uncomfortable": "Have you experienced or witnessed behaviour that made you uncomfortable?",
    "knows_how_to_raise": "Do you know how to raise a concern?",
    "knows_safeguarding_contact": "Do you know who your safeguarding contact is?",
}
WORRYING = {
    "feels_safe": {Answer.NO, Answer.NOT_SURE},
    "witnessed_uncomfortable": {Answer.YES, Answer.NOT_SURE},
}
WORRYING_ANSWER = Q(feels_safe__in=WORRYING["feels_safe"]) | Q(
    witnessed_uncomfortable__in=WORRYING["witnessed_uncomfortable"]
)
WHAT_HAPPENS_NEXT = (
    "The safeguarding team will contact you confidentially. Your line manager is not told. "
    "If you feel unsafe now, speak to your safeguarding contact or raise a concern at any time."
)


# Rules


def weekly_off_the_job_hours(contracted_hours_per_week: Decimal) -> Decimal:
    """6 hours a week at 30 contracted hours or more; pro rata below (STANDARDS §3)."""
    full_time = Decimal(settings.CANDOUR_OFF_THE_JOB_FULL_TIME_HOURS)
    share = min(Decimal(1), Decimal(contracted_hours_per_week) / full_time)
    return Decimal(settings.CANDOUR_OFF_THE_JOB_HOURS_PER_WEEK) * share


def weeks_elapsed(start: dt.date, until: dt.date) -> int:
    """Whole weeks from the start day to `until`; none before it starts."""
    return max(0, (until - start).days) // 7


def planned_off_the_job_hours(
    *, start: dt.date, planned_end: dt.date, contracted_hours_per_week: Decimal, on: dt.date
) -> Decimal:
    """Hours that should have been logged by `on`: whole weeks elapsed times the weekly hours."""
    weeks = weeks_elapsed(start, min(on, planned_end))
    return weeks * weekly_off_the_job_hours(contracted_hours_per_week)


def next_review_due(start: dt.date, last_held: dt.date | None) -> dt.date:
    """Reviews are at least every 3 calendar months: from the last one held, or from the start."""
    return add_months(last_held or start, settings.CANDOUR_REVIEW_INTERVAL_MONTHS)


def is_worrying(*, feels_safe: str, witnessed_uncomfortable: str) -> bool:
    return (
        feels_safe in WORRYING["feels_safe"] or witnessed_uncomfortable in WORRYING["witnessed_uncomfortable"]
    )


def open_targets_before(review: ProgressReview) -> QuerySet[ReviewTarget]:
    """Targets from earlier reviews of the apprenticeship still without an outcome, or given theirs at
    this review: the ones this review says how they went."""
    earlier = ReviewTarget.objects.filter(review__apprenticeship_id=review.apprenticeship_id).exclude(
        review_id=review.pk
    )
    if review.held_on:
        earlier = earlier.filter(review__held_on__lt=review.held_on)
    return earlier.filter(Q(outcome="") | Q(outcome_review_id=review.pk)).order_by("due_on", "created_at")


def missing_answers(review: ProgressReview) -> list[str]:
    """What must be recorded before a review can be signed off, as messages people can act on."""
    missing = []
    if not review.held_on:
        missing.append("Enter the date the review was held")
    if not review.progress_summary.strip():
        missing.append("Enter a summary of the apprentice's progress")
    for area in KSB_AREAS:
        if not getattr(review, f"{area}_progress"):
            missing.append(f"Record progress against the standard's {area}")
    if not review.off_the_job_discussion.strip():
        missing.append("Record what was discussed about off-the-job training")
    if not review.targets.exists():
        missing.append("Set at least one target for the next review")
    if review.held_on and open_targets_before(review).filter(outcome="").exists():
        missing.append("Say how each target set at the last review went")
    for field, question in QUESTIONS.items():
        if not getattr(review, field):
            missing.append(f"Answer the question: {question}")
    if review.witnessed_uncomfortable in WORRYING["witnessed_uncomfortable"] and not review.welfare_details:
        missing.append("Enter what they experienced or witnessed, or that they chose not to say")
    return missing


# Scope


def _stations(user: User, *permissions: str) -> frozenset[int]:
    stations: set[int] = set()
    for permission in permissions:
        stations |= scope_of(user, permission).station_ids
    return frozenset(stations)


def apprenticeships_in_scope(user: User) -> QuerySet[Apprenticeship]:
    """Apprenticeships at stations where the user may view or manage apprentices."""
    return Apprenticeship.objects.filter(station_id__in=_stations(user, VIEW_APPRENTICES, MANAGE_APPRENTICES))


def may_view_caseload(user: User) -> bool:
    return can(user, VIEW_APPRENTICES) or can(user, MANAGE_APPRENTICES)


def may_manage(user: User, apprenticeship: Apprenticeship) -> bool:
    return can(user, MANAGE_APPRENTICES, apprenticeship)


def is_own(user: User, apprenticeship: Apprenticeship) -> bool:
    return bool(user.is_authenticated and user.person_id and user.person_id == apprenticeship.person_id)


def apprenticeship_for(user: User, apprenticeship_id: uuid.UUID) -> Apprenticeship | None:
    """The apprenticeship if it is the user's own or in their scope; None otherwise (a 404)."""
    if not user.is_authenticated:
        return None
    reachable = Q(station_id__in=_stations(user, VIEW_APPRENTICES, MANAGE_APPRENTICES))
    if user.person_id:
        reachable |= Q(person_id=user.person_id)
    return (
        Apprenticeship.objects.filter(reachable, public_id=apprenticeship_id)
        .select_related("person", "person__line_manager", "station", "mentor", "provider", "transferred_to")
        .first()
    )


def managed_apprenticeship(user: User, apprenticeship_id: uuid.UUID) -> Apprenticeship | None:
    """The apprenticeship if the user may change it (MANAGE_APPRENTICES in scope)."""
    apprenticeship = apprenticeship_for(user, apprenticeship_id)
    return apprenticeship if apprenticeship and may_manage(user, apprenticeship) else None


def review_in(apprenticeship: Apprenticeship, review_id: uuid.UUID) -> ProgressReview | None:
    return apprenticeship.reviews.filter(public_id=review_id).first()


def own_apprenticeships(user: User) -> list[Apprenticeship]:
    if not (user.is_authenticated and user.person_id):
        return []
    return list(
        Apprenticeship.objects.filter(person_id=user.person_id)
        .select_related("provider", "station", "transferred_to")
        .order_by("-start_date")
    )


# The caseload


@tag_colours(
    {"welfare": "red", "overdue": "orange", "shortfall": "yellow", "no_mentor": "purple", "ending": "blue"}
)
class Tag(models.TextChoices):
    """Why an apprentice needs attention, in the order the caseload lists them."""

    WELFARE = "welfare", "Welfare flag"
    OVERDUE = "overdue", "Review overdue"
    SHORTFALL = "shortfall", "Off-the-job shortfall"
    NO_MENTOR = "no_mentor", "No mentor"
    ENDING = "ending", "Ending soon"


NEEDS_ATTENTION = "attention"


@dataclass(frozen=True)
class CaseloadRow:
    apprenticeship_id: uuid.UUID
    name: str
    staff_number: str
    standard: str
    level: int
    station: str
    provider: str
    status: Status
    next_review_due: dt.date
    planned_end_date: dt.date
    off_the_job_actual: Decimal
    off_the_job_planned: Decimal
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class Caseload:
    page: Page
    total: int
    needing_attention: int
    tag_counts: dict[str, int]
    shows_welfare: bool


def _logged_hours(on: dt.date) -> Subquery:
    return Subquery(
        OffTheJobEntry.objects.filter(apprenticeship=OuterRef("pk"), week_starting__lte=on)
        .order_by()
        .values("apprenticeship")
        .annotate(total=Sum("hours"))
        .values("total"),
        output_field=DecimalField(max_digits=8, decimal_places=1),
    )


def _last_held(on: dt.date) -> Subquery:
    return Subquery(
        ProgressReview.objects.filter(apprenticeship=OuterRef("pk"), held_on__lte=on)
        .order_by()
        .values("apprenticeship")
        .annotate(last=Max("held_on"))
        .values("last")
    )


def _welfare_flagged(on: dt.date) -> Exists:
    since = add_months(on, -WELFARE_LOOKBACK_MONTHS)
    return Exists(
        ProgressReview.objects.filter(
            WORRYING_ANSWER, apprenticeship=OuterRef("pk"), held_on__gte=since, held_on__lte=on
        )
    )


def with_progress(apprenticeships: QuerySet[Apprenticeship], on: dt.date) -> QuerySet[Apprenticeship]:
    """Annotate hours logged, the last review held and the welfare flag, each as one subquery, so a whole
    caseload is one query however many apprentices it has."""
    return apprenticeships.annotate(
        logged=Coalesce(_logged_hours(on), Value(Decimal(0)), output_field=DecimalField()),
        last_held=_last_held(on),
        welfare_flag=_welfare_flagged(on),
    )


def _tags(values: dict, *, today: dt.date, shows_welfare: bool, planned: Decimal, due: dt.date) -> list[Tag]:
    tags = []
    if shows_welfare and values["welfare_flag"]:
        tags.append(Tag.WELFARE)
    if values["status"] == Status.IN_LEARNING:
        if due < today:
            tags.append(Tag.OVERDUE)
        if values["logged"] < planned:
            tags.append(Tag.SHORTFALL)
    if values["mentor_id"] is None:
        tags.append(Tag.NO_MENTOR)
    ending_by = today + dt.timedelta(days=settings.CANDOUR_APPRENTICE_END_WARNING_DAYS)
    if values["status"] == Status.IN_LEARNING and values["planned_end_date"] <= ending_by:
        tags.append(Tag.ENDING)
    return tags


def caseload_rows(user: User, *, provider_id: uuid.UUID | None = None) -> list[CaseloadRow]:
    """Every current apprentice in the user's scope with their tags, those needing attention first."""
    today = timezone.localdate()
    welfare_stations = _stations(user, MANAGE_APPRENTICES)
    apprenticeships = apprenticeships_in_scope(user).filter(status__in=CURRENT)
    if provider_id:
        apprenticeships = apprenticeships.filter(provider__public_id=provider_id)
    found = with_progress(apprenticeships, today).values(
        "public_id",
        "person__given_name",
        "person__family_name",
        "person__staff_number",
        "standard",
        "level",
        "station_id",
        "station__name",
        "provider__name",
        "status",
        "start_date",
        "planned_end_date",
        "contracted_hours_per_week",
        "mentor_id",
        "logged",
        "last_held",
        "welfare_flag",
    )
    rows = []
    for values in found:
        planned = planned_off_the_job_hours(
            start=values["start_date"],
            planned_end=values["planned_end_date"],
            contracted_hours_per_week=values["contracted_hours_per_week"],
            on=today,
        )
        due = next_review_due(values["start_date"], values["last_held"])
        keys = _tags(
            values,
            today=today,
            shows_welfare=values["station_id"] in welfare_stations,
            planned=planned,
            due=due,
        )
        rows.append(
            CaseloadRow(
                apprenticeship_id=values["public_id"],
                name=f"{values['person__given_name']} {values['person__family_name']}",
                staff_number=values["person__staff_number"],
                standard=values["standard"],
                level=values["level"],
                station=values["station__name"],
                provider=values["provider__name"],
                status=Status(values["status"]),
                next_review_due=due,
                planned_end_date=values["planned_end_date"],
                off_the_job_actual=values["logged"],
                off_the_job_planned=planned,
                tags=tuple(keys),
            )
        )
    # Welfare first, then the rest needing attention, each by the review due soonest.
    rows.sort(
        key=lambda row: (
            not row.tags,
            Tag.WELFARE not in row.tags,
            row.next_review_due,
            row.name,
        )
    )
    return rows


def caseload(user: User, *, show: str = "", provider_id=None, page_number=None) -> Caseload:
    """The caseload page: filtered by a tag ('attention' for any), paginated, with counts per tag."""
    rows = caseload_rows(user, provider_id=provider_id)
    tag_counts = dict.fromkeys(Tag, 0)
    for row in rows:
        for tag in row.tags:
            tag_counts[tag] += 1
    needing = sum(1 for row in rows if row.tags)
    if show == NEEDS_ATTENTION:
        rows = [row for row in rows if row.tags]
    elif show in Tag.values:
        rows = [row for row in rows if show in row.tags]
    return Caseload(
        page=Paginator(rows, CASELOAD_PAGE_SIZE).get_page(page_number),
        total=len(rows),
        needing_attention=needing,
        tag_counts=tag_counts,
        shows_welfare=bool(_stations(user, MANAGE_APPRENTICES)),
    )


def needing_attention_count(user: User) -> int:
    return sum(1 for row in caseload_rows(user) if row.tags)


def providers() -> list[LearningProvider]:
    return list(LearningProvider.objects.order_by("name"))


# The apprenticeship record


@dataclass(frozen=True)
class OffTheJob:
    weekly_hours: Decimal
    planned: Decimal
    actual: Decimal
    applies: bool

    @property
    def shortfall(self) -> bool:
        return self.applies and self.actual < self.planned

    @property
    def short_by(self) -> Decimal:
        return max(Decimal(0), self.planned - self.actual)


@tag_colours({"signed_off": "green", "not_signed_off": "yellow", "overdue": "orange", "scheduled": "white"})
class ReviewState(models.TextChoices):
    SIGNED_OFF = "signed_off", "Signed off"
    NOT_SIGNED_OFF = "not_signed_off", "Not signed off"
    OVERDUE = "overdue", "Overdue"
    SCHEDULED = "scheduled", "Scheduled"


@dataclass(frozen=True)
class ReviewLine:
    review_id: uuid.UUID
    due_on: dt.date
    held_on: dt.date | None
    late: bool
    progress_summary: str
    apprentice_signed_on: dt.date | None
    employer_signed_by: str
    employer_signed_on: dt.date | None
    provider_signed_by: str
    provider_signed_on: dt.date | None
    signed_off: bool
    missing: list[str]
    # None when the viewer may not see welfare answers.
    answers: list[tuple[str, str]] | None
    welfare_details: str | None
    concern_raised: bool | None
    progress: list[tuple[str, str, str]]  # area, how it is going, what shows it
    off_the_job_discussion: str
    off_the_job_planned_hours: Decimal | None
    off_the_job_logged_hours: Decimal | None
    targets: list[tuple[str, dt.date, str]]  # set at this review: what, due by, how it went
    judged: list[tuple[str, str]]  # earlier targets, and how this review found them

    @property
    def state(self) -> ReviewState:
        if self.signed_off:
            return ReviewState.SIGNED_OFF
        if self.held_on:
            return ReviewState.NOT_SIGNED_OFF
        return ReviewState.OVERDUE if self.late else ReviewState.SCHEDULED


@dataclass(frozen=True)
class TrainingLine:
    subject: str
    completed_on: dt.date
    source: str


@dataclass(frozen=True)
class ShareLine:
    decided_on: dt.date
    decided_by: str
    lawful_basis: str


@dataclass(frozen=True)
class ApprenticeshipRecord:
    apprenticeship: Apprenticeship
    placements: list
    off_the_job: OffTheJob
    recent_off_the_job: list[OffTheJobEntry]
    reviews: list[ReviewLine]
    next_review_due: dt.date
    review_overdue: bool
    training: list[TrainingLine]
    share_decisions: list[ShareLine]
    is_own: bool
    may_manage: bool
    shows_welfare: bool

    @property
    def is_current(self) -> bool:
        return self.apprenticeship.status in CURRENT

    @property
    def review_tag(self) -> Tag | None:
        return Tag.OVERDUE if self.review_overdue else None

    @property
    def planned_transfer(self) -> bool:
        """Moving to a new provider on a date still to come."""
        return self.is_current and self.apprenticeship.transferred_to_id is not None


def off_the_job_for(apprenticeship: Apprenticeship, on: dt.date) -> OffTheJob:
    """Planned against actual hours by `on`; the shortfall flag applies only while in learning."""
    until = on
    if apprenticeship.status == Status.TRANSFERRED and apprenticeship.transferred_on:
        until = min(on, apprenticeship.transferred_on)
    actual = apprenticeship.off_the_job.filter(week_starting__lte=until).aggregate(total=Sum("hours"))[
        "total"
    ]
    return OffTheJob(
        weekly_hours=weekly_off_the_job_hours(apprenticeship.contracted_hours_per_week),
        planned=planned_off_the_job_hours(
            start=apprenticeship.start_date,
            planned_end=apprenticeship.planned_end_date,
            contracted_hours_per_week=apprenticeship.contracted_hours_per_week,
            on=until,
        ),
        actual=actual or Decimal(0),
        applies=apprenticeship.status == Status.IN_LEARNING,
    )


def _answer_label(value: str) -> str:
    return Answer(value).label if value else "Not answered"


def _progress_label(value: str) -> str:
    return ProgressReview.Progress(value).label if value else "Not recorded"


def _review_line(review: ProgressReview, *, shows_welfare: bool) -> ReviewLine:
    return ReviewLine(
        review_id=review.public_id,
        due_on=review.due_on,
        held_on=review.held_on,
        late=(review.held_on or timezone.localdate()) > review.due_on,
        progress_summary=review.progress_summary,
        apprentice_signed_on=review.apprentice_signed_on,
        employer_signed_by=review.employer_signed_by.full_name if review.employer_signed_by else "",
        employer_signed_on=review.employer_signed_on,
        provider_signed_by=review.provider_signed_by,
        provider_signed_on=review.provider_signed_on,
        signed_off=review.is_signed_off,
        missing=missing_answers(review) if review.held_on else [],
        answers=[(question, _answer_label(getattr(review, field))) for field, question in QUESTIONS.items()]
        if shows_welfare
        else None,
        welfare_details=review.welfare_details if shows_welfare else None,
        concern_raised=review.welfare_concern_raised if shows_welfare else None,
        progress=[
            (
                area.capitalize(),
                _progress_label(getattr(review, f"{area}_progress")),
                getattr(review, f"{area}_notes"),
            )
            for area in KSB_AREAS
        ],
        off_the_job_discussion=review.off_the_job_discussion,
        off_the_job_planned_hours=review.off_the_job_planned_hours,
        off_the_job_logged_hours=review.off_the_job_logged_hours,
        targets=[
            (target.description, target.due_on, target.get_outcome_display() or "Not yet reviewed")
            for target in review.targets.all()
        ],
        judged=[
            (target.description, target.get_outcome_display()) for target in review.target_outcomes.all()
        ],
    )


def record_for(user: User, apprenticeship: Apprenticeship) -> ApprenticeshipRecord:
    """Everything the apprenticeship page shows. Welfare answers only to the apprentice and the lead."""
    today = timezone.localdate()
    own = is_own(user, apprenticeship)
    manages = may_manage(user, apprenticeship)
    shows_welfare = own or manages
    reviews = list(apprenticeship.reviews.select_related("employer_signed_by").order_by("-due_on"))
    last_held = max((review.held_on for review in reviews if review.held_on), default=None)
    due = next_review_due(apprenticeship.start_date, last_held)
    return ApprenticeshipRecord(
        apprenticeship=apprenticeship,
        placements=list(apprenticeship.placements.select_related("station").order_by("starts_on")),
        off_the_job=off_the_job_for(apprenticeship, today),
        recent_off_the_job=list(apprenticeship.off_the_job.order_by("-week_starting", "-id")[:10]),
        reviews=[_review_line(review, shows_welfare=shows_welfare) for review in reviews],
        next_review_due=due,
        review_overdue=apprenticeship.status == Status.IN_LEARNING and due < today,
        training=training_summary(apprenticeship.person),
        share_decisions=[
            ShareLine(decision.decided_on, decision.decided_by.display_name, decision.lawful_basis)
            for decision in apprenticeship.share_decisions.select_related("decided_by__person").order_by(
                "-decided_on"
            )
        ]
        if manages
        else [],
        is_own=own,
        may_manage=manages,
        shows_welfare=shows_welfare,
    )


def training_summary(person: Person) -> list[TrainingLine]:
    """The latest completion of each subject the person holds."""
    seen: set[int] = set()
    lines = []
    records = TrainingRecord.objects.filter(person=person).select_related("subject").order_by("-completed_on")
    for record in records:
        if record.subject_id not in seen:
            seen.add(record.subject_id)
            lines.append(TrainingLine(record.subject.name, record.completed_on, record.get_source_display()))
    return sorted(lines, key=lambda line: line.subject)


def latest_share_decision(apprenticeship: Apprenticeship) -> SafeguardingShareDecision | None:
    return apprenticeship.share_decisions.select_related("decided_by__person").order_by("-decided_on").first()


@dataclass(frozen=True)
class DueReview:
    apprenticeship_id: uuid.UUID
    due_on: dt.date
    overdue: bool


def review_due_for_apprentice(user: User) -> DueReview | None:
    """The apprentice's own next review while in learning, when it is due within two weeks or overdue."""
    if not (user.is_authenticated and user.person_id):
        return None
    today = timezone.localdate()
    found = (
        with_progress(
            Apprenticeship.objects.filter(person_id=user.person_id, status=Status.IN_LEARNING), today
        )
        .values("public_id", "start_date", "last_held")
        .first()
    )
    if found is None:
        return None
    due = next_review_due(found["start_date"], found["last_held"])
    if due > today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS):
        return None
    return DueReview(found["public_id"], due, due < today)


# Moving to a new provider


def managed_in_scope(user: User) -> QuerySet[Apprenticeship]:
    return Apprenticeship.objects.filter(station_id__in=_stations(user, MANAGE_APPRENTICES))


def managed_stations(user: User) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=_stations(user, MANAGE_APPRENTICES)).order_by("name"))


def transfer_cohort(
    user: User, *, from_provider: LearningProvider | None, level: int | None, station: OrgUnit | None
) -> QuerySet[Apprenticeship]:
    """Current apprentices the user manages and not already moving, narrowed by provider, level and
    station."""
    cohort = managed_in_scope(user).filter(status__in=CURRENT, transferred_to__isnull=True)
    if from_provider is not None:
        cohort = cohort.filter(provider=from_provider)
    if level:
        cohort = cohort.filter(level=level)
    if station is not None:
        cohort = cohort.filter(station=station)
    return cohort.select_related("person", "provider", "station").order_by(
        "person__family_name", "person__given_name"
    )


def transferred_cohort(user: User, *, provider_id, on: dt.date) -> QuerySet[Apprenticeship]:
    """Apprentices the user manages who moved (or are to move) to one provider on one day."""
    return (
        managed_in_scope(user)
        .filter(transferred_to__public_id=provider_id, transferred_on=on)
        .select_related("person", "provider", "transferred_to", "station")
        .order_by("person__family_name", "person__given_name")
    )


@dataclass(frozen=True)
class TransferGroup:
    provider_id: uuid.UUID
    provider: str
    transferred_on: dt.date
    count: int

    @property
    def planned(self) -> bool:
        return self.transferred_on > timezone.localdate()


def transfer_groups(user: User) -> list[TransferGroup]:
    """Each day's move (made or planned) to each provider, newest first, counted in the database."""
    groups = (
        managed_in_scope(user)
        .filter(transferred_to__isnull=False)
        .values("transferred_to__public_id", "transferred_to__name", "transferred_on")
        .annotate(count=Count("pk"))
        .order_by("-transferred_on", "transferred_to__name")
    )
    return [
        TransferGroup(
            g["transferred_to__public_id"], g["transferred_to__name"], g["transferred_on"], g["count"]
        )
        for g in groups
    ]


def cohort_packs_for(user: User, *, provider: LearningProvider, on: dt.date) -> list[CohortPack]:
    """The zips of one cohort's packs this user asked for, newest first."""
    return list(CohortPack.objects.filter(requested_by=user, provider=provider, transferred_on=on)[:5])


def cohort_pack_for(user: User, pack_id: uuid.UUID) -> CohortPack | None:
    """A cohort's zip, only for the lead who asked for it."""
    return CohortPack.objects.select_related("provider").filter(public_id=pack_id, requested_by=user).first()
