"""Importing the staff roster exported from the HR system."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from candour.core.importing import RowSource
from candour.core.importing.framework import CHECKING
from candour.core.models import AuditEvent
from candour.people.importers import StaffRosterImporter, import_staff_roster
from candour.people.models import CoreService, JobRole, OrgUnit, Person, ProfessionalGroup

COLUMNS = [
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
]
HEADER = ",".join(COLUMNS)


@pytest.fixture
def trust(db):
    """Northmoor with one area of two stations, two job roles and a core service."""
    trust = OrgUnit.objects.create(kind=OrgUnit.Kind.TRUST, name="Northmoor", code="NMAS")
    area = OrgUnit.objects.create(kind=OrgUnit.Kind.AREA, name="Moorside", code="NM-A1", parent=trust)
    for code in ("NM-S1", "NM-S2"):
        OrgUnit.objects.create(kind=OrgUnit.Kind.STATION, name=f"Station {code}", code=code, parent=area)
    JobRole.objects.create(
        code="paramedic", name="Paramedic", professional_group=ProfessionalGroup.ALLIED_HEALTH
    )
    JobRole.objects.create(code="ecsw", name="Emergency care support worker", professional_group="students")
    CoreService.objects.get_or_create(
        slug="emergency-urgent-care", defaults={"name": "Emergency and urgent care"}
    )
    return trust


def row(staff_number: str, **cells: str) -> str:
    values = {
        "staff_number": staff_number,
        "given_name": "Alex",
        "family_name": f"Moor{staff_number}",
        "job_role_code": "paramedic",
        "station_code": "NM-S1",
        "start_date": "2020-04-01",
        "leave_date": "",
        "line_manager_staff_number": "",
        "is_apprentice": "N",
        "core_service_slug": "",
    } | cells
    return ",".join(values[column] for column in COLUMNS)


def roster(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\n" for line in (header, *rows)).encode())


def import_roster(*rows: str, header: str = HEADER):
    return import_staff_roster(by=None, file=roster(*rows, header=header))


def problems(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_staff_import_good_file_creates_people_with_their_details(trust):
    result = import_roster(
        row("1001", given_name="Sam", job_role_code="ecsw", station_code="NM-S2", is_apprentice="Y"),
        row(
            "1002",
            start_date="2019-01-07",
            leave_date="2024-06-30",
            core_service_slug="emergency-urgent-care",
        ),
    )

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
    apprentice = Person.objects.get(staff_number="1001")
    assert (apprentice.given_name, apprentice.job_role.code, apprentice.station.code) == (
        "Sam",
        "ecsw",
        "NM-S2",
    )
    assert apprentice.is_apprentice and apprentice.core_service is None
    leaver = Person.objects.get(staff_number="1002")
    assert (leaver.start_date, leaver.leave_date) == (dt.date(2019, 1, 7), dt.date(2024, 6, 30))
    assert leaver.core_service.slug == "emergency-urgent-care"


def test_staff_import_links_line_managers_earlier_later_or_already_stored(trust):
    import_roster(row("9000"))

    result = import_roster(
        row("1001"),
        row("1002", line_manager_staff_number="1001"),
        row("1003", line_manager_staff_number="1004"),
        row("1004", line_manager_staff_number="9000"),
    )

    assert result.ok
    managers = dict(Person.objects.values_list("staff_number", "line_manager__staff_number"))
    assert managers == {"9000": None, "1001": None, "1002": "1001", "1003": "1004", "1004": "9000"}


def test_staff_import_records_one_audit_event_summarising_it(trust, make_user, tmp_path):
    importer = make_user()
    path = tmp_path / "esr-2024-06.csv"
    path.write_bytes(roster(row("1001"), row("1002")).getvalue())
    before = AuditEvent.objects.count()

    with path.open("rb") as file:
        import_staff_roster(by=importer, file=file)

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.summary == "Staff roster imported from esr-2024-06.csv: 2 created, 0 updated, 0 unchanged"
    assert (event.action, event.actor, event.changes["created"], event.changes["rows_read"]) == (
        "imported",
        importer,
        2,
        2,
    )


def test_staff_import_same_file_again_changes_nothing(trust):
    rows = [row("1001"), row("1002", line_manager_staff_number="1003"), row("1003", leave_date="2030-01-01")]
    import_roster(*rows)
    stored = list(Person.objects.values_list("staff_number", "updated_at", "line_manager_id"))
    events = AuditEvent.objects.count()

    result = import_roster(*rows)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Person.objects.values_list("staff_number", "updated_at", "line_manager_id")) == stored
    assert AuditEvent.objects.count() == events + 1


def test_staff_import_changed_row_updates_only_that_person(trust):
    import_roster(row("1001"), row("1002"))

    result = import_roster(row("1001", family_name="Married", station_code="NM-S2"), row("1002"), row("1003"))

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    changed = Person.objects.get(staff_number="1001")
    assert (changed.family_name, changed.station.code) == ("Married", "NM-S2")


def test_staff_import_new_line_manager_alone_counts_as_an_update(trust):
    import_roster(row("1001"), row("1002"))

    result = import_roster(row("1001", line_manager_staff_number="1003"), row("1002"), row("1003"))

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Person.objects.get(staff_number="1001").line_manager.staff_number == "1003"


def test_staff_import_blank_line_manager_clears_the_link(trust):
    import_roster(row("1001"), row("1002", line_manager_staff_number="1001"))

    result = import_roster(row("1001"), row("1002"))

    assert (result.updated, result.unchanged) == (1, 1)
    assert Person.objects.get(staff_number="1002").line_manager is None


def test_staff_import_bad_dates_are_reported_per_row(trust):
    result = import_roster(
        row("1001", start_date="01/04/2020"),
        row("1002", start_date="2023-02-29"),
        row("1003", start_date="2021-05-01", leave_date="2021-04-30"),
        row("1004", start_date=""),
    )

    assert problems(result) == [
        "Line 2, start_date: '01/04/2020' is not a date in the form YYYY-MM-DD",
        "Line 3, start_date: '2023-02-29' is not a date in the form YYYY-MM-DD",
        "Line 4, leave_date: 2021-04-30 is before the start date, 2021-05-01",
        "Line 5, start_date: a value is required",
    ]


def test_staff_import_unknown_codes_and_staff_numbers_are_reported_per_row(trust):
    result = import_roster(
        row("1001", job_role_code="surgeon"),
        row("1002", station_code="NM-S9"),
        row("1003", core_service_slug="air-ambulance"),
        row("1004", line_manager_staff_number="4040"),
        row("1005", is_apprentice="yes"),
    )

    assert problems(result) == [
        "Line 2, job_role_code: no job role has the code 'surgeon'",
        "Line 3, station_code: no station has the code 'NM-S9'",
        "Line 4, core_service_slug: no core service has the code 'air-ambulance'",
        "Line 5, line_manager_staff_number: no person has the staff number '4040', in this file or already "
        "stored",
        "Line 6, is_apprentice: 'yes' is not Y or N",
    ]


def test_staff_import_station_code_that_is_not_a_station_is_refused(trust):
    result = import_roster(row("1001", station_code="NM-A1"), row("1002", station_code="NMAS"))

    assert problems(result) == [
        "Line 2, station_code: 'NM-A1' is Moorside (Area), not a station",
        "Line 3, station_code: 'NMAS' is Northmoor (Trust), not a station",
    ]


def test_staff_import_person_cannot_be_their_own_line_manager(trust):
    result = import_roster(row("1001", line_manager_staff_number="1001"))

    assert problems(result) == [
        "Line 2, line_manager_staff_number: a person cannot be their own line manager"
    ]


def test_staff_import_with_any_bad_row_writes_nothing(trust):
    events = AuditEvent.objects.count()

    result = import_roster(
        row("1001"), row("1002", line_manager_staff_number="1001"), row("1003", start_date="x")
    )

    assert (result.error_count, result.created) == (1, 0)
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


def test_staff_import_wrong_columns_are_reported(trust):
    header = HEADER.replace("is_apprentice", "apprentice")

    result = import_roster(row("1001"), header=header)

    assert problems(result) == [
        "Line 1, is_apprentice: missing from the header",
        f"Line 1, apprentice: not a column of this feed, whose columns are {', '.join(COLUMNS)}",
    ]


def test_staff_import_repeated_staff_number_is_reported(trust):
    result = import_roster(row("1001"), row("1002"), row("1001", given_name="Twin"))

    assert problems(result) == ["Line 4, staff_number: '1001' is also on line 2"]


def test_staff_import_file_in_the_wrong_encoding_names_the_line(trust):
    file = io.BytesIO(f"{HEADER}\n{row('1001')}\n{row('1002', given_name='Zoë')}\n".encode("latin-1"))

    result = import_staff_roster(by=None, file=file)

    assert result.errors[0].line == 3 and "not UTF-8 text" in result.errors[0].reason
    assert not Person.objects.exists()


def test_staff_import_truncated_file_is_reported_as_a_bad_row(trust):
    cut_mid_row = f"{HEADER}\n{row('1001')}\n{row('1002')[:15]}".encode()
    cut_mid_quote = f'{HEADER}\n{row("1001")}\n1002,"Alex'.encode()

    mid_row = import_staff_roster(by=None, file=io.BytesIO(cut_mid_row))
    mid_quote = import_staff_roster(by=None, file=io.BytesIO(cut_mid_quote))

    assert problems(mid_row) == ["Line 3: 3 values, but the header has 10 columns"]
    assert problems(mid_quote) == ["Line 3: the file ends inside a quoted value, so it looks cut short"]
    assert not Person.objects.exists()


def test_staff_import_interrupted_midway_leaves_nothing_behind(trust, monkeypatch):
    def fail_linking(self):
        raise RuntimeError("the server stopped")

    monkeypatch.setattr(StaffRosterImporter, "after_write", fail_linking)
    events = AuditEvent.objects.count()

    with pytest.raises(RuntimeError):
        import_roster(*[row(str(1000 + n)) for n in range(3_000)])

    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


def test_staff_import_file_over_the_size_limit_is_refused(trust, settings):
    settings.CANDOUR_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    file = roster(*[row(str(100_000 + n), given_name="A" * 60) for n in range(50_000)])

    result = import_staff_roster(by=None, file=file)

    assert problems(result) == ["The file is 5.3 MB; files up to 5.0 MB can be imported."]
    assert result.rows_read == 0 and not Person.objects.exists()


# tracemalloc slows the ORM's bulk writes sevenfold; the kernel's note of peak resident memory costs nothing.
CLEAR_REFS = Path("/proc/self/clear_refs")


def peak_resident_kib() -> int:
    return int(re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())[1])


@pytest.mark.skipif(not CLEAR_REFS.exists(), reason="reads peak memory from Linux's /proc")
def test_staff_import_of_a_large_file_keeps_memory_bounded(trust, tmp_path):
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write(f"{HEADER}\n")
        for n in range(50_000):
            # Every hundredth person manages the others near them: some above them in the file, some below.
            head = n // 100 * 100 + (100 if n % 2 else 0)
            manager = "" if n % 100 == 0 else str(100_000 + head % 50_000)
            file.write(f"{row(str(100_000 + n), line_manager_staff_number=manager, station_code='NM-S2')}\n")
    CLEAR_REFS.write_text("5")  # resets the peak to what the process holds now
    baseline = peak_resident_kib()

    with path.open("rb") as file:
        result = import_staff_roster(by=None, file=file)

    # The growth includes the in-memory test database itself, which takes about 30 MB for these rows.
    assert peak_resident_kib() - baseline < 60 * 1024
    assert (problems(result), result.created) == ([], 50_000)
    assert Person.objects.filter(line_manager__isnull=False).count() == 49_500


def test_import_staff_command_prints_the_counts(trust, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster(row("1001"), row("1002")).getvalue())

    call_command("import_staff", str(path))

    assert capsys.readouterr().out == f"Read 2 rows from {path}: 2 created, 0 updated, 0 unchanged.\n"


def test_import_staff_command_prints_every_bad_row_and_fails(trust, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster(row("1001", start_date="soon"), row("1002", job_role_code="pilot")).getvalue())

    with pytest.raises(CommandError, match="2 problems"):
        call_command("import_staff", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "Line 2, start_date: 'soon' is not a date in the form YYYY-MM-DD",
        "Line 3, job_role_code: no job role has the code 'pilot'",
    ]
    assert not Person.objects.exists()


def test_staff_import_of_only_a_header_is_refused_not_reported_as_done(trust):
    result = import_roster()

    assert problems(result) == ["The file has a header but no rows under it, so there is nothing to import."]
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_staff_import_nul_byte_names_its_line_and_column_and_writes_nothing(trust):
    result = import_roster(row("1001"), row("1002", family_name="Moor\x00"))

    assert [(error.line, error.column) for error in result.errors] == [(3, "family_name")]
    assert not Person.objects.exists()


def test_staff_import_rows_sent_as_data_link_managers_as_the_file_does(trust):
    lines = (row("1001"), row("1002", line_manager_staff_number="1001"))
    rows = [dict(zip(COLUMNS, line.split(","), strict=True)) for line in lines]

    result = import_staff_roster(by=None, file=RowSource(rows))

    assert result.ok and result.created == 2
    assert Person.objects.get(staff_number="1002").line_manager.staff_number == "1001"


@pytest.mark.django_db(transaction=True)
def test_staff_import_checks_every_row_outside_any_transaction(trust):
    seen = []

    def note(step):
        seen.append((step.stage, connection.in_atomic_block))

    result = import_staff_roster(by=None, file=roster(row("1001"), row("1002")), progress=note)

    assert result.ok
    assert (CHECKING, True) not in seen and (CHECKING, False) in seen
