"""Importing the learning system's export: every bad row reported, all or nothing, the same file twice is a
no-op, and compliance recomputed for the people touched in the same transaction."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from candour.core.importing import BATCH_SIZE, RowSource
from candour.core.importing.framework import CHECKING, WRITING
from candour.core.models import AuditEvent
from candour.learning.importers import import_training_records
from candour.learning.models import ComplianceItem, TrainingRecord
from candour.people.access import scope_of
from candour.people.roles import Role

HEADER = "staff_number,subject_code,completed_on,hours,provider"


def csv_file(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\n" for line in (header, *rows)).encode())


def problems(result) -> list[str]:
    return [str(error) for error in result.errors]


@pytest.fixture
def staff(training_person, training_trust):
    """Two paramedics (1001 at a1, 1002 at b1) and a dispatcher (2001 at a2)."""
    return {
        "1001": training_person(staff_number="1001"),
        "1002": training_person(staff_number="1002", station=training_trust.b1),
        "2001": training_person(
            staff_number="2001", station=training_trust.a2, job_role=training_trust.dispatcher
        ),
    }


GOOD_ROWS = (
    "1001,sg-children-3,2025-01-10,7.5,Northshire Safeguarding",
    "1001,sg-children-3,2025-06-02,4.5,Northshire Safeguarding",
    "1001,cstf-fire,2024-11-30,,",
    "2001,sg-children-2,2024-02-29,,e-Learning for Healthcare",
)


def test_import_good_file_creates_records_and_recomputes_compliance(staff):
    result = import_training_records(by=None, file=csv_file(*GOOD_ROWS))

    assert (result.ok, result.rows_read, result.created, result.updated, result.unchanged) == (
        True,
        4,
        4,
        0,
        0,
    )
    assert TrainingRecord.objects.filter(source=TrainingRecord.Source.IMPORT).count() == 4
    expiries = dict(
        ComplianceItem.objects.filter(person=staff["1001"]).values_list("subject__code", "expires_on")
    )
    assert expiries == {"sg-children-3": dt.date(2028, 1, 11), "cstf-fire": dt.date(2026, 12, 1)}
    dispatcher = ComplianceItem.objects.get(person=staff["2001"], subject__code="sg-children-2")
    assert dispatcher.expires_on == dt.date(2027, 3, 1)
    # Nobody else was touched, so their items were not made here.
    assert not ComplianceItem.objects.filter(person=staff["1002"]).exists()


def test_import_is_audited_once_with_its_counts(staff):
    before = AuditEvent.objects.count()

    import_training_records(by=None, file=csv_file(*GOOD_ROWS), file_name="lms-export.csv")

    event = AuditEvent.objects.get(sequence__gt=before)
    assert event.action == "imported" and event.actor_label == "training records import"
    assert (event.changes["file_name"], event.changes["created"], event.changes["people_recomputed"]) == (
        "lms-export.csv",
        4,
        2,
    )


def test_import_same_file_twice_changes_nothing(staff):
    import_training_records(by=None, file=csv_file(*GOOD_ROWS))
    items = list(ComplianceItem.objects.order_by("pk").values())
    records = list(TrainingRecord.objects.order_by("pk").values())

    again = import_training_records(by=None, file=csv_file(*GOOD_ROWS))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert list(TrainingRecord.objects.order_by("pk").values()) == records
    assert list(ComplianceItem.objects.order_by("pk").values()) == items


def test_import_a_corrected_row_updates_it(staff):
    import_training_records(by=None, file=csv_file(*GOOD_ROWS))

    result = import_training_records(by=None, file=csv_file("1001,sg-children-3,2025-06-02,5,Northshire"))

    assert (result.created, result.updated) == (0, 1)
    assert str(TrainingRecord.objects.get(completed_on=dt.date(2025, 6, 2)).hours) == "5.0"


def test_import_bad_rows_are_all_reported_and_nothing_is_imported(staff):
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    result = import_training_records(
        by=None,
        file=csv_file(
            "1001,cstf-fire,2024-11-30,,",
            "9999,cstf-fire,2024-11-30,,",
            "1001,cstf-juggling,2024-11-30,,",
            "1001,cstf-fire,11/30/2024,,",
            f"1002,cstf-fire,{tomorrow},,",
            "1002,sg-children-3,2024-01-01,-3,",
            "1002,sg-children-3,2024-02-01,0,",
            "1002,sg-children-3,2024-03-01,,",
            "1002,sg-children-3,2024-04-01,lots,",
            "1001,cstf-fire,2024-11-30,,",
            "1002,cstf-fire",
        ),
    )

    assert not result.ok
    assert problems(result) == [
        "Line 3, staff_number: no person has the staff number '9999'",
        "Line 4, subject_code: no training subject has the code or the name 'cstf-juggling'",
        "Line 5, completed_on: '11/30/2024' is not a date written YYYY-MM-DD or DD/MM/YYYY",
        f"Line 6, completed_on: {tomorrow:%d/%m/%Y} is in the future",
        "Line 7, hours: hours must be more than 0",
        "Line 8, hours: hours must be more than 0",
        "Line 9, hours: enter the hours: Safeguarding children level 3 needs 12 hours every 36 months",
        "Line 10, hours: 'lots' is not a number of hours",
        "Line 11, staff_number, subject_code, completed_on: "
        "'1001', 'cstf-fire', '2024-11-30' is also on line 2",
        "Line 12: 2 values, but the header has 5 columns",
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not TrainingRecord.objects.exists() and not ComplianceItem.objects.exists()


def test_import_wrong_columns_are_reported(staff):
    result = import_training_records(
        by=None, file=csv_file("1001,cstf-fire,2024-11-30", header="staff_number,subject_code,date")
    )

    assert problems(result) == [
        "Line 1, completed_on: missing from the header",
        "Line 1, hours: missing from the header",
        "Line 1, provider: missing from the header",
        "Line 1, date: not a column of this feed, whose columns are "
        "staff_number, subject_code, completed_on, hours, provider",
    ]


def test_import_wrong_encoding_is_refused(staff):
    text = f"{HEADER}\n1001,cstf-fire,2024-11-30,,Ysgol Gymraeg Caerdydd\n2001,cstf-fire,2024-11-30,,Côte\n"

    result = import_training_records(by=None, file=io.BytesIO(text.encode("latin-1")))

    assert not result.ok and not TrainingRecord.objects.exists()
    assert problems(result)[0].startswith("Line 3: not UTF-8 text")


def test_import_truncated_file_is_refused(staff):
    cut_short = csv_file(
        "1001,cstf-fire,2024-11-30,,", '2001,cstf-fire,2024-11-30,,"Northshire Fire'
    ).getvalue()

    result = import_training_records(by=None, file=io.BytesIO(cut_short.rstrip(b"\n")))

    assert not result.ok and not TrainingRecord.objects.exists()
    assert problems(result) == ["Line 3: the file ends inside a quoted value, so it looks cut short"]


def test_import_an_interrupted_import_leaves_nothing_behind(staff):
    rows = [f"1001,cstf-fire,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},," for n in range(BATCH_SIZE + 10)]

    def interrupt(progress):
        if progress.rows_read >= BATCH_SIZE:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_training_records(by=None, file=csv_file(*rows), progress=interrupt)

    assert not TrainingRecord.objects.exists() and not ComplianceItem.objects.exists()
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_import_only_reaches_people_in_the_uploaders_scope(staff, training_trust, make_user):
    area_lead = make_user(Role.EDUCATION_LEAD, training_trust.area_a)

    result = import_training_records(
        by=area_lead,
        file=csv_file("1001,cstf-fire,2024-11-30,,", "1002,cstf-fire,2024-11-30,,"),
        scope=scope_of(area_lead, "learning.manage_training"),
    )

    assert problems(result) == [
        "Line 3, staff_number: no one you manage training for has the staff number '1002'"
    ]


def test_import_many_rows_in_batches(staff):
    rows = [
        f"1002,cstf-fire,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},," for n in range(2 * BATCH_SIZE + 5)
    ]

    result = import_training_records(by=None, file=csv_file(*rows))

    assert (result.ok, result.created) == (True, 2 * BATCH_SIZE + 5)
    item = ComplianceItem.objects.get(person=staff["1002"], subject__code="cstf-fire")
    assert item.last_completed_on == dt.date(2000, 1, 1) + dt.timedelta(days=2 * BATCH_SIZE + 4)


def test_import_training_command_imports_a_file(staff, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file(*GOOD_ROWS).getvalue())

    call_command("import_training", str(path))

    assert "Read 4 rows" in capsys.readouterr().out
    assert TrainingRecord.objects.count() == 4


def test_import_training_command_lists_problems_and_fails(staff, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file("9999,cstf-fire,2024-11-30,,").getvalue())

    with pytest.raises(CommandError, match="1 problem in"):
        call_command("import_training", str(path))

    assert "no person has the staff number '9999'" in capsys.readouterr().err


def test_import_reads_british_dates_as_well_as_iso_ones(staff):
    result = import_training_records(
        by=None, file=csv_file("1001,cstf-fire,29/11/2024,,", "2001,cstf-fire,2024-11-28,,")
    )

    assert result.ok
    assert set(TrainingRecord.objects.values_list("completed_on", flat=True)) == {
        dt.date(2024, 11, 29),
        dt.date(2024, 11, 28),
    }


def test_import_reads_a_subject_by_its_name_as_the_learning_system_writes_it(staff):
    result = import_training_records(by=None, file=csv_file("1001,FIRE SAFETY,2024-11-29,,"))

    assert result.ok
    assert TrainingRecord.objects.get().subject.code == "cstf-fire"


def test_import_rows_sent_as_data_are_checked_as_the_file_is_in_the_same_words(staff):
    rows = [
        {
            "staff_number": "1001",
            "subject_code": "cstf-fire",
            "completed_on": "2024-11-30",
            "hours": "",
            "provider": "",
        },
        {
            "staff_number": "9999",
            "subject_code": "cstf-fire",
            "completed_on": "11/30/2024",
            "hours": None,
            "provider": None,
        },
    ]

    result = import_training_records(by=None, file=RowSource(rows))

    assert problems(result) == [
        "Row 2, staff_number: no person has the staff number '9999'",
        "Row 2, completed_on: '11/30/2024' is not a date written YYYY-MM-DD or DD/MM/YYYY",
    ]
    assert not TrainingRecord.objects.exists()


def test_import_through_a_column_mapping_reads_the_learning_systems_own_layout(staff):
    export = csv_file(
        "Ann Example,1001,Fire safety,30/11/2024,Trust",
        header="Full Name,Employee Number,Course Title,Completion Date,Location",
    )
    columns = {
        "staff_number": "Employee Number",
        "subject_code": "Course Title",
        "completed_on": "Completion Date",
    }

    result = import_training_records(by=None, file=export, columns=columns)

    assert result.ok and result.created == 1
    record = TrainingRecord.objects.get()
    assert (record.person.staff_number, record.subject.code, record.completed_on, record.provider) == (
        "1001",
        "cstf-fire",
        dt.date(2024, 11, 30),
        "",
    )


@pytest.mark.django_db(transaction=True)
def test_import_checks_the_whole_file_outside_any_transaction_before_writing_in_one(staff):
    rows = [f"1001,cstf-fire,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},," for n in range(BATCH_SIZE + 10)]
    seen = []

    result = import_training_records(
        by=None,
        file=csv_file(*rows),
        progress=lambda step: seen.append((step.stage, connection.in_atomic_block)),
    )

    assert result.ok
    assert set(seen) == {(CHECKING, False), (WRITING, True)}
    assert seen.index((WRITING, True)) > max(i for i, step in enumerate(seen) if step[0] == CHECKING)
