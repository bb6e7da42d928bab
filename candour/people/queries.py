"""Read models for people pages: plain data, aggregates done in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from candour.people.access import Scope
from candour.people.models import JobRole, OrgUnit, Person


def people_in_scope(scope: Scope) -> QuerySet[Person]:
    return Person.objects.for_scope(scope).select_related("job_role", "station", "station__parent")


def directory(
    scope: Scope, *, q: str = "", unit: OrgUnit | None = None, role_code: str = "", apprentices=False
):
    """Current staff the viewer may see, narrowed by the directory's filters."""
    people = people_in_scope(scope).current()
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
