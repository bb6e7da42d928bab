"""Importing an incoming apprentice's transfer bundle, made by another Candour trust (see `transfer`).

Each CSV in the zip goes through the importer framework: every file is unpacked and checked before anything
is written, every bad row in every file is reported, and the bundle goes in whole or not at all, in one short
transaction. A zip is small to send and can unpack to far more: each file is refused before it is unpacked if
it says it is larger than a bundle's file can be (CANDOUR_BUNDLE_MAX_FILE_BYTES), and while it is unpacked if
it turns out larger or longer (CANDOUR_BUNDLE_MAX_ROWS) than it said.

The apprentice must already be in this trust's roster, found by staff number with a matching name, so a
bundle can never land on the wrong person. Stations and people (mentors,
signatories) do not travel between trusts: the apprenticeship is placed at the person's own station, without
a mentor, and the caseload then shows it needs one. A safeguarding summary in the bundle is never imported:
the page says it came, for the education lead to pass to the safeguarding team.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

from candour.core import audit
from candour.core.forms import MAX_TEXT_LENGTH
from candour.core.importing import (
    CheckedImport,
    Column,
    Importer,
    ImportResult,
    Invalid,
    Parser,
    Row,
    RowError,
    WriteCounts,
    check_import,
    code_of,
    iso_date,
    quoted,
    text,
    upsert,
    write_together,
)
from candour.core.importing.framework import CHANGED_WHILE_CHECKING, readable_size
from candour.learning.models import (
    Apprenticeship,
    OffTheJobEntry,
    Placement,
    ProgressReview,
    Subject,
    TrainingRecord,
)
from candour.learning.queries.apprenticeships import CURRENT
from candour.learning.services import apprenticeships as services
from candour.learning.services import training
from candour.learning.transfer import BUNDLE_FORMAT, BUNDLE_VERSION, CSV_FILES, MANIFEST, SAFEGUARDING_FILE
from candour.people.models import Person, User

Status = Apprenticeship.Status
# Spooled to disk past this, so a large member does not sit in memory.
SPOOL_BYTES = 1024 * 1024
UNPACK_CHUNK_BYTES = 64 * 1024


def decimal_between(low: Decimal, high: Decimal) -> Parser:
    """A number of hours more than `low` and no more than `high`, to one decimal place."""

    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise Invalid(f"{quoted(value)} is not a number") from None
        if not number.is_finite() or not low < number <= high:
            raise Invalid(f"{quoted(value)} is not more than {low} and at most {high}")
        if number != number.quantize(Decimal("0.1")):
            raise Invalid(f"{quoted(value)} has more than one decimal place")
        return number

    return parse


def _level(value: str) -> int:
    if value not in {str(level) for level in Apprenticeship.Level.values}:
        raise Invalid(f"{quoted(value)} is not a level of apprenticeship (3 or 4)")
    return int(value)


def _status(value: str) -> str:
    if value not in Status.values:
        raise Invalid(f"{quoted(value)} is not a status")
    return value


def _field_text(model, name: str) -> Parser:
    return text(model._meta.get_field(name).max_length)


class ProgrammeImporter(Importer):
    """The one row that says who the apprentice is and what they are studying."""

    key = ("staff_number",)
    spreadsheet_escaped = True

    def __init__(self, *, by: User):
        self.by = by
        self.columns = (
            Column("staff_number", _field_text(Person, "staff_number")),
            Column("given_name", _field_text(Person, "given_name")),
            Column("family_name", _field_text(Person, "family_name")),
            Column("standard", _field_text(Apprenticeship, "standard")),
            Column("level", _level),
            Column("start_date", iso_date),
            Column("planned_end_date", iso_date),
            Column("contracted_hours_per_week", decimal_between(Decimal(0), Decimal(48))),
            Column("status", _status),
            Column("provider_name", text(160)),
            Column("provider_ukprn", text(8), optional=True),
            Column("transferred_on", iso_date, optional=True),
            Column("transferred_to_name", text(160), optional=True),
            Column("transferred_to_ukprn", text(8), optional=True),
        )
        self.rows = 0
        self.person: Person | None = None
        self.apprenticeship: Apprenticeship | None = None

    def check_row(self, row: Row) -> None:
        self.rows += 1
        values = row.values
        person = Person.objects.filter(staff_number=values["staff_number"]).first()
        if person is None:
            raise Invalid(
                f"no one in this trust's staff roster has the staff number {quoted(values['staff_number'])}: "
                "add them through the staff roster import, then import the bundle again",
                column="staff_number",
            )
        self.person = person
        for name in ("given_name", "family_name"):
            if getattr(person, name).casefold() != values[name].casefold():
                raise Invalid(
                    f"the roster has {quoted(getattr(person, name))} for staff number {person.staff_number}, "
                    "so this bundle may be for someone else",
                    column=name,
                )
        if values["planned_end_date"] <= values["start_date"]:
            raise Invalid("the planned end date is not after the start date", column="planned_end_date")
        other = person.apprenticeships.filter(status__in=CURRENT).exclude(
            standard=values["standard"], start_date=values["start_date"]
        )
        if other.exists():
            raise Invalid(f"{person.full_name} already has a current apprenticeship", column="staff_number")

    def check_file(self, keys_in_file) -> list[RowError]:
        if self.rows > 1:
            return [RowError(None, "", "programme.csv must hold one apprentice; it holds more")]
        return []

    def write_batch(self, rows: list[Row]) -> WriteCounts:
        values = rows[0].values
        person = self.person
        # The apprentice now learns with the provider the bundle was made for.
        name = values["transferred_to_name"] or values["provider_name"]
        ukprn = (
            values["transferred_to_ukprn"] if values["transferred_to_name"] else values["provider_ukprn"]
        ) or ""
        provider = services.add_provider(by=self.by, name=name, ukprn=ukprn)
        upserted = upsert(
            Apprenticeship,
            key=("person_id", "standard", "start_date"),
            records=[
                {
                    "person_id": person.pk,
                    "standard": values["standard"],
                    "start_date": values["start_date"],
                    "level": values["level"],
                    "planned_end_date": values["planned_end_date"],
                    "contracted_hours_per_week": values["contracted_hours_per_week"],
                    "provider_id": provider.pk,
                    "station_id": person.station_id,
                    "status": Status.IN_LEARNING,
                }
            ],
        )
        self.apprenticeship = Apprenticeship.objects.get(
            person=person, standard=values["standard"], start_date=values["start_date"]
        )
        return upserted.counts


class _PartImporter(Importer):
    """A part of the apprenticeship, written once the programme has been: every row is checked first, and
    nothing is written unless every file of the bundle is good."""

    model: type
    model_key: tuple[str, ...]
    # An apprentice may have no placements, reviews or training yet.
    allow_empty = True
    spreadsheet_escaped = True

    def __init__(self, programme: ProgrammeImporter):
        self.programme = programme

    def record(self, values: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def write_batch(self, rows: list[Row]) -> WriteCounts:
        apprenticeship = self.programme.apprenticeship
        records = [{"apprenticeship_id": apprenticeship.pk, **self.record(row.values)} for row in rows]
        return upsert(self.model, key=("apprenticeship_id", *self.model_key), records=records).counts


class PlacementImporter(_PartImporter):
    model = Placement
    model_key = ("setting", "starts_on")
    key = ("setting", "starts_on")
    columns = (
        Column("setting", _field_text(Placement, "setting")),
        # Stations are the other trust's; the name travels for people to read, not to link.
        Column("station_name", text(120), optional=True),
        Column("starts_on", iso_date),
        Column("ends_on", iso_date),
    )

    def check_row(self, row: Row) -> None:
        if row.values["ends_on"] < row.values["starts_on"]:
            raise Invalid("the placement ends before it starts", column="ends_on")

    def record(self, values):
        return {"setting": values["setting"], "starts_on": values["starts_on"], "ends_on": values["ends_on"]}


class OffTheJobImporter(_PartImporter):
    model = OffTheJobEntry
    model_key = ("week_starting", "activity")
    key = ("week_starting", "activity")
    columns = (
        Column("week_starting", iso_date),
        Column("hours", decimal_between(Decimal(0), services.MAX_WEEKLY_HOURS)),
        Column("activity", _field_text(OffTheJobEntry, "activity")),
    )

    def record(self, values):
        return {
            "week_starting": values["week_starting"],
            "hours": values["hours"],
            "activity": values["activity"],
        }


class ReviewImporter(_PartImporter):
    """Reviews arrive without welfare answers: the sending trust never exports them."""

    model = ProgressReview
    model_key = ("due_on",)
    key = ("due_on",)
    columns = (
        Column("due_on", iso_date),
        Column("held_on", iso_date, optional=True),
        Column("progress_summary", text(MAX_TEXT_LENGTH), optional=True),
        Column("apprentice_signed_on", iso_date, optional=True),
        # The other trust's staff: kept in the PDF for people, not linked to anyone here.
        Column("employer_signed_by", text(200), optional=True),
        Column("employer_signed_on", iso_date, optional=True),
        Column("provider_signed_by", _field_text(ProgressReview, "provider_signed_by"), optional=True),
        Column("provider_signed_on", iso_date, optional=True),
    )

    def check_row(self, row: Row) -> None:
        values = row.values
        for name in ("apprentice_signed_on", "employer_signed_on", "provider_signed_on"):
            if values[name] and not values["held_on"]:
                raise Invalid("a review cannot be signed before it is held", column=name)

    def record(self, values):
        return {
            "due_on": values["due_on"],
            "held_on": values["held_on"],
            "progress_summary": values["progress_summary"] or "",
            "apprentice_signed_on": values["apprentice_signed_on"],
            "employer_signed_on": values["employer_signed_on"],
            "provider_signed_by": values["provider_signed_by"] or "",
            "provider_signed_on": values["provider_signed_on"],
        }


class TrainingRecordImporter(_PartImporter):
    """Training completed before the move. A record the person already holds here is left as it is."""

    key = ("subject_code", "completed_on")

    def __init__(self, programme: ProgrammeImporter):
        super().__init__(programme)
        subjects = dict(Subject.objects.values_list("code", "pk"))
        self.columns = (
            Column("subject_code", code_of(subjects, "training subject")),
            Column("subject_name", text(120), optional=True),
            Column("completed_on", iso_date),
            Column("hours", decimal_between(Decimal(0), Decimal(999)), optional=True),
            Column("provider", _field_text(TrainingRecord, "provider"), optional=True),
        )

    def write_batch(self, rows: list[Row]) -> WriteCounts:
        person_id = self.programme.apprenticeship.person_id
        held = set(
            TrainingRecord.objects.filter(person_id=person_id).values_list("subject_id", "completed_on")
        )
        new = [
            TrainingRecord(
                person_id=person_id,
                subject_id=row.values["subject_code"],
                completed_on=row.values["completed_on"],
                hours=row.values["hours"],
                provider=row.values["provider"] or "",
                source=TrainingRecord.Source.TRANSFER,
            )
            for row in rows
            if (row.values["subject_code"], row.values["completed_on"]) not in held
        ]
        TrainingRecord.objects.bulk_create(new)
        if new:
            # Records from the previous provider count towards compliance here as any other record does.
            training.refresh_compliance([person_id])
        return WriteCounts(created=len(new), unchanged=len(rows) - len(new))


PART_IMPORTERS: dict[str, Callable[[ProgrammeImporter], Importer]] = {
    "placements.csv": PlacementImporter,
    "off_the_job.csv": OffTheJobImporter,
    "reviews.csv": ReviewImporter,
    "training_records.csv": TrainingRecordImporter,
}


@dataclass(frozen=True)
class BundleError:
    file: str
    error: RowError

    def __str__(self) -> str:
        return f"{self.file}: {self.error}" if self.file else str(self.error)


@dataclass
class BundleResult:
    """What importing a bundle did. With any error, nothing was kept."""

    errors: list[BundleError] = field(default_factory=list)
    results: dict[str, ImportResult] = field(default_factory=dict)
    apprenticeship: Apprenticeship | None = None
    safeguarding_summary_came: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _refused(reason: str) -> BundleResult:
    return BundleResult(errors=[BundleError("", RowError(None, "", reason))])


class _Refused(Exception):
    def __init__(self, reason: str, file: str = ""):
        super().__init__(reason)
        self.error = BundleError(file, RowError(None, "", reason))


def _open(file: BinaryIO) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        raise _Refused(
            "The file is not a zip file. Upload the transfer bundle zip as it was downloaded."
        ) from None
    names = set(archive.namelist())
    missing = [name for name in [MANIFEST, *CSV_FILES] if name not in names]
    if missing:
        raise _Refused(f"The zip is not a transfer bundle: it has no {', '.join(missing)}.")
    limit = settings.CANDOUR_BUNDLE_MAX_FILE_BYTES
    # What each file says it unpacks to, before a byte of it is unpacked.
    too_big = [
        archive.getinfo(name) for name in [MANIFEST, *CSV_FILES] if archive.getinfo(name).file_size > limit
    ]
    if too_big:
        sizes = ", ".join(
            f"{info.filename} would unpack to {readable_size(info.file_size)}" for info in too_big
        )
        raise _Refused(
            f"{sizes}; a file in a transfer bundle can be up to {readable_size(limit)}. Nothing was imported."
        )
    try:
        with _unpacked(archive, MANIFEST) as manifest:
            document = json.loads(manifest.read())
    except ValueError:
        raise _Refused(f"{MANIFEST} is not readable JSON, so the bundle cannot be trusted.") from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise _Refused(f"{MANIFEST} does not describe a Candour apprenticeship transfer bundle.")
    if document.get("version") != BUNDLE_VERSION:
        raise _Refused(
            f"The bundle is version {document.get('version')}; this Candour reads version {BUNDLE_VERSION}."
        )
    return archive


def _unpacked(archive: zipfile.ZipFile, name: str) -> BinaryIO:
    """A file of the zip unpacked to a spooled temporary file, counted as it goes: a file that says it is
    small and is not, or that holds more lines than a bundle can, is refused before it is all unpacked."""
    byte_limit, line_limit = settings.CANDOUR_BUNDLE_MAX_FILE_BYTES, settings.CANDOUR_BUNDLE_MAX_ROWS + 1
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the caller
    size = lines = 0
    try:
        with archive.open(name) as source:
            while chunk := source.read(UNPACK_CHUNK_BYTES):
                size += len(chunk)
                lines += chunk.count(b"\n")
                if size > byte_limit:
                    raise _Refused(
                        f"unpacks to more than {readable_size(byte_limit)}: too large for a bundle's file",
                        name,
                    )
                if lines > line_limit:
                    raise _Refused(
                        f"has more than {line_limit - 1:,} rows: too many for a bundle's file",
                        name,
                    )
                spooled.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        spooled.close()
        raise _Refused("the file is damaged in the zip", name) from None
    except _Refused:
        spooled.close()
        raise
    spooled.seek(0)
    return spooled


def _check(result: BundleResult, archive: zipfile.ZipFile, name: str, importer: Importer) -> CheckedImport:
    with _unpacked(archive, name) as member:
        checked = check_import(importer, member)
    result.results[name] = checked.result
    result.errors += [BundleError(name, error) for error in checked.result.errors]
    return checked


def import_transfer_bundle(*, by: User, file: BinaryIO) -> BundleResult:
    """Create an incoming apprentice's record from another trust's bundle, all or nothing. Call it outside any
    transaction: every file is checked first, then all are written in one transaction with the audit event."""
    try:
        archive = _open(file)
        with archive, contextlib.ExitStack() as stack:
            result = BundleResult(safeguarding_summary_came=SAFEGUARDING_FILE in archive.namelist())
            programme = ProgrammeImporter(by=by)
            checked = [stack.enter_context(_check(result, archive, "programme.csv", programme))]
            for name, make in PART_IMPORTERS.items():
                checked.append(stack.enter_context(_check(result, archive, name, make(programme))))
            if not result.ok:
                return result
            file_name = Path(getattr(file, "name", "") or "").name
            if not write_together(checked, then=lambda: _imported(by, file_name, result, programme)):
                return _refused(CHANGED_WHILE_CHECKING)
    except _Refused as refused:
        return BundleResult(errors=[refused.error])
    result.apprenticeship = programme.apprenticeship
    return result


def _imported(by: User, file_name: str, result: BundleResult, programme: ProgrammeImporter) -> None:
    apprenticeship = programme.apprenticeship
    audit.record(
        action="imported_transfer_bundle",
        actor=by,
        target=apprenticeship,
        summary=f"Transfer bundle imported from {file_name or 'an unnamed file'}",
        changes={
            "file_name": file_name,
            "person": apprenticeship.person.staff_number,
            **{name: outcome.created for name, outcome in result.results.items()},
            "safeguarding_summary_came": result.safeguarding_summary_came,
        },
    )
