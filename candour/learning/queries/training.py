"""Learning queries: training. Read models for My training, the compliance matrix and its drill-down, and
import jobs. Statuses are date comparisons against today, done by the database for anything counted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from candour.learning.compliance import Standing, Status, standing, status
from candour.learning.models import ComplianceItem, Subject, SubjectGroup, TrainingRecord
from candour.people.access import Scope
from candour.people.models import JobRole, OrgUnit, Person

ONE_DAY = dt.timedelta(days=1)


def due_soon_days() -> int:
    return settings.CANDOUR_TRAINING_DUE_SOON_DAYS


def target_percent() -> int:
    return settings.CANDOUR_TRAINING_COMPLIANCE_TARGET_PERCENT


def status_filter(chosen: str, today: dt.date) -> Q:
    """The items with a status today, as a condition the database can count or filter by."""
    soon = today + dt.timedelta(days=due_soon_days())
    return {
        Status.COMPLIANT: Q(expires_on__gt=soon),
        Status.DUE_SOON: Q(expires_on__gt=today, expires_on__lte=soon),
        Status.EXPIRED: Q(expires_on__lte=today),
        Status.NEVER: Q(expires_on__isnull=True),
    }[Status(chosen)]


# My training


@dataclass(frozen=True)
class SubjectStatus:
    subject: Subject
    status: Status
    last_completed_on: dt.date | None
    expires_on: dt.date | None

    @property
    def valid_until(self) -> dt.date | None:
        """The last day it counts, which is what people expect to read."""
        return self.expires_on - ONE_DAY if self.expires_on else None


class MyShow:
    """What My training can be narrowed to: what each of its home cards counts."""

    EXPIRED = "expired"  # expired or never done
    DUE_SOON = "due_soon"
    STATUSES = {EXPIRED: (Status.EXPIRED, Status.NEVER), DUE_SOON: (Status.DUE_SOON,)}


@dataclass(frozen=True)
class MyTraining:
    required: list[SubjectStatus]
    other: list[SubjectStatus]
    records: list[TrainingRecord]
    show: str = ""

    def count(self, *statuses: Status) -> int:
        return sum(row.status in statuses for row in self.required)

    @property
    def shown(self) -> list[SubjectStatus]:
        """The required subjects, narrowed to what was asked for."""
        if not self.show:
            return self.required
        return [row for row in self.required if row.status in MyShow.STATUSES[self.show]]


def my_training(person: Person, today: dt.date | None = None, *, show: str = "") -> MyTraining:
    """A person's required subjects with today's status (all, or those expired or due soon), other
    subjects they have done, and their records."""
    today = today or timezone.localdate()
    items = (
        ComplianceItem.objects.filter(person=person)
        .select_related("subject")
        .order_by("subject__display_order")
    )
    required = [
        SubjectStatus(
            item.subject,
            status(item.expires_on, today, due_soon_days=due_soon_days()),
            item.last_completed_on,
            item.expires_on,
        )
        for item in items
    ]
    held = {row.subject.pk for row in required}
    records = list(
        person.training_records.select_related("subject").order_by("-completed_on", "subject__name")
    )
    latest: dict[int, TrainingRecord] = {}
    for record in records:
        if record.subject_id not in held:
            latest.setdefault(record.subject_id, record)
    other = [
        SubjectStatus(record.subject, Status.NOT_REQUIRED, record.completed_on, None)
        for record in sorted(latest.values(), key=lambda record: record.subject.display_order)
    ]
    return MyTraining(required, other, records, show if show in MyShow.STATUSES else "")


def my_items(person: Person | None, today: dt.date) -> dict[str, list[Subject]]:
    """A person's subjects that need them, by status (due soon, expired, never): for the home page."""
    if person is None:
        return {}
    found: dict[str, list[Subject]] = defaultdict(list)
    items = (
        ComplianceItem.objects.filter(person=person)
        .filter(status_filter(Status.DUE_SOON, today) | Q(expires_on__lte=today) | Q(expires_on__isnull=True))
        .select_related("subject")
        .order_by("subject__display_order")
    )
    for item in items:
        found[status(item.expires_on, today, due_soon_days=due_soon_days())].append(item.subject)
    return found


# The compliance matrix


class Grouping:
    AREA = "area"
    STATION = "station"
    JOB_ROLE = "job_role"
    CHOICES = [(AREA, "Area"), (STATION, "Station"), (JOB_ROLE, "Job role")]


ALL_IN_VIEW = "All in view"
HIDDEN = "Hidden"
EXPORT_HEADER = [
    "Row",
    "Area",
    "Subject code",
    "Subject",
    "Required",
    "Compliant",
    "Due soon",
    "Expired",
    "Never completed",
    "Percent compliant",
    "Against the target",
]


@dataclass
class Cell:
    required: int = 0
    compliant: int = 0  # includes due soon: they are still compliant today
    due_soon: int = 0
    expired: int = 0
    never: int = 0

    # The counts a row gives, in its order, and those its percent and standing are worked out from.
    COUNTS = ("required", "compliant", "due_soon", "expired", "never")
    JUDGED_ON = frozenset({"required", "compliant", "due_soon"})

    @property
    def percent(self) -> float | None:
        return 100 * self.compliant / self.required if self.required else None

    @property
    def standing(self) -> Standing | None:
        return standing(
            required=self.required,
            compliant=self.compliant,
            due_soon=self.due_soon,
            target_percent=target_percent(),
        )

    def add(self, other: Cell) -> None:
        self.required += other.required
        self.compliant += other.compliant
        self.due_soon += other.due_soon
        self.expired += other.expired
        self.never += other.never


@dataclass(frozen=True)
class SubjectColumn:
    pk: int
    code: str
    name: str


@dataclass
class MatrixRow:
    key: str
    label: str
    parent_label: str
    cells: dict[int, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Matrix:
    grouping: str
    subjects: list[SubjectColumn]
    rows: list[MatrixRow]
    totals: dict[int, Cell]
    today: dt.date

    @property
    def row_heading(self) -> str:
        return dict(Grouping.CHOICES)[self.grouping]

    @property
    def all_in_view(self) -> MatrixRow:
        return MatrixRow("", ALL_IN_VIEW, "", self.totals)

    @property
    def export_name(self) -> str:
        """The download's name without its extension."""
        return f"training-compliance-by-{self.grouping.replace('_', '-')}-{self.today}"

    def csv_rows(self, hidden: frozenset[tuple[str, int, str]] = frozenset()):
        """The matrix as one row per row and subject, the same figures as the page, for a spreadsheet.
        `hidden` names counts not to give, as (row key, subject id, count): they read "Hidden", and so do
        the percent and standing that would give them back."""
        yield [self.row_heading, *EXPORT_HEADER[1:]]
        for row in [*self.rows, self.all_in_view]:
            for subject in self.subjects:
                cell = row.cells.get(subject.pk)
                if cell is None:
                    continue
                withheld = {count for key, pk, count in hidden if key == row.key and pk == subject.pk}
                figures = [HIDDEN if count in withheld else getattr(cell, count) for count in Cell.COUNTS]
                if withheld & Cell.JUDGED_ON:
                    percent, against = HIDDEN, HIDDEN
                else:
                    percent = round(cell.percent, 1) if cell.percent is not None else None
                    against = cell.standing.label
                yield [row.label, row.parent_label, subject.code, subject.name, *figures, percent, against]


def compliance_counts(scope: Scope, *, by: str, subject_ids, job_role_code: str = "", today: dt.date):
    """Counts by status for each (station or job role, subject) in scope: one grouped query over the
    compliance items, answered from the index on station and subject."""
    items = ComplianceItem.objects.filter(station_id__in=scope.station_ids, subject_id__in=subject_ids)
    if job_role_code:
        items = items.filter(job_role__code=job_role_code)
    return list(
        items.values(by, "subject_id")
        .annotate(
            required=Count("pk"),
            compliant=Count("pk", filter=Q(expires_on__gt=today)),
            due_soon=Count("pk", filter=status_filter(Status.DUE_SOON, today)),
            expired=Count("pk", filter=status_filter(Status.EXPIRED, today)),
            never=Count("pk", filter=status_filter(Status.NEVER, today)),
        )
        .order_by()
    )


def compliance_matrix(
    scope: Scope,
    *,
    grouping: str = Grouping.AREA,
    subject_group: str = "",
    subject_codes: list[str] | None = None,
    job_role_code: str = "",
    today: dt.date | None = None,
) -> Matrix:
    """Compliance by area, station or job role and subject (those chosen, or all) for people in scope: the
    counts in one grouped query, labelled from the reference data (subjects, and the units or job roles
    counted)."""
    today = today or timezone.localdate()
    subjects = Subject.objects.all()
    if subject_group:
        subjects = subjects.filter(group=subject_group)
    if subject_codes:
        subjects = subjects.filter(code__in=subject_codes)
    subjects_by_id = {subject.pk: subject for subject in subjects}
    by = "job_role_id" if grouping == Grouping.JOB_ROLE else "station_id"
    counted = compliance_counts(
        scope, by=by, subject_ids=list(subjects_by_id), job_role_code=job_role_code, today=today
    )
    label = _row_labeller(grouping, {group[by] for group in counted})
    rows: dict[str, MatrixRow] = {}
    totals: dict[int, Cell] = defaultdict(Cell)
    for group in counted:
        key, name, parent_name = label(group[by])
        row = rows.setdefault(key, MatrixRow(key, name, parent_name))
        cell = Cell(
            group["required"], group["compliant"], group["due_soon"], group["expired"], group["never"]
        )
        row.cells.setdefault(group["subject_id"], Cell()).add(cell)
        totals[group["subject_id"]].add(cell)
    shown = sorted(
        (subjects_by_id[pk] for pk in totals), key=lambda subject: (subject.display_order, subject.code)
    )
    return Matrix(
        grouping=grouping,
        subjects=[SubjectColumn(subject.pk, subject.code, subject.name) for subject in shown],
        rows=sorted(rows.values(), key=lambda row: (row.parent_label, row.label)),
        totals=dict(totals),
        today=today,
    )


def _row_labeller(grouping: str, ids: set[int]):
    """For a station or job role id: the row it belongs to (key for links, label, label of the unit above)."""
    if grouping == Grouping.JOB_ROLE:
        roles = {role.pk: role for role in JobRole.objects.filter(pk__in=ids)}
        return lambda pk: (roles[pk].code, roles[pk].name, "")
    stations = {
        station.pk: station for station in OrgUnit.objects.filter(pk__in=ids).select_related("parent")
    }
    if grouping == Grouping.STATION:
        return lambda pk: (str(stations[pk].public_id), stations[pk].name, stations[pk].parent.name)
    # Areas are their stations added up: a handful of sums per cell, never a row per person.
    return lambda pk: (str(stations[pk].parent.public_id), stations[pk].parent.name, "")


# The drill-down


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    subject: Subject
    status: Status
    last_completed_on: dt.date | None
    expires_on: dt.date | None
    today: dt.date

    @property
    def valid_until(self) -> dt.date | None:
        return self.expires_on - ONE_DAY if self.expires_on else None

    @property
    def days_expired(self) -> int | None:
        """How long it has been expired, in days: 0 on the first day it no longer counts."""
        return (self.today - self.expires_on).days if self.status == Status.EXPIRED else None

    @property
    def days_left(self) -> int | None:
        """Days it still counts, while due soon."""
        return (self.expires_on - self.today).days if self.status == Status.DUE_SOON else None


def _worst_first(today: dt.date) -> Case:
    """Never done, then expired, then due soon, then compliant: who needs chasing comes first."""
    return Case(
        When(status_filter(Status.NEVER, today), then=Value(0)),
        When(status_filter(Status.EXPIRED, today), then=Value(1)),
        When(status_filter(Status.DUE_SOON, today), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def not_up_to_date(today: dt.date) -> Q:
    """Items a reminder is for: never done, expired, or due soon."""
    return Q(expires_on__isnull=True) | Q(expires_on__lte=today + dt.timedelta(days=due_soon_days()))


def people_items(
    scope: Scope,
    *,
    unit: OrgUnit | None = None,
    job_role_code: str = "",
    subject_code: str = "",
    subject_group: str = "",
    chosen_status: str = "",
    today: dt.date | None = None,
) -> QuerySet[ComplianceItem]:
    """The compliance items behind a cell of the matrix: people in scope, narrowed by the filters; those
    not compliant first, the longest expired first among them."""
    today = today or timezone.localdate()
    items = ComplianceItem.objects.filter(station_id__in=scope.station_ids)
    if unit is not None:
        items = items.filter(Q(station=unit) | Q(station__parent=unit))
    if job_role_code:
        items = items.filter(job_role__code=job_role_code)
    if subject_code:
        items = items.filter(subject__code=subject_code)
    if subject_group:
        items = items.filter(subject__group=subject_group)
    if chosen_status:
        items = items.filter(status_filter(chosen_status, today))
    return (
        items.select_related("person", "subject", "station", "job_role")
        .annotate(worst_first=_worst_first(today))
        .order_by(
            "worst_first",
            "expires_on",
            "person__family_name",
            "person__given_name",
            "subject__display_order",
        )
    )


@dataclass(frozen=True)
class PeopleCounts:
    people: int
    not_up_to_date: int


def people_counts(items: QuerySet[ComplianceItem], today: dt.date | None = None) -> PeopleCounts:
    """How many people the items are of, and how many of them have something not up to date."""
    today = today or timezone.localdate()
    people = items.order_by().values("person_id")
    return PeopleCounts(
        people.distinct().count(),
        people.filter(not_up_to_date(today)).distinct().count(),
    )


def as_person_statuses(items, today: dt.date | None = None) -> list[PersonStatus]:
    """One page of drill-down items, each with its status today."""
    today = today or timezone.localdate()
    return [
        PersonStatus(
            item.person,
            item.subject,
            status(item.expires_on, today, due_soon_days=due_soon_days()),
            item.last_completed_on,
            item.expires_on,
            today,
        )
        for item in items
    ]


def people_with_expired(scope: Scope, subject_group: str, today: dt.date | None = None) -> int:
    """How many people in scope hold at least one expired subject of a group."""
    today = today or timezone.localdate()
    return (
        ComplianceItem.objects.filter(station_id__in=scope.station_ids, subject__group=subject_group)
        .filter(status_filter(Status.EXPIRED, today))
        .values("person_id")
        .distinct()
        .count()
    )


# Filters' choices


def units_in_scope(scope: Scope) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(pk__in=scope.unit_ids)
        .exclude(kind=OrgUnit.Kind.TRUST)
        .select_related("parent")
        .order_by("kind", "name")
    )


def required_job_roles() -> list[JobRole]:
    """Job roles with training requirements: the only ones the matrix can show."""
    return list(JobRole.objects.filter(training_requirements__isnull=False).distinct().order_by("name"))


def subjects() -> list[Subject]:
    return list(Subject.objects.order_by("display_order", "code"))


def required_subjects() -> list[Subject]:
    """Subjects some job role needs: the only ones the matrix can show."""
    return list(
        Subject.objects.filter(requirements__isnull=False).distinct().order_by("display_order", "code")
    )


SUBJECT_GROUPS = SubjectGroup.choices
