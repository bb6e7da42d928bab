"""The ePCR's medicines export, through the importer framework (`core.importing`): every dose a patient
record gives, or wastes, for matching with the registers. The file is read and checked whole, bad rows are
named by line, and it goes in all or nothing; the same file twice changes nothing.

Columns: incident_reference, drug (as the ePCR names it: "Morphine sulfate"), dose ("10 mg"), quantity
(whole units), given_at (ISO 8601, 2026-11-21T14:05; without an offset it is UK time; never in the
future), clinician_staff_number, wasted (Y or N). A row is one dose: the same incident, drug, time,
clinician and wastage flag twice in one file is named as a repeat; a row already imported with a different
dose or quantity is updated. Once the rows are in, every patient record entry not yet matched is matched
with the registers (`services.reconciliation`), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import BinaryIO

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    PreparedUpsert,
    Progress,
    Row,
    RowSource,
    WriteCounts,
    feeds,
    import_audited,
    past_moment,
    prepare_upsert,
    quoted,
    text,
    yes_no,
)
from candour.medicines.models import PatientRecordMedicine
from candour.medicines.services.reconciliation import match_patient_records

KEY = ("incident_reference", "drug", "given_at", "clinician_staff_number", "wasted")
HEADER = ("incident_reference", "drug", "dose", "quantity", "given_at", "clinician_staff_number", "wasted")


def moment(value: str) -> dt.datetime:
    """A moment the ePCR reports (core.importing's past_moment), stored in UTC."""
    return past_moment(value).astimezone(dt.UTC)


def whole_units(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise Invalid(f"{quoted(value)} is not a whole number of units, 1 or more")
    return int(value)


class PatientRecordMedicineImporter(Importer):
    """Doses given and wasted, as patient records give them."""

    key = KEY
    columns = (
        Column("incident_reference", text(40)),
        Column("drug", text(80)),
        Column("dose", text(60), optional=True),
        Column("quantity", whole_units),
        Column("given_at", moment),
        Column("clinician_staff_number", text(20)),
        Column("wasted", yes_no),
    )

    def __init__(self):
        self.matched = 0

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [{**row.values, "dose": row.values["dose"] or ""} for row in rows]
        return prepare_upsert(PatientRecordMedicine, key=KEY, records=records)

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()

    def after_write(self) -> WriteCounts:
        self.matched = match_patient_records()
        return WriteCounts()


def import_patient_record_medicines(
    *,
    by,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the ePCR's medicines export, all or nothing, and match it with the registers; `by` is None
    when a system job imports it. `then(result)` runs in the transaction that writes (or after checking,
    when nothing is written)."""
    importer = PatientRecordMedicineImporter()
    return import_audited(
        importer,
        file,
        feed="ePCR medicines",
        by=by,
        progress=progress,
        then=then,
        details=lambda: {"matched": importer.matched},
    )


def _import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
    return import_patient_record_medicines(by=None, file=source, progress=progress, then=then)


# The ePCR may send its export as rows through the integration API (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="epcr_medicines",
        title="ePCR medicines",
        columns=HEADER,
        example={
            "incident_reference": "NM-261121-00412",
            "drug": "Morphine sulfate",
            "dose": "10 mg",
            "quantity": "1",
            "given_at": "2026-11-21T14:05",
            "clinician_staff_number": "N10234",
            "wasted": "N",
        },
        run=_import_sent_rows,
    )
)
