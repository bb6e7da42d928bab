"""The importer framework, driven by a small feed of job roles written through `upsert`."""

import datetime as dt
import io
import tracemalloc
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from candour.core.importing import (
    CheckedImport,
    Column,
    Importer,
    Invalid,
    RowError,
    RowSource,
    WriteCounts,
    check_import,
    code_of,
    day_date,
    import_audited,
    iso_date,
    prepare_upsert,
    run_import,
    text,
    upsert,
    write_together,
    yes_no,
)
from candour.core.importing.framework import CHANGED_WHILE_CHECKING, WRITING
from candour.core.importing.upsert import _converter
from candour.core.models import AuditEvent
from candour.people.models import JobRole, Membership, ProfessionalGroup
from candour.people.roles import Role
from tests.support import factories

HEADER = "code,name,group,clinical"


class JobRoleImporter(Importer):
    key = ("code",)
    columns = (
        Column("code", text(max_length=40)),
        Column("name", text(max_length=120)),
        Column(
            "group", code_of({group.value: group.value for group in ProfessionalGroup}, "professional group")
        ),
        Column("clinical", yes_no),
    )

    def write_batch(self, rows):
        records = [
            {
                "code": row.values["code"],
                "name": row.values["name"],
                "professional_group": row.values["group"],
                "is_clinical": row.values["clinical"],
            }
            for row in rows
        ]
        return upsert(JobRole, key=self.key, records=records).counts


def csv_file(*lines: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\r\n" for line in lines).encode(encoding))


def roles(count: int) -> list[str]:
    return [f"role-{n},Role {n},allied_health,Y" for n in range(count)]


def test_import_good_file_creates_every_row(db):
    file = csv_file(HEADER, "paramedic,Paramedic,allied_health,Y", "", "ecsw,ECSW,students,n")

    result = run_import(JobRoleImporter(), file)

    assert result.ok
    assert (result.created, result.updated, result.unchanged, result.rows_read) == (2, 0, 0, 2)
    assert JobRole.objects.get(code="ecsw").professional_group == "students"
    assert JobRole.objects.get(code="paramedic").is_clinical


def test_import_same_file_again_changes_nothing(db):
    run_import(JobRoleImporter(), csv_file(HEADER, *roles(3)))
    stamped = dict(JobRole.objects.values_list("code", "updated_at"))

    result = run_import(JobRoleImporter(), csv_file(HEADER, *roles(3)))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert dict(JobRole.objects.values_list("code", "updated_at")) == stamped


def test_import_changed_row_is_updated_and_the_rest_left_alone(db):
    run_import(JobRoleImporter(), csv_file(HEADER, *roles(3)))
    before = JobRole.objects.get(code="role-1").updated_at

    result = run_import(
        JobRoleImporter(),
        csv_file(HEADER, *roles(3)[:1], "role-1,Renamed,allied_health,N", "new,New,nursing,Y"),
    )

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    changed = JobRole.objects.get(code="role-1")
    assert (changed.name, changed.is_clinical) == ("Renamed", False)
    assert changed.updated_at > before
    assert JobRole.objects.filter(code="role-2").exists()  # a row missing from the file is not deleted


def test_import_byte_order_mark_is_tolerated(db):
    result = run_import(JobRoleImporter(), csv_file(HEADER, *roles(1), encoding="utf-8-sig"))

    assert result.ok and result.created == 1


def test_import_file_not_in_utf8_is_refused_naming_the_line(db):
    file = csv_file(HEADER, *roles(3), "care-asst,Care assistant £,students,N", encoding="cp1252")

    result = run_import(JobRoleImporter(), file)

    assert result.error_count == 1
    assert result.errors[0].line == 5
    assert "not UTF-8 text" in result.errors[0].reason and "CSV UTF-8" in result.errors[0].reason
    assert not JobRole.objects.exists()


def test_import_missing_unknown_and_repeated_columns_are_reported(db):
    result = run_import(JobRoleImporter(), csv_file("code,name,colour,code", "x,X,red,x"))

    assert {(error.column, error.reason.split(",")[0]) for error in result.errors} == {
        ("group", "missing from the header"),
        ("clinical", "missing from the header"),
        ("colour", "not a column of this feed"),
        ("code", "appears more than once in the header"),
    }
    assert all(error.line == 1 for error in result.errors)
    assert result.rows_read == 0


def test_import_empty_file_is_refused(db):
    result = run_import(JobRoleImporter(), io.BytesIO(b""))

    assert [str(error) for error in result.errors] == ["The file is empty."]


def test_import_reports_every_bad_cell_with_line_and_column_and_writes_nothing(db):
    file = csv_file(HEADER, *roles(2), ",Nameless,allied_health,Y", "bad-group,Bad,plumbers,maybe", *roles(1))

    result = run_import(JobRoleImporter(), file)

    assert [str(error) for error in result.errors] == [
        "Line 4, code: a value is required",
        "Line 5, group: no professional group has the code 'plumbers'",
        "Line 5, clinical: 'maybe' is not Y or N",
        "Line 6, code: 'role-0' is also on line 2",
    ]
    assert (result.error_count, result.rows_read, result.created) == (4, 5, 0)
    assert not JobRole.objects.exists()


def test_import_row_with_the_wrong_number_of_values_is_bad(db):
    result = run_import(JobRoleImporter(), csv_file(HEADER, *roles(1), "cut,Cut short"))

    assert [str(error) for error in result.errors] == ["Line 3: 2 values, but the header has 4 columns"]


def test_import_file_ending_inside_a_quoted_value_is_reported_as_cut_short(db):
    file = io.BytesIO(f'{HEADER}\r\n{roles(1)[0]}\r\nlast,"Half a na'.encode())

    result = run_import(JobRoleImporter(), file)

    assert [str(error) for error in result.errors] == [
        "Line 3: the file ends inside a quoted value, so it looks cut short"
    ]
    assert not JobRole.objects.exists()


def test_import_quoted_line_breaks_keep_later_line_numbers_right(db):
    file = csv_file(HEADER, 'wrapped,"Two\r\nlines",allied_health,Y', "next,Next,allied_health,perhaps")

    result = run_import(JobRoleImporter(), file)

    assert [str(error) for error in result.errors] == ["Line 4, clinical: 'perhaps' is not Y or N"]


def test_import_error_report_is_capped_but_every_error_counted(db):
    result = run_import(
        JobRoleImporter(), csv_file(HEADER, *[f"r{n},R,allied_health,?" for n in range(1_200)])
    )

    assert (len(result.errors), result.error_count) == (1_000, 1_200)


def test_import_file_over_the_size_limit_is_refused_with_the_limit(db, settings):
    settings.CANDOUR_IMPORT_MAX_BYTES = 100

    file = csv_file(HEADER, *roles(5))

    result = run_import(JobRoleImporter(), file)

    assert [str(error) for error in result.errors] == [
        f"The file is {len(file.getvalue())} bytes; files up to 100 bytes can be imported."
    ]
    assert not JobRole.objects.exists()


def test_import_line_longer_than_any_row_is_refused(db):
    result = run_import(JobRoleImporter(), csv_file(HEADER, "x" * 2_000_000))

    assert result.errors[0].line == 2 and "longer than 1,048,576 bytes" in result.errors[0].reason


def test_import_bad_row_after_written_batches_undoes_them(db):
    result = run_import(JobRoleImporter(), csv_file(HEADER, *roles(4_500), "last,Last,allied_health,?"))

    assert result.error_count == 1 and result.created == 0
    assert not JobRole.objects.exists()


def test_import_writer_failing_midway_leaves_nothing_behind(db):
    class FailingOnSecondBatch(JobRoleImporter):
        batches = 0

        def write_batch(self, rows):
            self.batches += 1
            if self.batches == 2:
                raise RuntimeError("database went away")
            return super().write_batch(rows)

    with pytest.raises(RuntimeError):
        run_import(FailingOnSecondBatch(), csv_file(HEADER, *roles(4_500)))

    assert not JobRole.objects.exists()


def test_import_row_check_and_file_check_errors_are_reported_in_line_order(db):
    class CheckedImporter(JobRoleImporter):
        def check_row(self, row):
            if row.values["clinical"] and row.values["group"] == "admin_clerical":
                raise Invalid("clerical roles are not clinical", column="clinical")

        def check_file(self, keys_in_file):
            if ("paramedic",) not in keys_in_file:
                yield RowError(None, "", "The file has no paramedic role.")

    file = csv_file(HEADER, *roles(1), "clerk,Clerk,admin_clerical,Y")

    result = run_import(CheckedImporter(), file)

    assert [str(error) for error in result.errors] == [
        "The file has no paramedic role.",
        "Line 3, clinical: clerical roles are not clinical",
    ]


def test_import_progress_is_told_up_to_the_whole_file_then_through_the_writing(db):
    file = csv_file(HEADER, *roles(4_500))
    seen = []

    run_import(JobRoleImporter(), file, progress=seen.append)

    checking = [step for step in seen if step.stage != WRITING]
    writing = [step for step in seen if step.stage == WRITING]
    assert [step.rows_read for step in checking] == [2_000, 4_000, 4_500]
    assert checking[-1].bytes_read == checking[-1].total_bytes == len(file.getvalue())
    assert [step.rows_written for step in writing] == [2_000, 4_000, 4_500]


def test_import_nul_byte_in_a_cell_is_refused_naming_its_line_and_column(db):
    file = csv_file(HEADER, *roles(2), "nul,Nul\x00name,allied_health,Y")

    result = run_import(JobRoleImporter(), file)

    assert [(error.line, error.column) for error in result.errors] == [(4, "name")]
    assert "NUL character (byte 0x00)" in result.errors[0].reason
    assert not JobRole.objects.exists()


def test_import_nul_byte_in_the_header_is_refused(db):
    result = run_import(JobRoleImporter(), csv_file("code,name,group,clin\x00ical", *roles(1)))

    assert result.errors[0].line == 1 and "NUL character" in result.errors[0].reason


@pytest.mark.parametrize("rows", [[], ["", ""]])
def test_import_file_with_only_a_header_is_refused_not_reported_as_done(db, rows):
    result = run_import(JobRoleImporter(), csv_file(HEADER, *rows))

    assert not result.ok
    assert [str(error) for error in result.errors] == [
        "The file has a header but no rows under it, so there is nothing to import."
    ]


def test_import_of_a_feed_where_no_rows_is_an_answer_accepts_only_a_header(db):
    class MayBeEmpty(JobRoleImporter):
        allow_empty = True

    result = run_import(MayBeEmpty(), csv_file(HEADER))

    assert result.ok and result.rows_read == 0


class WhereItRuns(JobRoleImporter):
    """Notes whether each step runs inside a transaction."""

    def __init__(self):
        self.steps = []

    def check_row(self, row):
        self.steps.append(("check", connection.in_atomic_block))

    def prepare_batch(self, rows):
        self.steps.append(("prepare", connection.in_atomic_block))
        return rows

    def write_batch(self, rows):
        self.steps.append(("write", connection.in_atomic_block))
        return super().write_batch(rows)


@pytest.mark.django_db(transaction=True)
def test_import_checks_and_prepares_every_row_outside_any_transaction_then_writes_in_one():
    importer = WhereItRuns()

    run_import(importer, csv_file(HEADER, *roles(2_500)))

    assert set(importer.steps) == {("check", False), ("prepare", False), ("write", True)}
    # Nothing is written until every row has been checked.
    first_write = importer.steps.index(("write", True))
    assert all(step != "check" for step, _ in importer.steps[first_write:])
    assert JobRole.objects.count() == 2_500


def test_import_checked_import_is_written_only_inside_a_transaction(db):
    with check_import(JobRoleImporter(), csv_file(HEADER, *roles(1))) as checked:
        connection.in_atomic_block = False  # as outside the test's own transaction
        try:
            with pytest.raises(RuntimeError, match="inside one transaction"):
                checked.write()
        finally:
            connection.in_atomic_block = True


class PreparedJobRoleImporter(JobRoleImporter):
    """The same feed, prepared before it is written, as large feeds are."""

    def prepare_batch(self, rows):
        return prepare_upsert(JobRole, key=self.key, records=[self.record(row) for row in rows])

    def record(self, row):
        return {
            "code": row.values["code"],
            "name": row.values["name"],
            "professional_group": row.values["group"],
            "is_clinical": row.values["clinical"],
        }

    def write_batch(self, prepared):
        return prepared.write()


def test_import_prepared_batches_create_update_and_leave_alone_as_upsert_does(db):
    run_import(PreparedJobRoleImporter(), csv_file(HEADER, *roles(3)))
    before = JobRole.objects.get(code="role-1").updated_at

    result = run_import(
        PreparedJobRoleImporter(),
        csv_file(HEADER, roles(3)[0], "role-1,Renamed,allied_health,N", roles(3)[2], "new,New,nursing,Y"),
    )

    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    changed = JobRole.objects.get(code="role-1")
    assert (changed.name, changed.is_clinical) == ("Renamed", False)
    assert changed.updated_at > before
    assert JobRole.objects.get(code="new").public_id


def checked_import(file) -> CheckedImport:
    return check_import(PreparedJobRoleImporter(), file)


def test_import_row_added_by_someone_else_while_checking_makes_the_whole_import_refused(db):
    with checked_import(csv_file(HEADER, *roles(3))) as checked:
        JobRole.objects.create(code="role-2", name="Typed in", professional_group="nursing")

        assert not write_together([checked])

    assert [str(error) for error in checked.result.errors] == [CHANGED_WHILE_CHECKING]
    assert list(JobRole.objects.values_list("code", flat=True)) == ["role-2"]


def test_import_row_deleted_by_someone_else_while_checking_makes_the_whole_import_refused(db):
    run_import(JobRoleImporter(), csv_file(HEADER, *roles(2)))
    with checked_import(
        csv_file(HEADER, "role-0,Renamed,allied_health,Y", "extra,Extra,nursing,N")
    ) as checked:
        JobRole.objects.filter(code="role-0").delete()

        assert not write_together([checked])

    assert set(JobRole.objects.values_list("code", flat=True)) == {"role-1"}


def test_import_written_together_with_what_goes_with_it_or_not_at_all(db):
    with checked_import(csv_file(HEADER, *roles(2))) as checked, pytest.raises(RuntimeError):
        write_together([checked], then=lambda: (_ for _ in ()).throw(RuntimeError("audit failed")))

    assert not JobRole.objects.exists()


def test_import_batch_of_rows_sent_as_data_is_checked_as_a_file_is_with_row_numbers(db):
    rows = [
        {"code": "paramedic", "name": "Paramedic", "group": "allied_health", "clinical": "Y"},
        {"code": "x", "name": "X", "group": "plumbers", "clinical": None},
        {"code": "paramedic", "name": "Again", "group": "allied_health", "clinical": "N"},
        {"code": "y", "name": "Y", "group": "nursing"},
        {"code": 7, "name": ["not", "text"], "group": "nursing", "clinical": "N"},
    ]

    result = run_import(JobRoleImporter(), RowSource(rows))

    assert [str(error) for error in result.errors] == [
        "Row 2, group: no professional group has the code 'plumbers'",
        "Row 2, clinical: a value is required",
        "Row 3, code: 'paramedic' is also on row 1",
        "Row 4: has the fields code, name, group; row 1 has code, name, group, clinical",
        "Row 5: has a value that is not text or a number",
    ]
    assert not JobRole.objects.exists()


def test_import_batch_of_good_rows_is_written(db):
    rows = [{"code": "paramedic", "name": "Paramedic", "group": "allied_health", "clinical": "Y"}]

    result = run_import(JobRoleImporter(), RowSource(rows))

    assert result.ok and result.created == 1


def test_import_batch_with_no_rows_or_the_wrong_fields_is_refused(db):
    assert [str(e) for e in run_import(JobRoleImporter(), RowSource([])).errors] == [
        "There are no rows, so there is nothing to import."
    ]
    wrong = run_import(JobRoleImporter(), RowSource([{"code": "x", "colour": "red"}]))
    assert {str(error) for error in wrong.errors} >= {
        "name: missing from the rows",
        "colour: not a column of this feed, whose columns are code, name, group, clinical",
    }


LEARNING_SYSTEM_HEADER = "Role Code,Extra,Role Title,Staff Group,Clinical?,Notes"
TO_THEIR_COLUMNS = {
    "code": "Role Code",
    "name": "Role Title",
    "group": "Staff Group",
    "clinical": "Clinical?",
}


def test_import_with_a_column_mapping_reads_the_files_own_columns_and_ignores_the_rest(db):
    file = csv_file(LEARNING_SYSTEM_HEADER, "paramedic,zz,Paramedic,allied_health,Y,anything")

    result = run_import(JobRoleImporter(), file, columns=TO_THEIR_COLUMNS)

    assert result.ok and result.created == 1
    assert JobRole.objects.get(code="paramedic").name == "Paramedic"


def test_import_with_a_column_mapping_names_the_files_columns_in_problems(db):
    file = csv_file(LEARNING_SYSTEM_HEADER, "paramedic,zz,Paramedic,plumbers,Y,")

    result = run_import(JobRoleImporter(), file, columns=TO_THEIR_COLUMNS)

    assert [str(error) for error in result.errors] == [
        "Line 2, Staff Group: no professional group has the code 'plumbers'"
    ]


def test_import_with_a_column_mapping_reports_chosen_columns_missing_and_fields_left_unchosen(db):
    file = csv_file("Role Code,Role Title", "paramedic,Paramedic")

    result = run_import(JobRoleImporter(), file, columns={"code": "Role Code", "group": "Staff Group"})

    assert {str(error) for error in result.errors} == {
        "Line 1, Staff Group: missing from the header; it was chosen to give group",
        "Line 1, name: no column of the file was chosen to give it",
        "Line 1, clinical: no column of the file was chosen to give it",
    }


class DiscardingImporter(JobRoleImporter):
    def write_batch(self, rows):
        return WriteCounts(created=len(rows))


def peak_memory_importing(path) -> int:
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            result = run_import(DiscardingImporter(), file)
        assert result.ok
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_import_memory_does_not_grow_with_the_file(db, tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    for path, count in ((small, 5_000), (large, 50_000)):
        with path.open("w", encoding="utf-8") as file:
            file.write(f"{HEADER}\n")
            file.writelines(f"role-{n},Role number {n} of many,allied_health,Y\n" for n in range(count))

    small_peak, large_peak = peak_memory_importing(small), peak_memory_importing(large)

    assert large_peak < small_peak * 1.5
    assert large_peak < 10 * 1024 * 1024


def test_upsert_matches_rows_on_every_part_of_a_composite_key(db):
    user = factories.make_user(Role.STAFF)
    station = user.person.station
    key = ("user_id", "unit_id", "role")

    upserted = upsert(
        Membership,
        key=key,
        records=[
            {"user_id": user.pk, "unit_id": station.pk, "role": Role.STAFF, "starts_on": dt.date(2024, 1, 1)},
            {
                "user_id": user.pk,
                "unit_id": station.parent_id,
                "role": Role.STAFF,
                "starts_on": dt.date(2024, 1, 1),
            },
            {
                "user_id": user.pk,
                "unit_id": station.pk,
                "role": Role.GUARDIAN,
                "starts_on": dt.date(2024, 1, 1),
            },
        ],
    )

    assert (upserted.counts.created, upserted.counts.updated, upserted.counts.unchanged) == (2, 1, 0)
    assert Membership.objects.get(user=user, unit=station, role=Role.STAFF).starts_on == dt.date(2024, 1, 1)
    assert Membership.objects.filter(user=user).count() == 3


@pytest.mark.parametrize(
    "cell",
    [
        "31/03/2024",
        "2024-3-1",
        "2024-02-30",
        "20240331",
        "2024-W13-1",
        "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661",
    ],
)
def test_iso_date_refuses_anything_but_a_real_yyyy_mm_dd_date(cell):
    with pytest.raises(Invalid, match="is not a date in the form YYYY-MM-DD"):
        iso_date(cell)


def test_iso_date_reads_a_yyyy_mm_dd_date():
    assert iso_date("2024-02-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2026-11-29", dt.date(2026, 11, 29)),
        ("29/11/2026", dt.date(2026, 11, 29)),
        ("1/2/2026", dt.date(2026, 2, 1)),
    ],
)
def test_day_date_reads_iso_and_british_dates(cell, day):
    assert day_date(cell) == day


@pytest.mark.parametrize(
    "cell", ["11/29/2026", "31/04/2026", "29-11-2026", "2026/11/29", "29/11/26", "29.11.2026"]
)
def test_day_date_refuses_american_impossible_and_other_dates_saying_which_forms_it_reads(cell):
    with pytest.raises(Invalid, match="is not a date written YYYY-MM-DD or DD/MM/YYYY"):
        day_date(cell)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 2, 14, 5, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 0, 30, 0, 123456, tzinfo=ZoneInfo("Europe/London")),
        dt.datetime(2026, 1, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        None,
    ],
)
def test_import_stores_a_time_exactly_as_django_would(db, moment):
    # The importer's own quick way to the stored value of a time must never differ from Django's.
    field = AuditEvent._meta.get_field("occurred_at")

    assert _converter(field, connection)(moment) == field.get_db_prep_save(moment, connection)


class RacedJobRoleImporter(PreparedJobRoleImporter):
    """As if someone typed in one of the file's roles while the file was being checked."""

    def prepare_batch(self, rows):
        prepared = super().prepare_batch(rows)
        JobRole.objects.create(code="role-2", name="Typed in", professional_group="nursing")
        return prepared


def test_import_audited_writes_the_rows_with_their_audit_entry_and_then_the_outcome(db):
    outcomes = []

    result = import_audited(
        PreparedJobRoleImporter(),
        csv_file(HEADER, *roles(2)),
        feed="job roles",
        by=None,
        then=outcomes.append,
        details=lambda: {"roles_now": JobRole.objects.count()},
    )

    entry = AuditEvent.objects.get(action="imported")
    assert (entry.changes["feed"], entry.changes["created"], entry.changes["roles_now"]) == (
        "job roles",
        2,
        2,
    )
    assert outcomes == [result]


def test_import_audited_tells_the_outcome_when_what_it_was_checked_against_changed(db):
    outcomes = []

    result = import_audited(
        RacedJobRoleImporter(), csv_file(HEADER, *roles(3)), feed="job roles", by=None, then=outcomes.append
    )

    assert [str(error) for error in result.errors] == [CHANGED_WHILE_CHECKING]
    assert outcomes == [result]
    assert not AuditEvent.objects.filter(action="imported").exists()
    assert list(JobRole.objects.values_list("code", flat=True)) == ["role-2"]
