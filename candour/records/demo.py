"""Northmoor's part of the demo trust for records: the ePCR's index of records for its incidents, paper
records' custody and the access log, sent through the records importers, so every figure is the engine's own.

Each page has a story to tell:
- when operations' demo has built the CAD's incidents (it runs first), most attended incidents have one
  final record; a few have none, a few have two, a few records are still in draft past the limit, and a
  few name an incident the CAD does not know. With no incidents (a test building only people and records)
  the records carry their own incident references;
- one station is still on paper, and its records reach the records office slowly; a few are lost, each
  raised as a concern;
- one crew member's records often miss mandatory elements;
- a handful of unusual accesses raise alerts, two of them already reviewed;
- the demo paramedic (staff@northmoor.example) wrote some of the records and has one record review to
  acknowledge.

At trust scale the CAD holds about a million incidents, so the records of incidents that ended more than
`RECENT_DAYS` ago are streamed through the record index importer in one bulk import, never held in memory:
plain final records with the paper station's and the careless crew member's patterns, and the paper ones'
custody. Every story above is told on the recent span, which is bounded whatever the scale; so the time
grows only with the importer's bulk throughput (measured in bench/records.py) and memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from candour.core.demo import DemoContext
from candour.core.importing import RowSource
from candour.operations.queries import attended
from candour.people.demo import demo_email
from candour.people.models import Person, User
from candour.records import services
from candour.records.importers import import_custody_events, import_record_access, import_record_index
from candour.records.models import AccessAlert, AlertRule, ElementSet, PatientRecord
from candour.records.reference import DEFAULT_ELEMENTS, ensure_default_element_set

# Records a day when the CAD's incidents are not built.
RECORDS_PER_DAY = 5
# Each element's chance of being present, for most crews and for the one crew member who often misses them.
ELEMENT_PRESENT = 0.975
POOR_ELEMENT_PRESENT = 0.7
# The matching worklist's story: attended incidents left with no record, given a second final record, or
# whose record is still a draft; records naming an incident the CAD does not know.
NO_RECORD, DUPLICATES, DRAFTS, UNKNOWN_INCIDENTS = 5, 3, 4, 2
LOST_RECORDS = 3
# The paper station's records take this many days, at most, to reach the records office.
SLOW_CUSTODY_DAYS = (2, 9)
STAFF_RECORDS = 30
# Incidents that ended within this many days get the worked stories; older ones plain records, streamed.
RECENT_DAYS = 90


def build(context: DemoContext) -> None:
    rng = context.rng_for("records")
    ensure_default_element_set(ElementSet)
    now = timezone.now()
    stations = [station for station in context.shared["stations"] if "Ambulance Station" in station.name]
    paper_station = stations[-1]
    crews = _crews(stations)
    staff = User.objects.select_related("person").get(email=demo_email("staff")).person
    poor = next(number for number in crews[stations[1].pk] if number != staff.staff_number)

    rows = []
    incidents = _attended_incidents(now, since=now - dt.timedelta(days=RECENT_DAYS))
    history = _History(context.rng_for("records-history"), now, crews, paper_station, poor, stations[1])
    if history.count:
        _import(import_record_index, history.rows(), "demo record index, before the recent span")
        _import(import_custody_events, history.custody(), "demo custody events, before the recent span")
    if incidents:
        chosen = list(range(len(incidents)))
        rng.shuffle(chosen)
        # Judged ones only: those past the limit, a day and more ago.
        judged = [i for i in chosen if incidents[i][2] < now - dt.timedelta(days=2)]
        left_out = set(judged[:NO_RECORD])
        doubled = set(judged[NO_RECORD : NO_RECORD + DUPLICATES])
        drafts = set(judged[NO_RECORD + DUPLICATES : NO_RECORD + DUPLICATES + DRAFTS])
        for index, (incident_id, station, started, finished) in enumerate(incidents):
            if index in left_out:
                continue
            draft = index in drafts or finished > now - dt.timedelta(hours=6)
            rows.append(_row(rng, now, incident_id, station, started, finished, crews, draft=draft))
            if index in doubled:
                rows.append(_row(rng, now, incident_id, station, started, finished, crews, draft=False))
    else:
        days = 30 * context.scale.months_of_history
        for offset in range(days, 0, -1):
            day = context.today - dt.timedelta(days=offset)
            for _ in range(round(RECORDS_PER_DAY * rng.uniform(0.7, 1.3))):
                station = rng.choice(stations)
                started = _at(day, rng)
                finished = started + dt.timedelta(minutes=rng.randint(30, 150))
                reference = f"EPCR-INC-{len(rows) + 1:07d}"
                draft = finished > now - dt.timedelta(hours=6)
                rows.append(_row(rng, now, reference, station, started, finished, crews, draft=draft))
    recent = [row for row in rows if row["created_at"] < _iso(now - dt.timedelta(days=2))][-60:]
    for number, row in enumerate(rng.sample(recent, min(len(recent), UNKNOWN_INCIDENTS)), start=1):
        rows.append({**row, "incident_reference": f"NM-UNKNOWN-{number:03d}"})
    _mark_paper(rows, paper_station)
    _give_poor_completeness(rng, rows, poor, stations[1])
    staff_rows = _give_staff_records(rng, rows, staff)
    for number, row in enumerate(rows, start=1):
        row["record_id"] = f"EPCR-{number:08d}"

    unusual = _unusual_access(rng, now, rows, crews, stations, staff)
    _import(import_record_index, rows, "demo record index")
    paper = [row for row in rows if row["medium"] == "paper"]
    older = [row for row in paper if row["created_at"] < _iso(now - dt.timedelta(days=40))][-200:]
    lost = rng.sample(older, min(LOST_RECORDS, len(older)))
    _import(import_custody_events, _custody(rng, now, paper, lost), "demo custody events")
    _lose(lost)
    _import(import_record_access, _access_log(rng, now, rows) + unusual, "demo access log")
    _review_some_alerts()
    _send_staff_a_review(staff, staff_rows)


def _import(run, rows, name) -> None:
    result = run(by=None, file=RowSource(rows, name=name))
    if not result.ok:
        raise ValueError(f"The records demo made a bad row: {result.errors[:3]}")


def _crews(stations) -> dict:
    """Each station's clinical staff numbers, the demo paramedic's first at theirs."""
    crews = {station.pk: [] for station in stations}
    for station_id, number in (
        Person.objects.filter(station__in=stations, job_role__is_clinical=True)
        .order_by("staff_number")
        .values_list("station_id", "staff_number")
    ):
        crews[station_id].append(number)
    return crews


def _attended_incidents(now: dt.datetime, *, since: dt.datetime) -> list[tuple]:
    """Operations' attended incidents whose job ended in the recent span, when its demo built them: id,
    station, on scene, job ended."""
    return [
        (incident.incident_id, incident.station, incident.first_on_scene, incident.finished_at)
        for incident in attended.attended_incidents(None, finished_before=now).filter(finished_at__gte=since)
    ]


class _History:
    """The records of the attended incidents that ended before the recent span, made as the importer reads
    them: one final record each, on paper at the paper station, the careless crew member's often missing
    elements. The paper ones are remembered (id, start, author) for their custody, which follows."""

    def __init__(self, rng, now, crews, paper_station, poor: str, poor_station):
        self.rng, self.now, self.crews = rng, now, crews
        self.paper_station, self.poor, self.poor_station = paper_station, poor, poor_station
        self.incidents = attended.attended_incidents(
            None, finished_before=now - dt.timedelta(days=RECENT_DAYS)
        ).values_list("incident_id", "station_id", "station__code", "first_on_scene", "finished_at")
        self.count = self.incidents.count()
        self.paper: list[dict] = []

    def rows(self):
        stations: dict[int, _Station] = {}
        for number, (incident_id, station_id, code, started, finished) in enumerate(
            self.incidents.iterator(chunk_size=5_000), start=1
        ):
            station = stations.setdefault(station_id, _Station(station_id, code))
            row = _row(self.rng, self.now, incident_id, station, started, finished, self.crews, draft=False)
            row["record_id"] = f"EPCR-H{number:08d}"
            if station.code == self.paper_station.code:
                row["medium"] = "paper"
                self.paper.append(row)
            _give_poor_completeness(self.rng, [row], self.poor, self.poor_station)
            yield row

    def custody(self):
        return _custody(self.rng, self.now, self.paper, lost=[])


class _Station:
    """As much of a station as a record's row needs."""

    def __init__(self, pk, code):
        self.pk, self.code = pk, code


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    hour = rng.choices(
        range(24), weights=[2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 3, 2]
    )
    local = dt.datetime.combine(day, dt.time(hour[0], rng.randrange(60)))
    return timezone.make_aware(local).astimezone(dt.UTC)


def _iso(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds") if moment else ""


def _elements(rng: random.Random, chance: float) -> str:
    return ";".join(element["code"] for element in DEFAULT_ELEMENTS if rng.random() < chance)


def _row(rng, now, incident_id, station, started, finished, crews, *, draft: bool) -> dict:
    crew = crews[station.pk]
    authors = rng.sample(crew, 2) if len(crew) > 1 else list(crew)
    finalised = min(finished + dt.timedelta(minutes=rng.randint(5, 240)), now - dt.timedelta(minutes=1))
    return {
        "record_id": "",
        "incident_reference": incident_id,
        "record_type": "",
        "status": "draft" if draft else "final",
        "created_at": _iso(started),
        "finalised_at": "" if draft else _iso(max(finalised, started)),
        "authors": ";".join(authors),
        "station": station.code,
        "medium": "electronic",
        "provider": "",
        "elements_present": _elements(rng, ELEMENT_PRESENT),
        "patient_staff_number": "",
        "nhs_number": "",
    }


def _mark_paper(rows: list[dict], paper_station) -> None:
    for row in rows:
        if row["station"] == paper_station.code:
            row["medium"] = "paper"


def _give_poor_completeness(rng, rows: list[dict], poor: str, station) -> None:
    """One crew member writes a good share of their station's records, and often misses elements."""
    for row in rows:
        if row["station"] == station.code and rng.random() < 0.4:
            others = [number for number in row["authors"].split(";") if number != poor]
            row["authors"] = ";".join(sorted({poor, *others[:1]}))
            row["elements_present"] = _elements(rng, POOR_ELEMENT_PRESENT)


def _give_staff_records(rng, rows: list[dict], staff: Person) -> list[dict]:
    """The demo paramedic co-writes some of their station's finished records, the last missing an element."""
    theirs = [row for row in rows if row["station"] == staff.station.code and row["status"] == "final"][
        -STAFF_RECORDS:
    ]
    for row in theirs:
        others = [number for number in row["authors"].split(";") if number != staff.staff_number]
        row["authors"] = ";".join(sorted({staff.staff_number, *others[:1]}))
    if theirs:
        present = theirs[-1]["elements_present"].split(";")
        theirs[-1]["elements_present"] = ";".join(
            code for code in present if code not in ("news2", "pain_score")
        )
    return theirs


def _custody(rng, now, paper: list[dict], lost: list[dict]) -> list[dict]:
    """Each paper record's journey: slow to reach the records office, the newest not there yet; the lost
    ones never left the station box."""
    lost_ids = {row["record_id"] for row in lost}
    events = []
    for row in paper:
        at = dt.datetime.fromisoformat(row["created_at"])
        steps = [("completed_on_scene", at + dt.timedelta(minutes=rng.randint(20, 90)))]
        steps.append(("placed_in_station_box", steps[-1][1] + dt.timedelta(hours=rng.uniform(1, 10))))
        steps.append(
            ("collected", steps[-1][1] + dt.timedelta(days=rng.uniform(1, SLOW_CUSTODY_DAYS[1] - 1)))
        )
        steps.append(("received_at_records_office", steps[-1][1] + dt.timedelta(hours=rng.uniform(2, 30))))
        steps.append(("scanned", steps[-1][1] + dt.timedelta(days=rng.uniform(0.2, 2.5))))
        steps.append(("verified", steps[-1][1] + dt.timedelta(hours=rng.uniform(1, 48))))
        by = row["authors"].split(";")[0]
        if row["record_id"] in lost_ids:
            steps = steps[:2]
        for event, occurred in steps:
            if occurred >= now:
                break
            events.append(
                {
                    "record_reference": row["record_id"],
                    "event": event,
                    "by_staff_number": by,
                    "occurred_at": _iso(occurred),
                }
            )
    return events


def _lose(lost: list[dict]) -> None:
    """The information governance lead marks each lost record lost, which raises it as a concern."""
    ig_lead = User.objects.get(email=demo_email("ig.lead"))
    for row in lost:
        services.mark_lost(
            by=ig_lead,
            record=PatientRecord.objects.get(record_id=row["record_id"]),
            circumstances="The station box was searched and the records office has no trace of it.",
        )


def _access(number: str, row: dict, at: dt.datetime, action: str = "view", location: str = "") -> dict:
    return {
        "staff_number": number,
        "record_reference": row["record_id"],
        "accessed_at": _iso(at),
        "action": action,
        "location": location or "ePCR tablet",
    }


def _access_log(rng, now, rows: list[dict]) -> list[dict]:
    """Authors opening their own finished records of the last month: nothing a rule flags."""
    month = [
        row for row in rows if row["finalised_at"] and row["created_at"] > _iso(now - dt.timedelta(days=30))
    ]
    log = []
    for row in rng.sample(month, min(150, len(month))):
        at = dt.datetime.fromisoformat(row["finalised_at"]) - dt.timedelta(minutes=rng.randint(1, 20))
        log.append(_access(row["authors"].split(";")[0], row, at))
    return log


def _unusual_access(rng, now, rows: list[dict], crews, stations, staff: Person) -> list[dict]:
    """A handful of accesses the rules flag: an administrator opening records they had no part in (once at
    night), a clinician opening their own record as a patient, a print, and one burst of many records."""
    clerk = (
        Person.objects.filter(job_role__code="administrator", station__in=stations)
        .order_by("staff_number")
        .first()
    )
    finished = [
        row for row in rows if row["finalised_at"] and row["created_at"] < _iso(now - dt.timedelta(days=3))
    ]
    recent = finished[-400:]
    day = timezone.localtime(now - dt.timedelta(days=5)).date()

    def local(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(day - dt.timedelta(days=days_ago), dt.time(hour, minute))
        )

    log = []
    picked = rng.sample(recent, min(4, len(recent)))
    if len(picked) < 4:
        return []
    if clerk is not None:
        log.append(_access(clerk.staff_number, picked[0], local(2, 11, 20), location="Records office PC"))
        log.append(_access(clerk.staff_number, picked[1], local(1, 23, 40), location="Records office PC"))
    # A crew member at another station than the record's, opening the record of their own care.
    patient = crews[stations[2].pk][0]
    picked[2]["patient_staff_number"] = patient
    log.append(_access(patient, picked[2], local(3, 15, 5), location="Station PC"))
    log.append(_access(picked[3]["authors"].split(";")[0], picked[3], local(0, 10, 15), "print"))
    bursting = crews[stations[3].pk][0]
    for minute, row in enumerate(
        rng.sample(recent, min(len(recent), settings.CANDOUR_RECORDS_BULK_PER_HOUR + 3))
    ):
        log.append(_access(bursting, row, local(4, 14, minute), location="Station PC"))
    return log


def _review_some_alerts() -> None:
    """The information governance lead has reviewed two of the alerts: a print was justified, the
    administrator's daytime look was not."""
    ig_lead = User.objects.get(email=demo_email("ig.lead"))
    printed = AccessAlert.objects.filter(rule=AlertRule.PRINT_EXPORT).first()
    if printed is not None:
        services.review_alert(
            by=ig_lead, alert=printed, justified=True, note="Printed for the coroner's request, logged."
        )
    looked = AccessAlert.objects.filter(rule=AlertRule.NOT_AUTHOR).order_by("occurred_at").first()
    if looked is not None:
        services.review_alert(
            by=ig_lead, alert=looked, justified=False, note="No work reason given; spoken to by the manager."
        )


def _send_staff_a_review(staff: Person, staff_rows: list[dict]) -> None:
    """The clinical audit lead reviewed the demo paramedic's latest record, which was missing two elements."""
    if not staff_rows:
        return
    audit_lead = User.objects.get(email=demo_email("clinical.audit"))
    record = PatientRecord.objects.get(record_id=staff_rows[-1]["record_id"])
    missing = [code for code, present in record.completeness.items() if not present]
    services.send_review(
        by=audit_lead,
        record=record,
        clinician=staff,
        missing=missing,
        why="Without a NEWS2 score and a pain score the receiving team cannot see how the patient changed.",
    )
