"""Learning queries: briefings. Read models for the list, the briefing page and its report.

A reader reaches a briefing by being in its audience. A lead (PUBLISH_BRIEFINGS) follows the briefings
they published and those sent only to units inside their scope; anyone else gets nothing, so a view
answers 404 and never reveals that a briefing exists.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from candour.core.tags import tag_colours
from candour.learning.access import PUBLISH_BRIEFINGS
from candour.learning.models import Briefing, BriefingAudience
from candour.people.access import scope_of
from candour.people.models import OrgUnit, User


def days_to_acknowledge(reached_on: dt.date, acknowledged_at: dt.datetime) -> int:
    """Calendar days, in the trust's time zone, from the day a briefing reached someone to their
    acknowledgement."""
    return (timezone.localtime(acknowledged_at).date() - reached_on).days


def median_or_none(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def followed_by(user: User) -> QuerySet[Briefing]:
    """Briefings a lead may follow: their own, and those sent only to units inside their scope."""
    scope = scope_of(user, PUBLISH_BRIEFINGS)
    if scope.is_empty:
        return Briefing.objects.none()
    units = Briefing.audience_units.through.objects.filter(briefing_id=OuterRef("pk"))
    inside = Exists(units) & ~Exists(units.exclude(orgunit_id__in=scope.unit_ids))
    return Briefing.objects.filter(Q(published_by=user) | inside)


# Lists

# The briefings list narrowed to what its home card counts.
UNREAD = "unread"


@dataclass(frozen=True)
class FollowedBriefing:
    public_id: uuid.UUID
    title: str
    published_on: dt.date
    acknowledge_by: dt.date
    published_by: str
    audience: int
    acknowledged: int
    overdue: int  # not acknowledged, and their own acknowledge-by date has passed

    @property
    def share(self) -> float | None:
        return 100 * self.acknowledged / self.audience if self.audience else None


def _overdue(today: dt.date, prefix: str = "") -> Q:
    """Audience rows not acknowledged by their own acknowledge-by date."""
    return Q(**{f"{prefix}acknowledged_at__isnull": True, f"{prefix}due_on__lt": today})


def followed_briefings(user: User) -> list[FollowedBriefing]:
    """The briefings a lead follows, newest first, with their counts done in the database."""
    briefings = (
        followed_by(user)
        .select_related("published_by__person")
        .annotate(
            audience_count=Count("audience"),
            acknowledged_count=Count("audience", filter=Q(audience__acknowledged_at__isnull=False)),
            overdue_count=Count("audience", filter=_overdue(timezone.localdate(), "audience__")),
        )
        .order_by("-published_on", "title")
    )
    return [
        FollowedBriefing(
            b.public_id,
            b.title,
            b.published_on,
            b.acknowledge_by,
            b.published_by.display_name,
            b.audience_count,
            b.acknowledged_count,
            b.overdue_count,
        )
        for b in briefings
    ]


@tag_colours({"acknowledged": "green", "overdue": "red", "to_read": "blue"})
class Reading(models.TextChoices):
    """Where a reader stands with one briefing."""

    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    OVERDUE = "overdue", "Overdue"
    TO_READ = "to_read", "To read"


@dataclass(frozen=True)
class AddressedBriefing:
    public_id: uuid.UUID
    title: str
    published_on: dt.date
    acknowledge_by: dt.date  # the reader's own: later for someone who joined the audience later
    acknowledged_at: dt.datetime | None

    @property
    def overdue(self) -> bool:
        return self.acknowledged_at is None and self.acknowledge_by < timezone.localdate()

    @property
    def reading(self) -> Reading:
        if self.acknowledged_at:
            return Reading.ACKNOWLEDGED
        return Reading.OVERDUE if self.overdue else Reading.TO_READ


def addressed_briefings(user: User, *, unread_only: bool = False) -> list[AddressedBriefing]:
    """Briefings sent to the user (or only those still to acknowledge): unread first, soonest due first;
    then the most recently read."""
    if not user.person_id:
        return []
    rows = BriefingAudience.objects.filter(person_id=user.person_id)
    if unread_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    rows = rows.order_by(F("acknowledged_at").desc(nulls_first=True), "due_on").values_list(
        "briefing__public_id", "briefing__title", "briefing__published_on", "due_on", "acknowledged_at"
    )
    return [AddressedBriefing(*row) for row in rows]


@dataclass(frozen=True)
class Unread:
    count: int
    overdue: int


def unread(user: User) -> Unread:
    """How many briefings the user has still to acknowledge, and how many of those are past due."""
    if not user.person_id:
        return Unread(0, 0)
    counts = BriefingAudience.objects.filter(
        person_id=user.person_id, acknowledged_at__isnull=True
    ).aggregate(count=Count("pk"), overdue=Count("pk", filter=_overdue(timezone.localdate())))
    return Unread(counts["count"], counts["overdue"])


# One briefing


@dataclass(frozen=True)
class Totals:
    audience: int
    acknowledged: int
    chased: int
    overdue: int
    median_days: float | None

    @property
    def share(self) -> float | None:
        return 100 * self.acknowledged / self.audience if self.audience else None


@dataclass(frozen=True)
class AreaTotals:
    name: str
    totals: Totals


@dataclass(frozen=True)
class BriefingReport:
    briefing: Briefing
    areas: list[AreaTotals]
    overall: Totals


def report(briefing: Briefing) -> BriefingReport:
    """Share acknowledged, median days to acknowledge, chased and overdue (each by the person's own
    deadline), by area and overall."""
    audience = BriefingAudience.objects.filter(briefing=briefing)
    by_area = (
        audience.values("station__parent_id", "station__parent__name")
        .annotate(
            audience=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            chased=Count("pk", filter=Q(last_chased_on__isnull=False)),
            overdue=Count("pk", filter=_overdue(timezone.localdate())),
        )
        .order_by("station__parent__name")
    )
    days: dict[int, list[int]] = defaultdict(list)
    for area_id, joined_on, acknowledged_at in audience.filter(acknowledged_at__isnull=False).values_list(
        "station__parent_id", "joined_on", "acknowledged_at"
    ):
        days[area_id].append(days_to_acknowledge(joined_on, acknowledged_at))
    areas = [
        AreaTotals(
            row["station__parent__name"],
            Totals(
                row["audience"],
                row["acknowledged"],
                row["chased"],
                row["overdue"],
                median_or_none(days[row["station__parent_id"]]),
            ),
        )
        for row in by_area
    ]
    overall = Totals(
        sum(a.totals.audience for a in areas),
        sum(a.totals.acknowledged for a in areas),
        sum(a.totals.chased for a in areas),
        sum(a.totals.overdue for a in areas),
        median_or_none([d for area_days in days.values() for d in area_days]),
    )
    return BriefingReport(briefing, areas, overall)


def not_acknowledged(briefing: Briefing) -> QuerySet[BriefingAudience]:
    """Who has still to acknowledge it, by name: the longest overdue first, then by area and station."""
    return (
        BriefingAudience.objects.filter(briefing=briefing, acknowledged_at__isnull=True)
        .select_related("person", "station__parent")
        .order_by(
            "due_on", "station__parent__name", "station__name", "person__family_name", "person__given_name"
        )
    )


@dataclass(frozen=True)
class BriefingPage:
    briefing: Briefing
    is_addressee: bool
    acknowledged_at: dt.datetime | None
    due_on: dt.date | None  # the reader's own acknowledge-by date
    roles: list[str]
    units: list[str]
    report: BriefingReport | None

    @property
    def overdue(self) -> bool:
        return self.is_addressee and self.acknowledged_at is None and self.due_on < timezone.localdate()

    @property
    def reading(self) -> Reading | None:
        """Where the reader stands; None for a lead who was not sent it."""
        if not self.is_addressee:
            return None
        if self.acknowledged_at:
            return Reading.ACKNOWLEDGED
        return Reading.OVERDUE if self.overdue else Reading.TO_READ


def _briefing(briefing_id: uuid.UUID) -> Briefing | None:
    return Briefing.objects.select_related("published_by__person").filter(public_id=briefing_id).first()


def briefing_for_lead(user: User, briefing_id: uuid.UUID) -> Briefing | None:
    return followed_by(user).select_related("published_by__person").filter(public_id=briefing_id).first()


def briefing_for_reader(user: User, briefing_id: uuid.UUID) -> Briefing | None:
    """A briefing the user is in the audience of."""
    if not user.person_id:
        return None
    return Briefing.objects.filter(public_id=briefing_id, audience__person_id=user.person_id).first()


def briefing_page(user: User, briefing_id: uuid.UUID) -> BriefingPage | None:
    """The briefing as this user sees it: the text for a reader, with the figures for a lead."""
    briefing = _briefing(briefing_id)
    if briefing is None:
        return None
    # The reader's acknowledgement (or None) and deadline, when the user is in the audience; else nothing.
    mine = BriefingAudience.objects.filter(briefing=briefing, person_id=user.person_id)
    addressed = list(mine.values_list("acknowledged_at", "due_on")[:1]) if user.person_id else []
    is_lead = followed_by(user).filter(pk=briefing.pk).exists()
    if not (addressed or is_lead):
        return None
    acknowledged_at, due_on = addressed[0] if addressed else (None, None)
    return BriefingPage(
        briefing,
        bool(addressed),
        acknowledged_at,
        due_on,
        [role.name for role in briefing.audience_roles.order_by("name")],
        [unit.name for unit in briefing.audience_units.order_by("name")],
        report(briefing) if is_lead else None,
    )


def publishable_units(user: User) -> tuple[list[OrgUnit], list[OrgUnit]]:
    """The areas and the stations a lead may publish to, each station listed under its area's name."""
    scope = scope_of(user, PUBLISH_BRIEFINGS)
    areas = list(OrgUnit.objects.filter(pk__in=scope.area_ids).order_by("name"))
    stations = list(
        OrgUnit.objects.filter(pk__in=scope.station_ids)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    return areas, stations
