"""One row per incident, as `manage.py arp` reads it, parsed into the clock's `Incident`; and the response
table by month, area and category that the command prints and the app's pages show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from candour.operations.arp.categories import PUBLISHED, Category, coded
from candour.operations.arp.centiles import CentileMethod
from candour.operations.arp.clock import Incident, Response, one_retriage, responses
from candour.operations.arp.figures import Figures, figures_of
from candour.operations.arp.reference import LONDON, rules_in_force

COLUMNS = (
    "incident_id",
    "area",
    "category",
    "call_connected",
    "chief_complaint_identified",
    "first_assigned",
    "first_on_scene",
    "first_transport_on_scene",
    "conveyed",
    "retriaged_at",
    "retriaged_to",
)
# The events the clock reads, one time each.
EVENT_COLUMNS = (
    "call_connected",
    "chief_complaint_identified",
    "first_assigned",
    "first_on_scene",
    "first_transport_on_scene",
)
TIME_COLUMNS = (*EVENT_COLUMNS, "retriaged_at")
# The area of the rows computed from all the trust's incidents; no area of its own may take the name.
ALL_AREAS = "All"


def parse_time(column: str, text: str | None) -> dt.datetime | None:
    """An ISO 8601 time with its offset, or None for a blank; a ValueError naming the column otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{column} {text!r} has no offset from UTC")
    return moment


def parse_incident(record: Mapping[str, str | None]) -> Incident:
    """One incident row, or a ValueError naming what is wrong with it."""
    incident_id = (record.get("incident_id") or "").strip()
    area = (record.get("area") or "").strip()
    if not incident_id:
        raise ValueError("incident_id is missing")
    if not area:
        raise ValueError("area is missing")
    if area == ALL_AREAS:
        raise ValueError(f"area {ALL_AREAS!r} is kept for the whole trust's rows")
    try:
        category = coded(record.get("category") or "")
    except ValueError as error:
        raise ValueError(f"category {error}") from None
    times = {column: parse_time(column, record.get(column)) for column in TIME_COLUMNS}
    if times["call_connected"] is None:
        raise ValueError("call_connected is missing")
    conveyed = (record.get("conveyed") or "").strip().lower()
    if conveyed not in ("y", "n"):
        raise ValueError(f"conveyed {record.get('conveyed')!r} is not y or n")
    retriaged_to = (record.get("retriaged_to") or "").strip()
    try:
        new_category = coded(retriaged_to) if retriaged_to else None
    except ValueError as error:
        raise ValueError(f"retriaged_to {error}") from None
    # The command's layout has one re-triage; half of the pair is a ClockError (which is a ValueError).
    retriages = one_retriage(times.pop("retriaged_at"), new_category)
    return Incident(
        incident_id=incident_id,
        area=area,
        category=category,
        conveyed=conveyed == "y",
        retriages=retriages,
        **times,
    )


def month_of(moment: dt.datetime) -> str:
    """The month a moment falls in, in Europe/London, as YYYY-MM."""
    return moment.astimezone(LONDON).strftime("%Y-%m")


@dataclass(frozen=True)
class MeasuredIncident:
    """An incident's month (of call connect, in London), area and counted responses, and the version of the
    clock rules they were measured under."""

    month: str
    area: str
    responses: tuple[Response, ...]
    rules_version: str = ""


def measure(incident: Incident) -> MeasuredIncident:
    """The incident's responses under the clock rules in force when its call connected; a ValueError
    (a ClockError for events out of order) when it has none that can be trusted."""
    rules = rules_in_force(incident.call_connected)
    return MeasuredIncident(
        month_of(incident.call_connected), incident.area, tuple(responses(incident, rules)), rules.version
    )


@dataclass(frozen=True)
class TableRow:
    month: str
    area: str
    category: Category
    figures: Figures


def response_table(incidents: Iterable[MeasuredIncident], method: CentileMethod) -> list[TableRow]:
    """Figures per month x area x category with counted incidents, and per month x category for the
    whole trust (area `All`, from all its incidents, not from the areas' figures); by month, then area
    (`All` last), then category in AmbSYS's order."""
    seconds: dict[tuple[str, str, Category], list[int]] = defaultdict(list)
    for incident in incidents:
        for response in incident.responses:
            seconds[(incident.month, incident.area, response.category)].append(response.seconds)
            seconds[(incident.month, ALL_AREAS, response.category)].append(response.seconds)

    def order(key):
        month, area, category = key
        return (month, area == ALL_AREAS, area, PUBLISHED.index(category))

    return [
        TableRow(month, area, category, figures_of(seconds[(month, area, category)], method))
        for month, area, category in sorted(seconds, key=order)
    ]
