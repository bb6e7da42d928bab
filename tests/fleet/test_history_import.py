"""The maintenance history feed: results checked by the services' rules, bad rows named with nothing
written, re-imports that change nothing, and the due dates and quarantines the results make."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from candour.core.models import AuditEvent
from candour.fleet.importers import import_maintenance_history
from candour.fleet.importers.history import COLUMNS, MaintenanceHistoryImporter
from candour.fleet.models import AssetStatus, MaintenanceKind, MaintenanceResult, MaintenanceSchedule
from tests.fleet.conftest import TODAY
from tests.fleet.feeds import csv_file, problems


def row(tag="STR-1", kind="loler", done_on="2026-10-01", outcome="pass", **cells):
    return {"asset_tag": tag, "kind": kind, "done_on": done_on, "outcome": outcome, **cells}


def history(*rows):
    return csv_file(COLUMNS, *rows, name="history.csv")


@pytest.fixture
def stretcher(fleet):
    stretcher = fleet.stretcher("STR-1")
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 1, 10))
    fleet.schedule(
        stretcher, MaintenanceKind.PLANNED_PREVENTIVE, starts_on=dt.date(2026, 1, 10), interval_months=12
    )
    return stretcher


def _schedule(asset, kind=MaintenanceKind.LOLER):
    return MaintenanceSchedule.objects.get(asset=asset, kind=kind)


def test_the_columns_offered_are_the_importers_own(fleet):
    assert tuple(column.name for column in MaintenanceHistoryImporter().columns) == COLUMNS


def test_a_good_file_records_the_results_and_moves_each_schedule_on_from_its_newest_pass(fleet, stretcher):
    result = import_maintenance_history(
        by=None,
        file=history(
            row(done_on="2026-04-02", examiner="Safe Lift Ltd"),
            row(done_on="01/10/2026", examiner="Safe Lift Ltd"),
            row(kind="ppm", done_on="2026-09-15", outcome="pass_with_advisories", advisories="Worn wheel"),
        ),
    )

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    loler = _schedule(stretcher)
    assert loler.last_done_on == dt.date(2026, 10, 1) and loler.next_due_on == dt.date(2027, 4, 1)
    assert _schedule(stretcher, MaintenanceKind.PLANNED_PREVENTIVE).next_due_on == dt.date(2027, 9, 15)
    assert MaintenanceResult.objects.filter(recorded_by__isnull=True).count() == 3
    imported = AuditEvent.objects.get(action="imported")
    assert (
        imported.actor_label == "maintenance history import" and imported.changes["schedules_moved_on"] == 2
    )


def test_the_same_file_twice_changes_nothing(fleet, stretcher):
    rows = (row(done_on="2026-04-02"), row(done_on="2026-10-01"))
    import_maintenance_history(by=None, file=history(*rows))
    stored = list(MaintenanceResult.objects.values_list("pk", "updated_at"))

    again = import_maintenance_history(by=None, file=history(*rows))

    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(MaintenanceResult.objects.values_list("pk", "updated_at")) == stored


def test_an_updated_file_changes_only_the_rows_that_differ(fleet, stretcher):
    import_maintenance_history(by=None, file=history(row(done_on="2026-04-02"), row(done_on="2026-10-01")))

    again = import_maintenance_history(
        by=None,
        file=history(
            row(done_on="2026-04-02"),
            row(done_on="2026-10-01", next_due_on="2027-01-01"),
            row(kind="ppm", done_on="2026-11-01"),
        ),
    )

    assert (again.created, again.updated, again.unchanged) == (1, 1, 1)
    assert _schedule(stretcher).next_due_on == dt.date(2027, 1, 1)


def test_a_result_for_an_unknown_asset_is_named_and_nothing_is_written(fleet, stretcher):
    result = import_maintenance_history(by=None, file=history(row(), row(tag="STR-404")))

    assert problems(result) == [(3, "asset_tag", "no asset on the register has the tag 'STR-404'")]
    assert not MaintenanceResult.objects.exists()
    assert _schedule(stretcher).last_done_on is None


def test_a_service_date_in_the_future_is_refused_with_its_line(fleet, stretcher):
    tomorrow = TODAY + dt.timedelta(days=1)

    result = import_maintenance_history(by=None, file=history(row(done_on=tomorrow.isoformat())))

    assert problems(result) == [
        (
            2,
            "done_on",
            "The date it was done, 19 November 2026, is in the future: enter today or an earlier date",
        )
    ]
    assert not MaintenanceResult.objects.exists()


def test_a_loler_next_examination_beyond_the_reference_data_is_refused(fleet, stretcher):
    result = import_maintenance_history(
        by=None, file=history(row(done_on="2026-10-01", next_due_on="2027-10-01"))
    )

    [(line, column, reason)] = problems(result)
    assert (line, column) == (2, "next_due_on")
    assert reason.startswith(
        "LOLER requires the next thorough examination of equipment that lifts people within 6"
    )
    assert not MaintenanceResult.objects.exists()


def test_a_kind_the_asset_has_no_schedule_for_and_a_fail_without_defects_are_named(fleet, stretcher):
    result = import_maintenance_history(
        by=None,
        file=history(
            row(kind="calibration"), row(outcome="fail"), row(kind="nonsense", done_on="2026-01-02")
        ),
    )

    assert problems(result) == [
        (2, "kind", "STR-1 has no calibration schedule on the register"),
        (3, "defects", "Describe the defects that failed it"),
        (
            4,
            "kind",
            "'nonsense' is not one of ppm, calibration, electrical_safety, loler, vehicle_service, mot",
        ),
    ]


def test_a_loler_danger_defect_quarantines_the_asset(fleet, stretcher):
    result = import_maintenance_history(
        by=None,
        file=history(
            row(done_on="2026-04-02"),
            row(done_on="2026-11-02", outcome="fail", defects="Cracked weld", danger_to_people="Y"),
        ),
    )

    assert result.ok, result.errors
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.QUARANTINED and stretcher.quarantine_kind == MaintenanceKind.LOLER
    assert "Cracked weld" in stretcher.quarantine_reason and stretcher.quarantined_on == dt.date(2026, 11, 2)
    assert AuditEvent.objects.get(action="quarantined_asset").actor_label == "maintenance history import"


def test_a_danger_defect_put_right_by_a_later_loler_pass_leaves_the_asset_in_service(fleet, stretcher):
    import_maintenance_history(
        by=None,
        file=history(
            row(done_on="2026-11-02", outcome="fail", defects="Cracked weld", danger_to_people="Y"),
            row(done_on="2026-11-09"),
        ),
    )

    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.IN_SERVICE
    assert _schedule(stretcher).next_due_on == dt.date(2027, 5, 9)


def test_a_later_loler_pass_imported_releases_a_quarantined_asset(fleet, stretcher):
    fleet.result(
        stretcher,
        "loler",
        done_on=dt.date(2026, 11, 2),
        outcome="fail",
        defects="Bent",
        danger_to_people=True,
    )

    import_maintenance_history(by=None, file=history(row(done_on="2026-11-10")))

    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.IN_SERVICE
    assert AuditEvent.objects.filter(action="released_asset_from_quarantine").count() == 1


def test_an_older_pass_imported_moves_nothing_back(fleet, stretcher):
    fleet.result(stretcher, "loler", done_on=dt.date(2026, 11, 1))

    import_maintenance_history(by=None, file=history(row(done_on="2026-05-01")))

    assert _schedule(stretcher).next_due_on == dt.date(2027, 5, 1)


def test_the_command_imports_a_file_and_names_bad_rows(fleet, stretcher, tmp_path):
    good = tmp_path / "history.csv"
    good.write_bytes(history(row()).getvalue())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(history(row(tag="NOPE")).getvalue())

    call_command("import_maintenance_history", str(good))
    with pytest.raises(CommandError, match="1 problem in"):
        call_command("import_maintenance_history", str(bad))

    assert MaintenanceResult.objects.count() == 1
