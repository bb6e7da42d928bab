"""The CAD incidents feed: one row per incident, keyed by the CAD's incident id, each measured by the ARP
clock (candour.operations.arp) as it is checked, so a row whose events are out of order is refused with its
line rather than stored with a negative response.

Checked whole before anything is written, then written in one short transaction with its audit event
(ADR 0023: importers are a writer layer beside services). The same file twice changes nothing; a file with
some incidents changed updates only those. In the same transaction, each new or changed incident that is
a long wait (over its threshold, or flagged by the CAD) opens its harm review, unless it has one already.

Each destination hospital must be one Candour knows (`operations.Hospital`, by its code or its name) and
still receives patients. An incident's re-triages come either as one pair (`retriaged_at`, `retriaged_to`)
or as its whole history (`retriages`: `time category` entries separated by `;`, in time order); the history
is stored in its own table, rewritten for an incident only when it changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from candour.core.importing import (
    BATCH_SIZE,
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    Parser,
    PreparedUpsert,
    Progress,
    Row,
    RowSource,
    WriteCounts,
    feeds,
    import_audited,
    prepare_upsert,
    quoted,
    text,
    yes_no,
)
from candour.operations.arp.categories import Category, coded
from candour.operations.arp.clock import ClockError, Incident, Retriage, one_retriage
from candour.operations.arp.incidents import EVENT_COLUMNS, MeasuredIncident, measure, parse_time
from candour.operations.models import CadIncident, Channel, Hospital, Outcome
from candour.operations.models import Retriage as StoredRetriage
from candour.operations.services import open_reviews
from candour.people.models import OrgUnit, User

# The clock's events, then those after it: stored in UTC.
TIMES = (*EVENT_COLUMNS, "arrived_at_hospital", "handover_complete", "crew_clear", "interpreter_joined")
# (earlier, later, what is refused when the later came first) for the events the clock does not use.
_LATER_EVENTS = (
    (
        "first_transport_on_scene",
        "arrived_at_hospital",
        "arrived at hospital before the ambulance was on scene",
    ),
    ("arrived_at_hospital", "handover_complete", "handover complete before arrival at hospital"),
    ("call_connected", "crew_clear", "crew clear before the call connected"),
    ("handover_complete", "crew_clear", "crew clear before the handover was complete"),
    ("call_connected", "interpreter_joined", "interpreter joined before the call connected"),
)


class CadIncidentImporter(Importer):
    """Creates and updates incidents from the CAD's export, each with the response the clock makes of it."""

    key = ("incident_id",)

    def __init__(self):
        self.columns = (
            Column("incident_id", _text("incident_id")),
            Column("call_ids", _text("call_ids"), optional=True),
            Column("station_code", _station()),
            Column("category", _category),
            Column("retriaged_at", _time, optional=True),
            Column("retriaged_to", _category, optional=True),
            Column("call_connected", _time),
            Column("chief_complaint_identified", _time, optional=True),
            Column("first_assigned", _time, optional=True),
            Column("first_on_scene", _time, optional=True),
            Column("first_transport_on_scene", _time, optional=True),
            Column("conveyed", yes_no),
            Column("destination_hospital", _hospital(), optional=True),
            Column("arrived_at_hospital", _time, optional=True),
            Column("handover_complete", _time, optional=True),
            Column("crew_clear", _time, optional=True),
            Column("outcome", _choice(Outcome), optional=True),
            Column("channel", _choice(Channel)),
            Column("interpreter_language", _text("interpreter_language"), optional=True),
            Column("interpreter_joined", _time, optional=True),
            Column("bariatric", yes_no),
            Column("long_wait", yes_no),
            Column("retriages", _retriages, optional=True, may_be_left_out=True),
        )
        self.changed: list[str] = []
        self.reviews_opened = 0
        # What the clock made of each row as it was checked (by line), for its batch to store: a row is
        # measured once. Rows checked after a bad one are never prepared, so this is emptied whenever it
        # outgrows a few batches rather than left to grow with the file.
        self._measured: dict[int, MeasuredIncident] = {}

    def check_row(self, row: Row) -> None:
        values = row.values
        for earlier, later, problem in _LATER_EVENTS:
            if values[earlier] and values[later] and values[later] < values[earlier]:
                raise Invalid(problem, column=later)
        if values["arrived_at_hospital"] and not values["conveyed"]:
            raise Invalid(
                "arrived at hospital, but the patient was not conveyed", column="arrived_at_hospital"
            )
        if values["interpreter_joined"] and not values["interpreter_language"]:
            raise Invalid("an interpreter joined, but no language is given", column="interpreter_language")
        if len(self._measured) > 2 * BATCH_SIZE:
            self._measured.clear()
        try:
            self._measured[row.line] = measure(_incident(values))
        except ClockError as error:
            raise Invalid(str(error)) from None
        except ValueError as error:  # no clock rules in force then
            raise Invalid(str(error), column="call_connected") from None

    def prepare_batch(self, rows: list[Row]) -> PreparedIncidents:
        incidents = [_incident(row.values) for row in rows]
        records = [
            _incident_fields(row.values, incident, self._measured.pop(row.line, None) or measure(incident))
            for row, incident in zip(rows, incidents, strict=True)
        ]
        upsert = prepare_upsert(CadIncident, key=self.key, records=records, note=self.key)
        changed = {incident_id for (incident_id,) in upsert.noted}
        histories = {
            incident.incident_id: tuple(
                (r.at.astimezone(dt.UTC), r.category.value) for r in incident.retriages
            )
            for incident in incidents
        }
        stored = _stored_histories(histories)
        rewritten = {key: history for key, history in histories.items() if stored.get(key, ()) != history}
        history_only = set(rewritten) - changed
        self.changed += [*changed, *history_only]
        return PreparedIncidents(upsert, rewritten, len(history_only))

    def write_batch(self, prepared: PreparedIncidents) -> WriteCounts:
        counts = prepared.upsert.write()
        if prepared.histories:
            pks = dict(
                CadIncident.objects.filter(incident_id__in=list(prepared.histories)).values_list(
                    "incident_id", "pk"
                )
            )
            StoredRetriage.objects.filter(incident_id__in=list(pks.values())).delete()
            StoredRetriage.objects.bulk_create(
                StoredRetriage(incident_id=pks[incident_id], position=position, at=at, category=category)
                for incident_id, history in prepared.histories.items()
                for position, (at, category) in enumerate(history, start=1)
            )
        # An incident whose only change is its history was changed all the same.
        counts.updated += prepared.history_only
        counts.unchanged -= prepared.history_only
        return counts

    def after_write(self) -> WriteCounts:
        self.reviews_opened = open_reviews(incident_ids=self.changed)
        return WriteCounts()


def import_cad_incidents(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the CAD's incidents, all or nothing; `by` is None when a system job imports them. Call it
    outside any transaction: it checks first, then writes in one of its own. `then(result)` runs in the
    transaction that writes (or after checking, when nothing is written)."""
    importer = CadIncidentImporter()
    return import_audited(
        importer,
        file,
        feed="CAD incidents",
        by=by,
        progress=progress,
        then=then,
        details=lambda: {"harm_reviews_opened": importer.reviews_opened},
    )


@dataclass
class PreparedIncidents:
    """One batch ready to write: the incidents, and the re-triage histories to write in full (by incident
    id: a new incident's, or one that differs from what is stored; empty to clear one)."""

    upsert: PreparedUpsert
    histories: dict[str, tuple[tuple[dt.datetime, str], ...]]
    # Incidents the upsert leaves as they are, but whose history changed.
    history_only: int


def _stored_histories(incident_ids: Iterable[str]) -> dict[str, tuple[tuple[dt.datetime, str], ...]]:
    histories = defaultdict(list)
    rows = (
        StoredRetriage.objects.filter(incident__incident_id__in=list(incident_ids))
        .order_by("incident_id", "position")
        .values_list("incident__incident_id", "at", "category")
    )
    for incident_id, at, category in rows:
        histories[incident_id].append((at, category))
    return {incident_id: tuple(history) for incident_id, history in histories.items()}


def _incident(values: dict) -> Incident:
    """The clock's incident of a row; a ClockError when its re-triages contradict each other."""
    return Incident(
        incident_id=values["incident_id"],
        area=str(values["station_code"]),
        category=values["category"],
        call_connected=values["call_connected"],
        chief_complaint_identified=values["chief_complaint_identified"],
        first_assigned=values["first_assigned"],
        first_on_scene=values["first_on_scene"],
        first_transport_on_scene=values["first_transport_on_scene"],
        conveyed=values["conveyed"],
        retriages=_retriages_of(values),
    )


def _retriages_of(values: dict) -> tuple[Retriage, ...]:
    """The row's re-triages: its history, or its one pair; given both, the pair must be the history's last."""
    pair = one_retriage(values["retriaged_at"], values["retriaged_to"])
    history = values["retriages"] or ()
    if pair and history and history[-1] != pair[0]:
        raise ClockError("retriaged_at and retriaged_to, given with retriages, must be its last re-triage")
    return history or pair


def _incident_fields(values: dict, incident: Incident, measured: MeasuredIncident) -> dict:
    """The stored fields of a checked row, in UTC, with what the clock made of it."""
    by_category = {response.category: response.seconds for response in measured.responses}
    year, month = (int(part) for part in measured.month.split("-"))
    final = incident.final_category
    utc = {name: values[name].astimezone(dt.UTC) if values[name] else None for name in TIMES}
    return {
        "incident_id": values["incident_id"],
        "call_ids": values["call_ids"] or "",
        "station_id": values["station_code"],
        "category": values["category"].value,
        "conveyed": values["conveyed"],
        "hospital_id": values["destination_hospital"],
        "outcome": values["outcome"] or "",
        "channel": values["channel"],
        "interpreter_language": values["interpreter_language"] or "",
        "bariatric": values["bariatric"],
        "long_wait": values["long_wait"],
        **utc,
        "month": dt.date(year, month, 1),
        "counted_category": final.value,
        "response_seconds": by_category.get(final),
        "c1t_response_seconds": by_category.get(Category.C1T),
        "clock_rules": measured.rules_version,
    }


def _time(value: str) -> dt.datetime:
    try:
        return parse_time("", value)
    except ValueError:
        raise Invalid(f"{quoted(value)} is not an ISO 8601 time with its offset from UTC") from None


def _category(value: str):
    try:
        return coded(value)
    except ValueError as error:
        raise Invalid(str(error)) from None


def _retriages(value: str) -> tuple[Retriage, ...]:
    history = []
    for number, entry in enumerate(value.split(";"), start=1):
        parts = entry.split()
        where = f"re-triage {number}, {quoted(entry.strip())}"
        if len(parts) != 2:
            raise Invalid(f"{where}, is not a time and a category separated by a space")
        try:
            at = parse_time("", parts[0])
        except ValueError:
            raise Invalid(
                f"{where}: {quoted(parts[0])} is not an ISO 8601 time with its offset from UTC"
            ) from None
        try:
            category = coded(parts[1])
        except ValueError as error:
            raise Invalid(f"{where}: {error}") from None
        history.append(Retriage(at, category))
    return tuple(history)


def _choice(choices) -> Parser:
    allowed = frozenset(choices.values)  # worked out once: a Choices' values are a new list at each ask

    def parse(value: str) -> str:
        if value not in allowed:
            raise Invalid(f"{quoted(value)} is not one of {', '.join(choices.values)}")
        return value

    return parse


def _text(field_name: str) -> Parser:
    return text(max_length=CadIncident._meta.get_field(field_name).max_length)


def _hospital() -> Parser:
    # Known by the CAD's code or by name; loaded once, at the first row that names one.
    hospitals = {}

    def parse(code_or_name: str) -> int:
        if not hospitals:
            for pk, code, name, active in Hospital.objects.values_list("pk", "code", "name", "active"):
                hospitals[code] = hospitals[name] = (pk, name, active)
        if code_or_name not in hospitals:
            raise Invalid(f"no hospital has the code or name {quoted(code_or_name)}")
        pk, name, active = hospitals[code_or_name]
        if not active:
            raise Invalid(f"{name} is marked as no longer receiving the trust's patients")
        return pk

    return parse


def _station() -> Parser:
    # Reference data is small: load it once, at the first row, rather than query for every row.
    stations = {}

    def parse(code: str) -> int:
        if not stations:
            stations.update(OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION).values_list("code", "pk"))
        if code not in stations:
            raise Invalid(f"no station has the code {quoted(code)}")
        return stations[code]

    return parse


def _import_sent_rows(source: RowSource, *, then, progress=None, by: User | None = None) -> ImportResult:
    return import_cad_incidents(by=by, file=source, progress=progress, then=then)


# Other systems send this feed as rows through the integration API, and the operations and EOC managers
# upload its files on the import pages (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="cad_incidents",
        title="CAD incidents",
        columns=tuple(column.name for column in CadIncidentImporter().columns),
        example={
            "incident_id": "INC-2026-004512",
            "call_ids": "C-2026-000123",
            "station_code": "NM-ST-01",
            "category": "C2",
            "retriaged_at": "",
            "retriaged_to": "",
            "call_connected": "2026-03-02T14:05:09+00:00",
            "chief_complaint_identified": "2026-03-02T14:06:40+00:00",
            "first_assigned": "2026-03-02T14:07:02+00:00",
            "first_on_scene": "2026-03-02T14:21:30+00:00",
            "first_transport_on_scene": "2026-03-02T14:21:30+00:00",
            "conveyed": "Y",
            "destination_hospital": "Northmoor General",
            "arrived_at_hospital": "2026-03-02T15:02:00+00:00",
            "handover_complete": "2026-03-02T15:20:00+00:00",
            "crew_clear": "2026-03-02T15:31:00+00:00",
            "outcome": "see_and_convey",
            "channel": "voice",
            "interpreter_language": "",
            "interpreter_joined": "",
            "bariatric": "N",
            "long_wait": "N",
            "retriages": "",
        },
        run=_import_sent_rows,
        permission="operations.import_feeds",  # access.IMPORT_FEEDS
        results_page=("See response times", "operations:show_overview"),
    )
)
