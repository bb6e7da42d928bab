"""The watchdog: a report run whose worker died (killed while it was saving, say) is marked failed after
CANDOUR_REPORT_TIMEOUT_SECONDS without progress, keeps no file on disk, and can be tried again."""

import datetime as dt

import pytest
import time_machine

from candour.assurance.models import ReportKind, ReportRun, ReportStatus
from candour.assurance.services import reports as services
from candour.assurance.tasks.reports import fail_stalled_reports
from candour.core.models import AuditEvent
from candour.core.scheduling import Every, registered_jobs
from candour.people.roles import Role
from tests.support.factories import StationFactory

STARTED = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CANDOUR_REPORT_TIMEOUT_SECONDS = 600
    return settings.MEDIA_ROOT


@pytest.fixture
def trust(db):
    return StationFactory().parent.parent


@pytest.fixture
def board_member(make_user, trust):
    return make_user(Role.EXECUTIVE, trust)


def _killed_while_saving(trust, board_member, media) -> ReportRun:
    """A run as a worker killed while saving leaves it: both files renamed into place, or still temporary,
    and the run never told."""
    with time_machine.travel(STARTED, tick=False):
        run = ReportRun.objects.create(
            kind=ReportKind.BOARD,
            unit=trust,
            requested_by=board_member,
            status=ReportStatus.RUNNING,
            progress=95,
            stage="Saving the files",
            started_at=STARTED,
        )
    folder = media / services.REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run.public_id}.html").write_text("<!DOCTYPE html><title>Board</title>")
    (folder / f"{run.public_id}.pdf").write_bytes(b"%PDF-1.7 board")
    (folder / f".{run.public_id}-k2j3.tmp").write_bytes(b"%PDF-1.7 half")
    return run


def _files(media) -> set[str]:
    return {path.name for path in (media / services.REPORTS_DIR).iterdir()}


def test_a_run_killed_while_saving_is_marked_failed_and_its_files_are_removed(trust, board_member, media):
    run = _killed_while_saving(trust, board_member, media)
    other = _killed_while_saving(trust, board_member, media)
    ReportRun.objects.filter(pk=other.pk).update(updated_at=STARTED + dt.timedelta(seconds=300))

    with time_machine.travel(STARTED + dt.timedelta(seconds=601), tick=False):
        assert services.fail_stalled_runs() == 1

    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and not run.html_file and not run.pdf_file
    assert "worker stopped" in run.error and "no file was made" in run.error.lower()
    assert not any(
        name.startswith(f"{run.public_id}") or name.startswith(f".{run.public_id}") for name in _files(media)
    )
    assert ReportRun.objects.get(pk=other.pk).status == ReportStatus.RUNNING
    assert {f"{other.public_id}.html", f"{other.public_id}.pdf"} <= _files(media)
    event = AuditEvent.objects.get(action="report_failed", object_id=str(run.public_id))
    assert event.summary.endswith("failed at Saving the files")


def test_a_failed_run_is_failed_once_however_often_the_watchdog_looks(trust, board_member, media):
    _killed_while_saving(trust, board_member, media)

    with time_machine.travel(STARTED + dt.timedelta(hours=1), tick=False):
        assert services.fail_stalled_runs() == 1
        assert services.fail_stalled_runs() == 0

    assert AuditEvent.objects.filter(action="report_failed").count() == 1


def test_a_run_the_watchdog_failed_can_be_tried_again(trust, board_member, media):
    run = _killed_while_saving(trust, board_member, media)
    with time_machine.travel(STARTED + dt.timedelta(hours=1), tick=False):
        services.fail_stalled_runs()
    run.refresh_from_db()

    fresh = services.retry_report(by=board_member, run=run)

    assert fresh.status == ReportStatus.QUEUED and fresh.pk != run.pk


@pytest.mark.django_db(transaction=True)
def test_the_watchdog_runs_in_the_worker_every_few_minutes(trust, board_member, media):
    from django.core.management import call_command

    run = _killed_while_saving(trust, board_member, media)
    [job] = [job for job in registered_jobs() if job.name == "assurance.fail_stalled_reports"]
    assert job.schedule == Every(dt.timedelta(minutes=5))

    with time_machine.travel(STARTED + dt.timedelta(hours=1), tick=False):
        fail_stalled_reports.enqueue()
        call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.FAILED
