"""Learning services: briefings. The only code that writes briefings, their audiences and their chasers.

Publishing sends a briefing to everyone employed that day, in the chosen roles, at the chosen stations.
Someone who joins that audience later (a starter, a move of station) receives it on the day they join, with
the same time to acknowledge it that everyone else had, while the briefing is recent
(CANDOUR_BRIEFING_REACHES_JOINERS_DAYS). Leavers stay in the audience: they were sent it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.learning.access import PUBLISH_BRIEFINGS
from candour.learning.models import Briefing, BriefingAudience, ReminderLog
from candour.people.access import Scope, scope_of
from candour.people.models import JobRole, OrgUnit, Person, User
from candour.people.signals import people_changed

# A new briefing gets a few days to be read before the first chaser, unless its deadline is closer.
FIRST_CHASE_AFTER_DAYS = 3
FIRST_CHASE_BEFORE_DEADLINE_DAYS = 3
WRITE_BATCH = 2000


def _scope_roots(scope: Scope) -> list[OrgUnit]:
    """The units the scope hangs from (where the role is held)."""
    return list(OrgUnit.objects.filter(pk__in=scope.unit_ids).exclude(parent_id__in=scope.unit_ids))


def _stations(scope: Scope, units: list[OrgUnit]) -> set[int]:
    """Stations in the scope at or below any of the units."""
    return set(
        OrgUnit.objects.stations_under(*units).filter(pk__in=scope.station_ids).values_list("pk", flat=True)
    )


@transaction.atomic
def publish_briefing(
    *,
    by: User,
    title: str,
    body: str,
    roles: list[JobRole],
    units: list[OrgUnit],
    acknowledge_by: dt.date,
) -> Briefing:
    """Publish a briefing to the people in the roles (none: every role) at the units (none: all the
    publisher's scope), fixing its audience."""
    scope = scope_of(by, PUBLISH_BRIEFINGS)
    if scope.is_empty:
        raise PermissionDenied
    outside = [unit.name for unit in units if not scope.covers(unit)]
    if outside:
        where = f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'}"
        raise Refused(f"You cannot publish there: {where} outside your area", field="stations")
    today = timezone.localdate()
    if acknowledge_by < today:
        raise Refused("The acknowledge-by date must be today or in the future", field="acknowledge_by")
    # Stored explicitly even when the whole scope was meant, so the briefing says where it went.
    units = units or _scope_roots(scope)
    people = Person.objects.current().filter(station_id__in=_stations(scope, units))
    if roles:
        people = people.filter(job_role__in=roles)
    audience = list(people.order_by("pk").values_list("pk", "station_id"))
    if not audience:
        raise Refused("No one in the chosen roles works at the chosen stations")

    briefing = Briefing.objects.create(
        title=title, body=body, acknowledge_by=acknowledge_by, published_by=by, published_on=today
    )
    briefing.audience_roles.set(roles)
    briefing.audience_units.set(units)
    BriefingAudience.objects.bulk_create(
        [
            BriefingAudience(
                briefing=briefing,
                person_id=person_id,
                station_id=station_id,
                joined_on=today,
                due_on=acknowledge_by,
            )
            for person_id, station_id in audience
        ],
        batch_size=WRITE_BATCH,
    )
    audit.record(
        action="published_briefing",
        actor=by,
        target=briefing,
        summary=title,
        changes={
            "acknowledge_by": acknowledge_by,
            "roles": sorted(role.code for role in roles),
            "units": sorted(unit.code for unit in units),
            "audience": len(audience),
        },
    )
    return briefing


@transaction.atomic
def reach_joiners(*, today: dt.date, person_ids: Iterable[int] | None = None) -> int:
    """Send each recent briefing to the people (all, or those given) now in its audience who were not sent
    it: each gets as long to acknowledge it, from today, as its first readers had. Returns how many rows."""
    since = today - dt.timedelta(days=settings.CANDOUR_BRIEFING_REACHES_JOINERS_DAYS)
    briefings = Briefing.objects.filter(published_on__gte=since, published_on__lte=today).prefetch_related(
        "audience_roles", "audience_units"
    )
    reached = 0
    for briefing in briefings:
        people = Person.objects.employed_on(today).filter(
            station__in=OrgUnit.objects.stations_under(*briefing.audience_units.all())
        )
        roles = list(briefing.audience_roles.all())
        if roles:
            people = people.filter(job_role__in=roles)
        if person_ids is not None:
            people = people.filter(pk__in=list(person_ids))
        joiners = list(
            people.exclude(briefings__briefing=briefing).order_by("pk").values_list("pk", "station_id")
        )
        if not joiners:
            continue
        due_on = today + (briefing.acknowledge_by - briefing.published_on)
        BriefingAudience.objects.bulk_create(
            [
                BriefingAudience(
                    briefing=briefing, person_id=pk, station_id=station_id, joined_on=today, due_on=due_on
                )
                for pk, station_id in joiners
            ],
            batch_size=WRITE_BATCH,
        )
        audit.record(
            action="briefing_reached_joiners",
            system="briefings for people who join",
            target=briefing,
            changes={"people": len(joiners), "joined_on": today, "due_on": due_on},
        )
        reached += len(joiners)
    return reached


def _on_people_changed(sender, person_ids=None, **kwargs) -> None:
    """A starter, or a move of station or role: recent briefings follow the person."""
    reach_joiners(today=timezone.localdate(), person_ids=person_ids)


people_changed.connect(_on_people_changed, dispatch_uid="learning.briefings.joiners")


@transaction.atomic
def acknowledge_briefing(*, by: User, briefing: Briefing) -> BriefingAudience:
    """The reader confirms they have read and understood it. Doing so again changes nothing."""
    row = BriefingAudience.objects.select_for_update().get(briefing=briefing, person_id=by.person_id)
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
        audit.record(action="acknowledged_briefing", actor=by, target=briefing, summary=briefing.title)
    return row


@dataclass(frozen=True)
class UnreadBriefing:
    title: str
    public_id: uuid.UUID
    acknowledge_by: dt.date


@dataclass(frozen=True)
class Chaser:
    """One email to send: a person and every briefing they have still to acknowledge."""

    email: str
    briefings: list[UnreadBriefing]


@transaction.atomic
def chase_unread_briefings(*, today: dt.date) -> list[Chaser]:
    """Decide who is chased today and record it; the caller sends the emails in the same transaction.

    A row is due when it was last chased CANDOUR_BRIEFING_CHASE_DAYS ago, or never and it reached the
    person a few days ago or is nearly due. A person chased within that many days, for any briefing,
    waits: one email lists all their unread briefings, so no one gets more than one in that time.
    """
    every = settings.CANDOUR_BRIEFING_CHASE_DAYS
    unread = BriefingAudience.objects.filter(
        # As of `today`, so that past days can be replayed (the demo does).
        joined_on__lte=today,
        acknowledged_at__isnull=True,
        person__in=Person.objects.employed_on(today).values("pk"),
        person__user__is_active=True,
    )
    first_chase_due = Q(joined_on__lte=today - dt.timedelta(days=FIRST_CHASE_AFTER_DAYS)) | Q(
        due_on__lte=today + dt.timedelta(days=FIRST_CHASE_BEFORE_DEADLINE_DAYS)
    )
    due = unread.filter(
        (Q(last_chased_on__isnull=True) & first_chase_due)
        | Q(last_chased_on__lte=today - dt.timedelta(days=every))
    )
    recently_chased = ReminderLog.objects.filter(
        kind=ReminderLog.Kind.BRIEFING_CHASER, sent_on__gt=today - dt.timedelta(days=every)
    ).values("person_id")
    people = set(due.exclude(person_id__in=recently_chased).values_list("person_id", flat=True))
    if not people:
        return []

    rows = list(
        unread.filter(person_id__in=people)
        .select_for_update(of=("self",))
        .order_by("person_id", "due_on", "briefing__title")
        .values_list(
            "pk", "person_id", "person__user__email", "briefing__title", "briefing__public_id", "due_on"
        )
    )
    emails: dict[int, str] = {}
    briefings: dict[int, list[UnreadBriefing]] = defaultdict(list)
    for _, person_id, email, title, public_id, acknowledge_by in rows:
        emails[person_id] = email
        briefings[person_id].append(UnreadBriefing(title, public_id, acknowledge_by))
    BriefingAudience.objects.filter(pk__in=[row[0] for row in rows]).update(last_chased_on=today)
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                person_id=person_id,
                kind=ReminderLog.Kind.BRIEFING_CHASER,
                sent_on=today,
                about=f"{len(briefings[person_id])} unread briefings",
            )
            for person_id in emails
        ]
    )
    audit.record(
        action="chased_briefings",
        system="briefing chasers",
        changes={"on": today, "people": len(emails), "briefings": len(rows)},
    )
    return [Chaser(emails[person_id], briefings[person_id]) for person_id in emails]
