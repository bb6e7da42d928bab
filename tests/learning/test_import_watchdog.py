"""The watchdog: an import whose worker died stays "Importing" no longer than CANDOUR_IMPORT_TIMEOUT_SECONDS
without progress. It is marked failed, nothing of it is kept (no record, no upload, no progress file), and
its page offers to upload the file again."""

import datetime as dt
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse, reverse_lazy

from candour.core.importing import BATCH_SIZE, Progress, jobs
from candour.core.models import AuditEvent, ImportJob
from candour.core.scheduling import Every, registered_jobs
from candour.core.tasks import fail_stalled_imports, run_import
from candour.learning.models import TrainingRecord

UPLOAD = reverse_lazy("learning:upload_training_records")
HEADER = b"staff_number,subject_code,completed_on,hours,provider\n"
STARTED = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


class WorkerKilled(BaseException):
    """Stands for SIGKILL part-way: no `except Exception` sees it, as none sees a kill."""


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CANDOUR_IMPORT_TIMEOUT_SECONDS = 3600


@pytest.fixture
def lead_client(training_trust, training_person, client_for):
    training_person(staff_number="1001")
    return client_for(training_trust.education_lead)


def _uploaded(client, rows: int) -> ImportJob:
    content = HEADER + b"".join(
        f"1001,cstf-fire,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},,\n".encode() for n in range(rows)
    )
    with time_machine.travel(STARTED, tick=False):
        client.post(UPLOAD, {"file": SimpleUploadedFile("export.csv", content, content_type="text/csv")})
    return ImportJob.objects.get()


def _killed_part_way(job: ImportJob, monkeypatch) -> None:
    """The worker dies at its first progress report, a batch already read into the import's transaction.
    A kill runs no clean-up, so the upload and the progress file are left as they were at that moment."""
    upload = jobs.stored_file(job).read_bytes()
    reported = []
    write = jobs._write_progress

    def die(job_, progress):
        write(job_, progress)
        reported.append(jobs.progress_file(job_).read_bytes())
        raise WorkerKilled

    monkeypatch.setattr(jobs, "_write_progress", die)
    with time_machine.travel(STARTED, tick=False), pytest.raises(WorkerKilled):
        run_import.call(job.pk)
    monkeypatch.undo()
    jobs.stored_file(job).write_bytes(upload)
    jobs.progress_file(job).write_bytes(reported[0])
    moment = STARTED.timestamp()
    os.utime(jobs.progress_file(job), (moment, moment))


def test_an_import_whose_worker_died_is_failed_and_keeps_nothing(
    lead_client, monkeypatch, training_trust, client_for
):
    job = _uploaded(lead_client, BATCH_SIZE + 1)
    _killed_part_way(job, monkeypatch)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and jobs.stored_file(job).exists()

    with time_machine.travel(STARTED + dt.timedelta(seconds=3601), tick=False):
        assert jobs.fail_stalled_imports() == 1

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert not TrainingRecord.objects.exists()
    assert not jobs.stored_file(job).exists() and not jobs.progress_file(job).exists()
    assert AuditEvent.objects.filter(action="import_stopped", object_id=str(job.public_id)).count() == 1
    page = client_for(training_trust.education_lead).get(
        reverse("people:show_import_job", kwargs={"job_id": job.public_id})
    )
    text = page.content.decode()
    assert "The import stopped before it finished" in text and "Nothing from the file was saved" in text
    assert f'href="{UPLOAD}"' in text and "Upload the file again" in text
    assert "Refresh" not in page


def test_an_import_still_making_progress_is_left_alone(lead_client, monkeypatch):
    job = _uploaded(lead_client, BATCH_SIZE + 1)
    _killed_part_way(job, monkeypatch)
    recent = (STARTED + dt.timedelta(minutes=50)).timestamp()
    os.utime(jobs.progress_file(job), (recent, recent))

    with time_machine.travel(STARTED + dt.timedelta(minutes=70), tick=False):
        assert jobs.fail_stalled_imports() == 0

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert jobs.read_progress(job) == Progress(BATCH_SIZE, jobs.read_progress(job).bytes_read, job.size_bytes)


def test_a_waiting_import_is_left_for_the_worker(lead_client):
    job = _uploaded(lead_client, 2)

    with time_machine.travel(STARTED + dt.timedelta(days=2), tick=False):
        assert jobs.fail_stalled_imports() == 0

    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.WAITING


@pytest.mark.django_db(transaction=True)
def test_the_import_watchdog_runs_in_the_worker_every_few_minutes(lead_client, monkeypatch):
    job = _uploaded(lead_client, BATCH_SIZE + 1)
    _killed_part_way(job, monkeypatch)
    [watch] = [job for job in registered_jobs() if job.name == "core.fail_stalled_imports"]
    assert watch.schedule == Every(dt.timedelta(minutes=5))

    with time_machine.travel(STARTED + dt.timedelta(hours=2), tick=False):
        fail_stalled_imports.enqueue()
        call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED
