"""The staff roster feed from the HR system (an ESR export): one row per person, keyed by staff number.

Checked whole before anything is written, then written in one short transaction with its audit event
(ADR 0023: importers are a writer layer beside services).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

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
    RowError,
    RowSource,
    WriteCounts,
    code_of,
    feeds,
    import_audited,
    iso_date,
    prepare_upsert,
    quoted,
    text,
    yes_no,
)
from candour.people.models import CoreService, JobRole, OrgUnit, Person, User
from candour.people.roles import Permission
from candour.people.signals import people_changed


@dataclass(frozen=True)
class _ManagerLink:
    line: int
    staff_number: str
    manager_number: str | None


class StaffRosterImporter(Importer):
    """Creates and updates people from the roster; line managers are linked once everyone is stored."""

    key = ("staff_number",)

    def __init__(self):
        # Reference data is small: load it once rather than query for every row.
        self.columns = (
            Column("staff_number", _person_text("staff_number")),
            Column("given_name", _person_text("given_name")),
            Column("family_name", _person_text("family_name")),
            Column("job_role_code", code_of(dict(JobRole.objects.values_list("code", "pk")), "job role")),
            Column("station_code", _station()),
            Column("start_date", iso_date),
            Column("leave_date", iso_date, optional=True),
            Column("line_manager_staff_number", _person_text("staff_number"), optional=True),
            Column("is_apprentice", yes_no),
            Column(
                "core_service_slug",
                code_of(dict(CoreService.objects.values_list("slug", "pk")), "core service"),
                optional=True,
            ),
        )
        self.links: list[_ManagerLink] = []
        # Staff numbers the first pass found unchanged: a new line manager alone still makes them updated.
        self.first_pass_unchanged: set[str] = set()

    def check_row(self, row: Row) -> None:
        values = row.values
        if values["leave_date"] and values["leave_date"] < values["start_date"]:
            reason = f"{values['leave_date']} is before the start date, {values['start_date']}"
            raise Invalid(reason, column="leave_date")
        if values["line_manager_staff_number"] == values["staff_number"]:
            raise Invalid("a person cannot be their own line manager", column="line_manager_staff_number")
        self.links.append(_ManagerLink(row.line, values["staff_number"], values["line_manager_staff_number"]))

    def check_file(self, keys_in_file: Container[tuple]) -> Iterator[RowError]:
        """A line manager must be in this file or already stored."""
        elsewhere = [
            link for link in self.links if link.manager_number and (link.manager_number,) not in keys_in_file
        ]
        for links in _batches(elsewhere):
            numbers = {link.manager_number for link in links}
            stored = set(
                Person.objects.filter(staff_number__in=numbers).values_list("staff_number", flat=True)
            )
            for link in links:
                if link.manager_number not in stored:
                    number = quoted(link.manager_number)
                    reason = f"no person has the staff number {number}, in this file or already stored"
                    yield RowError(link.line, "line_manager_staff_number", reason)

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [_person_fields(row.values) for row in rows]
        prepared = prepare_upsert(Person, key=self.key, records=records, note=self.key)
        changing = {staff_number for (staff_number,) in prepared.noted}
        self.first_pass_unchanged.update({record["staff_number"] for record in records} - changing)
        return prepared

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()

    def after_write(self) -> WriteCounts:
        """Link everyone to their line manager; anyone whose only change is the manager counts as updated."""
        newly_updated = 0
        for links in _batches(self.links):
            numbers = {
                number for link in links for number in (link.staff_number, link.manager_number) if number
            }
            stored = {
                staff_number: (pk, manager_id)
                for staff_number, pk, manager_id in Person.objects.filter(
                    staff_number__in=numbers
                ).values_list("staff_number", "pk", "line_manager_id")
            }
            reports_by_manager = defaultdict(list)
            for link in links:
                pk, manager_id = stored[link.staff_number]
                new_manager_id = stored[link.manager_number][0] if link.manager_number else None
                if manager_id != new_manager_id:
                    reports_by_manager[new_manager_id].append(pk)
                    newly_updated += link.staff_number in self.first_pass_unchanged
            for manager_id, pks in reports_by_manager.items():
                # One UPDATE per manager: a team shares its manager, and bulk_update's CASE per row is slow.
                Person.objects.filter(pk__in=pks).update(
                    line_manager_id=manager_id, updated_at=timezone.now()
                )
        return WriteCounts(updated=newly_updated, unchanged=-newly_updated)


def import_staff_roster(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the HR system's staff roster (or rows sent as data), all or nothing; `by` is None when a
    system job imports it. Call it outside any transaction: it checks first, then writes in one of its own.
    `then(result)` runs in the writing transaction (or with the refused result, when nothing is written)."""
    return import_audited(
        StaffRosterImporter(),
        file,
        feed="staff roster",
        by=by,
        progress=progress,
        then=lambda result: _imported(result, then),
    )


def _imported(result: ImportResult, then=None) -> None:
    # A refused import's result counts nothing created or updated, so nobody is told of it.
    if result.created or result.updated:
        # Which rows changed is not kept while streaming; listeners reconcile against what is stored.
        transaction.on_commit(lambda: people_changed.send(sender=StaffRosterImporter, person_ids=None))
    if then is not None:
        then(result)


def _person_text(field_name: str) -> Parser:
    return text(max_length=Person._meta.get_field(field_name).max_length)


def _station() -> Parser:
    units = {
        code: (pk, kind, name)
        for code, pk, kind, name in OrgUnit.objects.values_list("code", "pk", "kind", "name")
    }

    def parse(code: str) -> int:
        if code not in units:
            raise Invalid(f"no station has the code {quoted(code)}")
        pk, kind, name = units[code]
        if kind != OrgUnit.Kind.STATION:
            raise Invalid(f"{quoted(code)} is {name} ({OrgUnit.Kind(kind).label}), not a station")
        return pk

    return parse


def _person_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "staff_number": values["staff_number"],
        "given_name": values["given_name"],
        "family_name": values["family_name"],
        "job_role_id": values["job_role_code"],
        "station_id": values["station_code"],
        "core_service_id": values["core_service_slug"],
        "start_date": values["start_date"],
        "leave_date": values["leave_date"],
        "is_apprentice": values["is_apprentice"],
    }


def _batches(items: Sequence[_ManagerLink]) -> Iterator[Sequence[_ManagerLink]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _import_sent_rows(source: RowSource, *, then, progress=None, by: User | None = None) -> ImportResult:
    return import_staff_roster(by=by, file=source, then=then, progress=progress)


# Other systems send this feed as rows through the integration API, and administrators upload its files on
# the import pages (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="staff_roster",
        title="Staff roster",
        columns=(
            "staff_number",
            "given_name",
            "family_name",
            "job_role_code",
            "station_code",
            "start_date",
            "leave_date",
            "line_manager_staff_number",
            "is_apprentice",
            "core_service_slug",
        ),
        example={
            "staff_number": "100234",
            "given_name": "Sam",
            "family_name": "Okafor",
            "job_role_code": "paramedic",
            "station_code": "NM-ST-01",
            "start_date": "2021-09-01",
            "leave_date": "",
            "line_manager_staff_number": "100101",
            "is_apprentice": "no",
            "core_service_slug": "",
        },
        run=_import_sent_rows,
        permission=Permission.MANAGE_PEOPLE,
        results_page=("See people", "people:list_people"),
    )
)
