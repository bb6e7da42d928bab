"""Learning services: training records and compliance. The only code that writes them, apart from the
training-records feed (learning.importers), which writes records in bulk and then calls `refresh_compliance`.

Compliance items are kept in step with records, roles and stations here: after a record is entered, after an
import, and when the people app announces changes (`people_changed`, received below).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from candour.core import audit, outbox
from candour.core.refusals import Refused
from candour.learning import emails
from candour.learning.access import CHASE_TRAINING, MANAGE_TRAINING
from candour.learning.compliance import Completion, Rule, expires_on
from candour.learning.models import ComplianceItem, ReminderLog, Requirement, Subject, TrainingRecord
from candour.people.access import can, scope_of
from candour.people.models import Person, User
from candour.people.signals import people_changed

# People are refreshed a few hundred at a time so that their records fit comfortably in memory.
PEOPLE_PER_CHUNK = 500
WRITE_BATCH = 1_000
MAX_HOURS = Decimal("999.9")


@dataclass
class ComplianceChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def any(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def add(self, other: ComplianceChanges) -> None:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted


def rule_of(subject: Subject) -> Rule:
    return Rule(subject.refresher_months, subject.required_hours)


def hours_text(hours: Decimal) -> str:
    """Hours as people write them: 12, 7.5."""
    return f"{hours.normalize():f}"


def check_hours(subject: Subject, hours: Decimal | None) -> str:
    """Why these hours cannot be recorded for this subject, or "" if they can."""
    if hours is None:
        if subject.required_hours is not None:
            return (
                f"Enter the hours: {subject.name} needs {hours_text(subject.required_hours)} hours "
                f"every {subject.refresher_months} months"
            )
        return ""
    if hours <= 0:
        return "Hours must be more than 0"
    if hours > MAX_HOURS:
        return f"Hours must be {MAX_HOURS} or fewer"
    if hours != hours.quantize(Decimal("0.1")):
        return "Hours can have one decimal place, for example 7.5"
    return ""


@transaction.atomic
def record_training(
    *,
    by: User,
    person: Person,
    subject_code: str,
    completed_on: dt.date,
    hours: Decimal | None = None,
    provider: str = "",
) -> TrainingRecord:
    """Enter one completion by hand and bring the person's compliance up to date."""
    if not can(by, MANAGE_TRAINING, person):
        raise PermissionDenied
    subject = Subject.objects.filter(code=subject_code).first()
    if subject is None:
        raise Refused(f"There is no training subject with the code {subject_code!r}", field="subject")
    if completed_on > timezone.localdate():
        raise Refused("The date completed must be today or in the past", field="completed_on")
    problem = check_hours(subject, hours)
    if problem:
        raise Refused(problem, field="hours")
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.create(
                person=person,
                subject=subject,
                completed_on=completed_on,
                hours=hours,
                provider=provider.strip(),
                source=TrainingRecord.Source.MANUAL,
            )
    except IntegrityError:
        raise Refused(
            f"{person.full_name} already has {subject.name} recorded on that date", field="completed_on"
        ) from None
    refresh_compliance([person.pk])
    audit.record(
        action="recorded_training",
        actor=by,
        target=record,
        summary=f"{subject.name} recorded for {person.staff_number}",
        changes={
            "staff_number": person.staff_number,
            "subject": subject.code,
            "completed_on": completed_on,
            "hours": hours,
            "provider": record.provider,
        },
    )
    return record


def refresh_compliance(person_ids: Iterable[int]) -> ComplianceChanges:
    """Recompute these people's compliance items from their records, role and station, in bulk.
    The caller audits: it is part of a write (an entry, an import, a reconciliation)."""
    today = timezone.localdate()
    subjects = {subject.pk: rule_of(subject) for subject in Subject.objects.all()}
    required: dict[int, set[int]] = defaultdict(set)
    for job_role_id, subject_id in Requirement.objects.values_list("job_role_id", "subject_id"):
        required[job_role_id].add(subject_id)
    changes = ComplianceChanges()
    for chunk in _chunks(sorted(set(person_ids))):
        changes.add(_refresh_chunk(chunk, today, subjects, required))
    return changes


def _refresh_chunk(
    person_ids: list[int], today: dt.date, subjects: dict[int, Rule], required: dict[int, set[int]]
) -> ComplianceChanges:
    # Only people employed today hold requirements; a leaver's or a future starter's items go.
    people = (
        Person.objects.filter(pk__in=person_ids)
        .employed_on(today)
        .values_list("pk", "job_role_id", "station_id")
    )
    wanted = {
        (pk, subject_id): {"station_id": station_id, "job_role_id": job_role_id}
        for pk, job_role_id, station_id in people
        for subject_id in required.get(job_role_id, ())
    }
    completions: dict[tuple[int, int], list[Completion]] = defaultdict(list)
    records = TrainingRecord.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "subject_id", "completed_on", "hours"
    )
    for person_id, subject_id, completed_on, hours in records.iterator(chunk_size=WRITE_BATCH):
        if (person_id, subject_id) in wanted:
            completions[(person_id, subject_id)].append(Completion(completed_on, hours))
    stored = {
        (item.person_id, item.subject_id): item
        for item in ComplianceItem.objects.filter(person_id__in=person_ids)
    }
    created, replaced = [], []
    for key, values in wanted.items():
        done = completions.get(key, [])
        values["expires_on"] = expires_on(subjects[key[1]], done)
        values["last_completed_on"] = max((c.completed_on for c in done), default=None)
        item = stored.pop(key, None)
        if item is None or any(getattr(item, name) != value for name, value in values.items()):
            created.append(ComplianceItem(person_id=key[0], subject_id=key[1], **values))
            if item is not None:
                replaced.append(item.pk)
    # A changed item is replaced rather than updated: an item is only its values (nothing refers to it), and
    # a delete and an insert in bulk cost far less than bulk_update's CASE over thousands of rows.
    gone = [item.pk for item in stored.values()]
    ComplianceItem.objects.filter(pk__in=gone + replaced).delete()
    ComplianceItem.objects.bulk_create(created, batch_size=WRITE_BATCH)
    return ComplianceChanges(len(created) - len(replaced), len(replaced), len(gone))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), PEOPLE_PER_CHUNK):
        yield ids[start : start + PEOPLE_PER_CHUNK]


def out_of_step_people() -> set[int]:
    """People whose compliance items do not match their role, station, requirements or employment today."""
    today = timezone.localdate()
    lacking = Requirement.objects.filter(job_role=OuterRef("job_role")).filter(
        ~Exists(ComplianceItem.objects.filter(person=OuterRef(OuterRef("pk")), subject=OuterRef("subject")))
    )
    missing = Person.objects.employed_on(today).filter(Exists(lacking)).values_list("pk", flat=True)
    still_required = Requirement.objects.filter(
        job_role=OuterRef("person__job_role"), subject=OuterRef("subject")
    )
    stale = (
        ComplianceItem.objects.filter(
            ~Q(station_id=F("person__station_id"))
            | ~Q(job_role_id=F("person__job_role_id"))
            | ~Exists(still_required)
            | Q(person__start_date__gt=today)
            | Q(person__leave_date__lte=today)
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    return set(missing) | set(stale)


@transaction.atomic
def reconcile_compliance(
    *,
    person_ids: Iterable[int] | None = None,
    by: User | None = None,
    system: str = "compliance reconciliation",
) -> ComplianceChanges:
    """Bring these people (by default, everyone out of step) back in step, with one audit event."""
    people = out_of_step_people() if person_ids is None else set(person_ids)
    changes = refresh_compliance(people)
    if changes.any:
        audit.record(
            action="reconciled_compliance",
            actor=by,
            system="" if by else system,
            summary=f"Compliance brought up to date for {len(people)} people",
            changes={
                "people": len(people),
                "created": changes.created,
                "updated": changes.updated,
                "deleted": changes.deleted,
            },
        )
    return changes


def _on_people_changed(sender, person_ids=None, **kwargs) -> None:
    """A role, station or employment changed: requirements follow the person."""
    reconcile_compliance(person_ids=person_ids, system="people changed")


people_changed.connect(_on_people_changed, dispatch_uid="learning.training.compliance")


# Reminders

DIGEST_INTERVAL = dt.timedelta(days=7)
# A line manager hears of an expiry once; one older than this (say, from before reminders ran) is not news.
MANAGER_NEWS_DAYS = 28


@dataclass(frozen=True)
class DueItem:
    subject_name: str
    expires_on: dt.date | None

    @property
    def valid_until(self) -> dt.date | None:
        return self.expires_on - dt.timedelta(days=1) if self.expires_on else None


@dataclass
class Digest:
    """Everything one person must do soon, for their weekly email."""

    email: str
    given_name: str
    items: list[DueItem]


@dataclass(frozen=True)
class ExpiredItem:
    full_name: str
    staff_number: str
    subject_name: str
    expired_on: dt.date


@dataclass
class ManagerNotice:
    """Training that has just run out for the people one line manager manages."""

    email: str
    items: list[ExpiredItem]


@dataclass
class Reminders:
    digests: list[Digest]
    notices: list[ManagerNotice]


@transaction.atomic
def training_reminders(*, today: dt.date, due_soon_days: int) -> Reminders:
    """Who is due a digest today (at most one a week each) and which managers hear of new expiries; both
    are logged as sent, so the caller sends them in the same transaction."""
    digests = _digests(today, due_soon_days)
    notices, told = _manager_notices(today)
    ReminderLog.objects.bulk_create(
        [ReminderLog(person_id=pk, kind=ReminderLog.Kind.DIGEST, sent_on=today) for pk in digests]
        + [
            ReminderLog(person_id=pk, kind=ReminderLog.Kind.MANAGER_EXPIRED, sent_on=today, about=code)
            for pk, code in told
        ],
        batch_size=WRITE_BATCH,
    )
    if digests or notices:
        audit.record(
            action="sent_training_reminders",
            system="training reminders",
            summary=f"{len(digests)} training digests and {len(notices)} notices to line managers",
            changes={"digests": len(digests), "manager_notices": len(notices), "expiries_told": len(told)},
        )
    return Reminders(list(digests.values()), list(notices.values()))


def _digests(today: dt.date, due_soon_days: int) -> dict[int, Digest]:
    soon = today + dt.timedelta(days=due_soon_days)
    recently_sent = ReminderLog.objects.filter(
        person=OuterRef("person"), kind=ReminderLog.Kind.DIGEST, sent_on__gt=today - DIGEST_INTERVAL
    )
    due = (
        ComplianceItem.objects.filter(Q(expires_on__lte=soon) | Q(expires_on__isnull=True))
        .filter(person__user__is_active=True)
        .filter(~Exists(recently_sent))
        .order_by("person_id", "subject__display_order")
        .values_list("person_id", "person__user__email", "person__given_name", "subject__name", "expires_on")
    )
    digests: dict[int, Digest] = {}
    for person_id, email, given_name, subject_name, expires in due.iterator(chunk_size=WRITE_BATCH):
        digest = digests.setdefault(person_id, Digest(email, given_name, []))
        digest.items.append(DueItem(subject_name, expires))
    return digests


def _manager_notices(today: dt.date) -> tuple[dict[int, ManagerNotice], list[tuple[int, str]]]:
    already_told = ReminderLog.objects.filter(
        person=OuterRef("person"),
        kind=ReminderLog.Kind.MANAGER_EXPIRED,
        about=OuterRef("subject__code"),
        sent_on__gte=OuterRef("expires_on"),
    )
    expired = (
        ComplianceItem.objects.filter(
            expires_on__lte=today, expires_on__gt=today - dt.timedelta(days=MANAGER_NEWS_DAYS)
        )
        .filter(person__line_manager__user__is_active=True)
        .filter(~Exists(already_told))
        .order_by("person__line_manager_id", "person__family_name", "subject__display_order")
        .values_list(
            "person__line_manager_id",
            "person__line_manager__user__email",
            "person_id",
            "person__given_name",
            "person__family_name",
            "person__staff_number",
            "subject__code",
            "subject__name",
            "expires_on",
        )
    )
    notices: dict[int, ManagerNotice] = {}
    told = []
    for manager_id, email, person_id, given, family, number, code, name, expires in expired:
        notice = notices.setdefault(manager_id, ManagerNotice(email, []))
        notice.items.append(ExpiredItem(f"{given} {family}", number, name, expires))
        told.append((person_id, code))
    return notices, told


# Reminders sent from the compliance pages


@dataclass
class TrainingChaser:
    """One reminder to send: a person, what of theirs is not up to date, and who asked."""

    email: str
    given_name: str
    items: list[DueItem]
    asked_by: str


@dataclass
class Chase:
    chasers: list[TrainingChaser]
    reminded_recently: int
    without_email: int


@transaction.atomic
def chase_training(*, by: User, items: QuerySet[ComplianceItem], today: dt.date) -> Chase:
    """Remind the people behind these items whose training is never done, expired or due soon, each at
    most once in CANDOUR_TRAINING_CHASE_DAYS: recorded and queued in the outbox together."""
    scope = scope_of(by, CHASE_TRAINING)
    if scope.is_empty:
        raise PermissionDenied
    soon = today + dt.timedelta(days=settings.CANDOUR_TRAINING_DUE_SOON_DAYS)
    due = (
        items.filter(station_id__in=scope.station_ids)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__lte=soon))
        .order_by("person_id", "subject__display_order")
    )
    recently = ReminderLog.objects.filter(
        kind=ReminderLog.Kind.TRAINING_CHASER,
        sent_on__gt=today - dt.timedelta(days=settings.CANDOUR_TRAINING_CHASE_DAYS),
    ).values("person_id")
    people = set(due.values_list("person_id", flat=True))
    reminded = people & set(recently.values_list("person_id", flat=True))
    chasers: dict[int, TrainingChaser] = {}
    without_email = set()
    rows = due.exclude(person_id__in=reminded).values_list(
        "person_id",
        "person__user__email",
        "person__user__is_active",
        "person__given_name",
        "subject__name",
        "expires_on",
    )
    for person_id, email, active, given_name, subject_name, expires in rows.iterator(chunk_size=WRITE_BATCH):
        if not (email and active):
            without_email.add(person_id)
            continue
        chaser = chasers.setdefault(person_id, TrainingChaser(email, given_name, [], by.display_name))
        chaser.items.append(DueItem(subject_name, expires))
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                person_id=person_id,
                kind=ReminderLog.Kind.TRAINING_CHASER,
                sent_on=today,
                about=f"{len(chaser.items)} subjects",
            )
            for person_id, chaser in chasers.items()
        ],
        batch_size=WRITE_BATCH,
    )
    if chasers:
        audit.record(
            action="chased_training",
            actor=by,
            summary=f"Training reminders to {len(chasers)} people",
            changes={
                "people": len(chasers),
                "items": sum(len(chaser.items) for chaser in chasers.values()),
                "reminded_recently": len(reminded),
                "without_email": len(without_email),
            },
        )
        outbox.send(emails.chaser_message(chaser) for chaser in chasers.values())
    return Chase(list(chasers.values()), len(reminded), len(without_email))
