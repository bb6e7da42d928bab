"""The records app's three feeds from the ePCR system, through the importer framework (`core.importing`):
each file is read and checked whole, bad rows are named by line, and it goes in all or nothing; the same
file twice changes nothing, and a changed row changes only that row.

- Record index: record_id, incident_reference, record_type (blank for a patient care record), status
  (draft, final, amended), created_at, finalised_at, authors (staff numbers separated by ";"), station (a
  station's code; blank for a private provider's crew), medium (paper, electronic), provider (blank for the
  trust), elements_present (the codes, separated by ";", of the mandatory elements the record has, from the
  set in force on the day it was created), patient_staff_number (when the patient is staff), nhs_number.
  A record whose incident Candour does not know is imported: that is an exception to work, not an error.
- Custody events: record_reference, event (completed_on_scene ... destroyed_after_scanning), by_staff_number,
  occurred_at. An event dated before an earlier step of the same record's custody is named as out of order.
- Access log: staff_number, record_reference, accessed_at, action (view, print, export, amend), location.
  After the rows are written, the access rules are applied to the new rows in the same transaction.

Times are ISO 8601 (2026-11-29T14:05, seconds and an offset optional); a time without an offset is UK time.
Importers are a writer layer beside services (ADR 0023); what follows from a feed goes through services.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from typing import Any, BinaryIO

from django.utils import timezone

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    PreparedUpsert,
    Progress,
    Row,
    RowError,
    RowSource,
    WriteCounts,
    code_of,
    feeds,
    import_audited,
    past_moment,
    prepare_upsert,
    quoted,
    text,
)
from candour.core.nhs_number import digits_of, is_valid
from candour.people.models import OrgUnit
from candour.records.models import (
    PATIENT_CARE_RECORD,
    STEP_CODES,
    AccessAction,
    CustodyEvent,
    CustodyStep,
    ElementSet,
    Medium,
    PatientRecord,
    RecordAccess,
    RecordAuthor,
    RecordStatus,
)
from candour.records.services import raise_alerts_for

STAFF_NUMBER_LENGTH = 20
REFERENCE_LENGTH = 60


def choice_of(choices: dict[str, Any], noun: str) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        if value.lower() in choices:
            return choices[value.lower()]
        raise Invalid(f"{quoted(value)} is not {noun}: one of {', '.join(choices)}")

    return parse


def staff_numbers(value: str) -> list[str]:
    numbers = [number.strip() for number in value.split(";") if number.strip()]
    too_long = [number for number in numbers if len(number) > STAFF_NUMBER_LENGTH]
    if too_long:
        raise Invalid(
            f"{quoted(too_long[0])} is longer than a staff number ({STAFF_NUMBER_LENGTH} characters)"
        )
    return sorted(set(numbers))


def codes(value: str) -> list[str]:
    return sorted({code.strip() for code in value.split(";") if code.strip()})


def nhs_number(value: str) -> str:
    if not is_valid(value):
        raise Invalid(f"{quoted(value)} is not a valid NHS number (10 digits with a correct check digit)")
    return digits_of(value)


# Record index


class RecordIndexImporter(Importer):
    """The ePCR's index of records: identifiers, status, authors, station and completeness, never content."""

    key = ("record_id",)

    def __init__(self):
        stations = OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION).values_list("code", "pk")
        self.sets: dict[str, list[ElementSet]] = defaultdict(list)
        for element_set in ElementSet.objects.order_by("effective_from", "version"):
            self.sets[element_set.record_type].append(element_set)
        self.columns = (
            Column("record_id", text(REFERENCE_LENGTH)),
            Column("incident_reference", text(REFERENCE_LENGTH)),
            Column("record_type", text(60), optional=True),
            Column("status", choice_of({s.value: s.value for s in RecordStatus}, "a record status")),
            Column("created_at", past_moment),
            Column("finalised_at", past_moment, optional=True),
            Column("authors", staff_numbers),
            Column("station", code_of(dict(stations), "station"), optional=True),
            Column("medium", choice_of({m.value: m.value for m in Medium}, "paper or electronic")),
            Column("provider", text(120), optional=True),
            Column("elements_present", codes, optional=True),
            Column("patient_staff_number", text(STAFF_NUMBER_LENGTH), optional=True),
            Column("nhs_number", nhs_number, optional=True),
        )

    def _set_for(self, record_type: str, day: dt.date) -> ElementSet | None:
        in_force = [each for each in self.sets.get(record_type, []) if each.effective_from <= day]
        return in_force[-1] if in_force else None

    def check_row(self, row: Row) -> None:
        values = row.values
        if not values["authors"]:
            raise Invalid("a record has at least one author's staff number", column="authors")
        finalised = values["finalised_at"]
        if values["status"] != RecordStatus.DRAFT and finalised is None:
            raise Invalid(f"a {values['status']} record has the time it was finalised", column="finalised_at")
        if finalised is not None and finalised < values["created_at"]:
            raise Invalid("is before the record was created", column="finalised_at")
        record_type = values["record_type"] or PATIENT_CARE_RECORD
        day = timezone.localtime(values["created_at"]).date()
        element_set = self._set_for(record_type, day)
        if element_set is None:
            raise Invalid(
                f"no mandatory element set for {quoted(record_type)} is in force on {day:%d/%m/%Y}",
                column="record_type",
            )
        unknown = [code for code in values["elements_present"] or [] if code not in element_set.codes]
        if unknown:
            raise Invalid(
                f"{quoted(unknown[0])} is not an element of {record_type} version {element_set.version}, "
                f"whose elements are {', '.join(element_set.codes)}",
                column="elements_present",
            )

    def _record(self, values: dict[str, Any]) -> dict[str, Any]:
        record_type = values["record_type"] or PATIENT_CARE_RECORD
        element_set = self._set_for(record_type, timezone.localtime(values["created_at"]).date())
        present = set(values["elements_present"] or [])
        return {
            "record_id": values["record_id"],
            "incident_reference": values["incident_reference"],
            "record_type": record_type,
            "status": values["status"],
            "started_at": values["created_at"],
            "finalised_at": values["finalised_at"],
            "authors": values["authors"],
            "station_id": values["station"],
            "medium": values["medium"],
            "provider": values["provider"] or "",
            "completeness": {code: code in present for code in element_set.codes},
            "complete": all(code in present for code in element_set.codes),
            "patient_staff_number": values["patient_staff_number"] or "",
            "nhs_number": values["nhs_number"] or "",
        }

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        return prepare_upsert(
            PatientRecord,
            key=self.key,
            records=[self._record(row.values) for row in rows],
            note=("record_id", "authors"),
        )

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        counts = prepared.write()
        # Each new or changed record's authors as rows, replaced whole.
        changed = dict(prepared.noted)
        RecordAuthor.objects.filter(record_reference__in=changed).delete()
        RecordAuthor.objects.bulk_create(
            RecordAuthor(record_reference=record_id, staff_number=number)
            for record_id, authors in changed.items()
            for number in authors
        )
        return counts


def import_record_index(
    *,
    by,
    file: BinaryIO | CsvSource | RowSource,
    then=None,
    progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Bring in the ePCR's record index, all or nothing; `by` is None when a system job imports it."""
    return import_audited(
        RecordIndexImporter(), file, feed="record index", by=by, then=then, progress=progress
    )


# Custody events


class CustodyEventImporter(Importer):
    """Paper records' custody: each step once per record, and every step after the ones before it."""

    key = ("record_reference", "event")

    def __init__(self):
        self.columns = (
            Column("record_reference", text(REFERENCE_LENGTH)),
            Column("event", choice_of(STEP_CODES, "a custody event")),
            Column("by_staff_number", text(STAFF_NUMBER_LENGTH)),
            Column("occurred_at", past_moment),
        )
        # Each record's steps in the file: step -> (when, line).
        self.steps: dict[str, dict[int, tuple[dt.datetime, int]]] = defaultdict(dict)

    def check_row(self, row: Row) -> None:
        values = row.values
        self.steps[values["record_reference"]][values["event"]] = (values["occurred_at"], row.line)

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        references = list(self.steps)
        stored: dict[str, dict[int, dt.datetime]] = defaultdict(dict)
        for start in range(0, len(references), 2_000):
            for reference, step, occurred_at in CustodyEvent.objects.filter(
                record_reference__in=references[start : start + 2_000]
            ).values_list("record_reference", "step", "occurred_at"):
                stored[reference][step] = occurred_at
        for reference, in_file in self.steps.items():
            chain = {step: (when, None) for step, when in stored[reference].items()}
            chain.update(in_file)
            ordered = sorted(chain.items())
            for (earlier, (earlier_at, earlier_line)), (later, (later_at, later_line)) in itertools.pairwise(
                ordered
            ):
                if later_at >= earlier_at:
                    continue
                # Blame the file's row; a step already imported is named as such.
                line = later_line if later_line is not None else earlier_line
                seen = "already imported" if earlier_line is None else f"line {earlier_line}"
                if later_line is None:
                    seen = "this line; the later step was already imported"
                yield RowError(
                    line,
                    "occurred_at",
                    f"out of order: record {quoted(reference)} was {CustodyStep(later).label.lower()} at "
                    f"{_shown(later_at)}, before it was {CustodyStep(earlier).label.lower()} at "
                    f"{_shown(earlier_at)} ({seen})",
                )

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [
            {
                "record_reference": row.values["record_reference"],
                "step": row.values["event"],
                "by_staff_number": row.values["by_staff_number"],
                "occurred_at": row.values["occurred_at"],
            }
            for row in rows
        ]
        return prepare_upsert(CustodyEvent, key=("record_reference", "step"), records=records)

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()


def _shown(moment_: dt.datetime) -> str:
    return f"{timezone.localtime(moment_):%d/%m/%Y %H:%M}"


def import_custody_events(
    *,
    by,
    file: BinaryIO | CsvSource | RowSource,
    then=None,
    progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Bring in paper records' custody events, all or nothing; an event out of order is named."""
    return import_audited(
        CustodyEventImporter(), file, feed="custody events", by=by, then=then, progress=progress
    )


# Access log


ACCESS_KEY = ("staff_number", "record_reference", "accessed_at", "action")


class RecordAccessImporter(Importer):
    """The ePCR's access log; the rules run on the rows it adds, once they are written."""

    key = ACCESS_KEY

    def __init__(self):
        self.columns = (
            Column("staff_number", text(STAFF_NUMBER_LENGTH)),
            Column("record_reference", text(REFERENCE_LENGTH)),
            Column("accessed_at", past_moment),
            Column("action", choice_of({a.value: a.value for a in AccessAction}, "an access action")),
            Column("location", text(120), optional=True),
        )
        self.added: list[tuple] = []
        self.alerts_raised = 0

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [{**row.values, "location": row.values["location"] or ""} for row in rows]
        prepared = prepare_upsert(RecordAccess, key=ACCESS_KEY, records=records, note=ACCESS_KEY)
        self.added += prepared.noted
        return prepared

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()

    def after_write(self) -> WriteCounts:
        wanted = {(staff, record, at.astimezone(dt.UTC), action) for staff, record, at, action in self.added}
        by_person: dict[str, list[dt.datetime]] = defaultdict(list)
        for staff, _record, at, _action in wanted:
            by_person[staff].append(at)
        ids = []
        for staff, times in by_person.items():
            rows = RecordAccess.objects.filter(
                staff_number=staff, accessed_at__gte=min(times), accessed_at__lte=max(times)
            ).values_list("pk", "staff_number", "record_reference", "accessed_at", "action")
            ids += [pk for pk, *key in rows if (key[0], key[1], key[2].astimezone(dt.UTC), key[3]) in wanted]
        self.alerts_raised = raise_alerts_for(access_ids=ids)
        return WriteCounts()


def import_record_access(
    *,
    by,
    file: BinaryIO | CsvSource | RowSource,
    then=None,
    progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Bring in the ePCR's access log, all or nothing, and raise the alerts its new rows call for."""
    importer = RecordAccessImporter()
    return import_audited(
        importer,
        file,
        feed="record access log",
        by=by,
        then=then,
        details=lambda: {"alerts_raised": importer.alerts_raised},
        progress=progress,
    )


# Other systems send these feeds as rows through the integration API (core.importing.feeds). The record
# index importer reads stations and element sets when made, so its columns are named here, not asked of it
# at start-up (tests/records/test_feeds.py holds the two together).
RECORD_INDEX_COLUMNS = (
    "record_id",
    "incident_reference",
    "record_type",
    "status",
    "created_at",
    "finalised_at",
    "authors",
    "station",
    "medium",
    "provider",
    "elements_present",
    "patient_staff_number",
    "nhs_number",
)


def _column_names(importer: type[Importer]) -> tuple[str, ...]:
    return tuple(column.name for column in importer().columns)


def _sent(run):
    def import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
        return run(by=None, file=source, then=then, progress=progress)

    return import_sent_rows


feeds.register(
    feeds.Feed(
        key="record_index",
        title="Patient record index",
        columns=RECORD_INDEX_COLUMNS,
        example={
            "record_id": "EPCR-00012345",
            "incident_reference": "INC-2026-004512",
            "record_type": "",
            "status": "final",
            "created_at": "2026-03-02T14:25:00+00:00",
            "finalised_at": "2026-03-02T16:10:00+00:00",
            "authors": "100234;100871",
            "station": "NM-ST-01",
            "medium": "electronic",
            "provider": "",
            "elements_present": "observations_two_sets;news2;pain_score;safeguarding_question",
            "patient_staff_number": "",
            "nhs_number": "",
        },
        run=_sent(import_record_index),
    )
)
feeds.register(
    feeds.Feed(
        key="custody_events",
        title="Paper record custody events",
        columns=_column_names(CustodyEventImporter),
        example={
            "record_reference": "EPCR-00012345",
            "event": "received_at_records_office",
            "by_staff_number": "100555",
            "occurred_at": "2026-03-03T09:40:00+00:00",
        },
        run=_sent(import_custody_events),
    )
)
feeds.register(
    feeds.Feed(
        key="record_access_log",
        title="Patient record access log",
        columns=_column_names(RecordAccessImporter),
        example={
            "staff_number": "100234",
            "record_reference": "EPCR-00012345",
            "accessed_at": "2026-03-02T16:12:00+00:00",
            "action": "view",
            "location": "ePCR tablet",
        },
        run=_sent(import_record_access),
    )
)
