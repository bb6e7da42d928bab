"""When a response clock starts and stops, from an incident's dispatch events.

Start: the earliest of chief complaint identified, first resource assigned, and call connect plus the
offset for the category first coded. An incident may be re-triaged several times, in time order: each
re-triage to a more urgent category than the one in force restarts the clock at that re-triage; the same
category or a less urgent one keeps the start. The incident counts under its last category.

Stop: C1 at the first resource on scene; C1T (a C1 patient transported) at the first transport-capable
resource; C2 to C4 at the first transport-capable resource, or at the first resource when the patient was
not conveyed and none came. An incident nobody reached has no stop and is not counted.

Events out of order are refused with their names, never turned into a negative duration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from candour.operations.arp.categories import Category, is_upgrade
from candour.operations.arp.reference import ClockRules


class ClockError(ValueError):
    """An incident whose events cannot give a response time; the message names the events."""


@dataclass(frozen=True)
class Retriage:
    """The incident coded again: when, and the category it was given."""

    at: dt.datetime
    category: Category


def one_retriage(at: dt.datetime | None, category: Category | None) -> tuple[Retriage, ...]:
    """A single re-triage given as its time and its new category (either both or neither)."""
    if (at is None) != (category is None):
        raise ClockError("a re-triage needs both its time and its new category")
    return () if at is None else (Retriage(at, category),)


@dataclass(frozen=True)
class Incident:
    """The events of one incident the clock rules need. Times are aware; None means it did not happen."""

    incident_id: str
    area: str
    category: Category
    call_connected: dt.datetime
    chief_complaint_identified: dt.datetime | None
    first_assigned: dt.datetime | None
    first_on_scene: dt.datetime | None
    first_transport_on_scene: dt.datetime | None
    conveyed: bool
    # Every re-triage, in the order they happened.
    retriages: tuple[Retriage, ...] = ()

    @property
    def final_category(self) -> Category:
        return self.retriages[-1].category if self.retriages else self.category


@dataclass(frozen=True)
class Response:
    """One counted response: the category it counts under and its whole seconds from clock start to stop."""

    category: Category
    seconds: int


# (earlier, later, what is refused when the later happened first)
_ORDER = (
    ("call_connected", "chief_complaint_identified", "chief complaint identified before the call connected"),
    ("call_connected", "first_assigned", "first resource assigned before the call connected"),
    ("call_connected", "first_on_scene", "first resource on scene before the call connected"),
    ("first_assigned", "first_on_scene", "first resource on scene before the first was assigned"),
    ("first_on_scene", "first_transport_on_scene", "transport-capable resource on scene before the first"),
)


def check(incident: Incident) -> None:
    """Refuse an incident whose events contradict each other, naming them."""
    for earlier, later, problem in _ORDER:
        first, then = getattr(incident, earlier), getattr(incident, later)
        if first is not None and then is not None and then < first:
            raise ClockError(problem)
    previous = None
    for number, retriage in enumerate(incident.retriages, start=1):
        if retriage.at < incident.call_connected:
            raise ClockError(f"re-triage {number} ({retriage.at.isoformat()}) before the call connected")
        if previous is not None and retriage.at < previous.at:
            raise ClockError(
                f"re-triage {number} ({retriage.at.isoformat()}) is earlier than re-triage {number - 1} "
                f"({previous.at.isoformat()}): re-triages are given in the order they happened"
            )
        previous = retriage
    if incident.first_transport_on_scene is not None and incident.first_on_scene is None:
        raise ClockError("a transport-capable resource on scene, but no first resource on scene")
    if incident.conveyed and incident.first_transport_on_scene is None:
        raise ClockError("conveyed, but no transport-capable resource on scene")


def clock_start(incident: Incident, rules: ClockRules) -> dt.datetime:
    """When the clock starts for the incident's final category: the last upgrade's time, if it had one."""
    offset = dt.timedelta(seconds=rules.start_offset_seconds[incident.category])
    candidates = [incident.call_connected + offset]
    candidates += [t for t in (incident.chief_complaint_identified, incident.first_assigned) if t is not None]
    start = min(candidates)
    in_force = incident.category
    for retriage in incident.retriages:
        if is_upgrade(in_force, retriage.category):
            start = retriage.at
        in_force = retriage.category
    return start


def clock_stop(incident: Incident, category: Category) -> dt.datetime | None:
    """When the clock stops for a category the incident counts under; None when nobody reached it."""
    if category == Category.C1:
        return incident.first_on_scene
    if category == Category.C1T:
        return incident.first_transport_on_scene
    return incident.first_transport_on_scene or incident.first_on_scene


def counted_categories(incident: Incident) -> tuple[Category, ...]:
    """The categories the incident counts under: its final one, and C1T too for a transported C1."""
    final = incident.final_category
    if final == Category.C1 and incident.conveyed:
        return (Category.C1, Category.C1T)
    return (final,)


def responses(incident: Incident, rules: ClockRules) -> list[Response]:
    """The incident's counted responses (none when nobody reached it), or a ClockError naming its events."""
    check(incident)
    start = clock_start(incident, rules)
    counted = []
    for category in counted_categories(incident):
        stop = clock_stop(incident, category)
        if stop is None:
            continue
        if stop < start:
            raise ClockError(
                f"the {category} clock would stop ({stop.isoformat()}) "
                f"before it started ({start.isoformat()})"
            )
        counted.append(Response(category, int((stop - start).total_seconds())))
    return counted
