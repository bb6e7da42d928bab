"""Read models for people pages: plain data, aggregates done in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from candour.core.importing import feeds
from candour.people.access import Scope, can
from candour.people.models import JobRole, OrgUnit, Person, RecoveryCode, TwoFactorDevice, User
from candour.people.roles import Permission

# How far ahead a line manager is told of their team's leavers and starters.
LEAVING_SOON_DAYS = 30
STARTING_SOON_DAYS = 14


def people_in_scope(scope: Scope) -> QuerySet[Person]:
    return Person.objects.for_scope(scope).select_related("job_role", "station", "station__parent")


class Show(models.TextChoices):
    """Who the directory lists, beyond current staff: what the people app's home cards count."""

    TEAM_LEAVING = "team_leaving", f"My team: leaving in the next {LEAVING_SOON_DAYS} days"
    TEAM_STARTING = "team_starting", f"My team: starting in the next {STARTING_SOON_DAYS} days"
    NO_LINE_MANAGER = "no_line_manager", "No line manager recorded"
    SIGN_IN_PAUSED = "sign_in_paused", "Sign-in paused after failed attempts"


def shows_for(viewer) -> list[Show]:
    """The directory's views this viewer has a use for."""
    shows = [Show.TEAM_LEAVING, Show.TEAM_STARTING] if viewer.person_id else []
    if can(viewer, Permission.MANAGE_PEOPLE):
        shows.append(Show.NO_LINE_MANAGER)
    if can(viewer, Permission.MANAGE_SIGN_IN):
        shows.append(Show.SIGN_IN_PAUSED)
    return shows


def _shown(people: QuerySet[Person], show: str, viewer) -> QuerySet[Person]:
    today = timezone.localdate()
    if show == Show.TEAM_LEAVING:
        return people.filter(
            line_manager_id=viewer.person_id,
            leave_date__gte=today,
            leave_date__lte=today + dt.timedelta(days=LEAVING_SOON_DAYS),
        )
    if show == Show.TEAM_STARTING:
        return people.filter(
            line_manager_id=viewer.person_id,
            start_date__gt=today,
            start_date__lte=today + dt.timedelta(days=STARTING_SOON_DAYS),
        )
    if show == Show.NO_LINE_MANAGER:
        return people.current().filter(line_manager__isnull=True)
    if show == Show.SIGN_IN_PAUSED:
        return people.filter(user__locked_until__gt=timezone.now())
    return people.current()


def directory(
    scope: Scope,
    *,
    q: str = "",
    unit: OrgUnit | None = None,
    role_code: str = "",
    apprentices=False,
    show: str = "",
    viewer=None,
):
    """Staff the viewer may see (current staff, or one of the `Show` lists), narrowed by the filters."""
    people = _shown(people_in_scope(scope), show, viewer)
    if q:
        people = people.filter(
            Q(given_name__icontains=q) | Q(family_name__icontains=q) | Q(staff_number__iexact=q.strip())
        )
    if unit is not None:
        people = people.filter(station__in=OrgUnit.objects.stations_under(unit))
    if role_code:
        people = people.filter(job_role__code=role_code)
    if apprentices:
        people = people.filter(is_apprentice=True)
    return people


def units_in_scope(scope: Scope) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(pk__in=scope.unit_ids)
        .exclude(kind=OrgUnit.Kind.TRUST)
        .order_by("kind", "name")
    )


def job_roles() -> list[JobRole]:
    return list(JobRole.objects.order_by("name"))


@dataclass(frozen=True)
class StationRow:
    station: OrgUnit
    headcount: int
    apprentices: int


@dataclass(frozen=True)
class AreaRow:
    area: OrgUnit
    stations: list[StationRow]

    @property
    def headcount(self) -> int:
        return sum(row.headcount for row in self.stations)

    @property
    def apprentices(self) -> int:
        return sum(row.apprentices for row in self.stations)


def organisation(scope: Scope) -> list[AreaRow]:
    """Areas and stations in scope with today's headcount, counted in one query."""
    today = timezone.localdate()
    current = Q(people__start_date__lte=today) & (
        Q(people__leave_date__isnull=True) | Q(people__leave_date__gt=today)
    )
    stations = (
        OrgUnit.objects.filter(pk__in=scope.station_ids)
        .select_related("parent")
        .annotate(
            headcount=Count("people", filter=current),
            apprentices=Count("people", filter=current & Q(people__is_apprentice=True)),
        )
        .order_by("parent__name", "name")
    )
    areas: dict[int, AreaRow] = {}
    for station in stations:
        row = areas.setdefault(station.parent_id, AreaRow(station.parent, []))
        row.stations.append(StationRow(station, station.headcount, station.apprentices))
    return list(areas.values())


@dataclass(frozen=True)
class SignInState:
    """A person's sign-in, as a system administrator sees it."""

    account: User
    paused_until: dt.datetime | None
    two_factor_since: dt.datetime | None
    recovery_codes_left: int


def sign_in_of(person: Person) -> SignInState | None:
    """The person's sign-in account and its state, or None when they have no sign-in."""
    account = User.objects.filter(person=person).first()
    if account is None:
        return None
    device = TwoFactorDevice.objects.filter(user=account, confirmed_at__isnull=False).first()
    return SignInState(
        account=account,
        paused_until=account.locked_until if account.is_locked() else None,
        two_factor_since=device.confirmed_at if device else None,
        recovery_codes_left=recovery_codes_left(account),
    )


def has_second_factor(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def uploadable_feeds(user) -> list[feeds.Feed]:
    """The registered feeds whose files the person may upload on the import pages."""
    return [feed for feed in feeds.all_feeds() if feed.permission and can(user, feed.permission)]
