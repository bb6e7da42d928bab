"""Uploading the learning system's export: refused when too large, stored and queued, imported by the worker,
and followed on the job page with a progress bar and then the outcome."""

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from django_tasks_db.models import DBTaskResult

from candour.core.importing import BATCH_SIZE, Progress, jobs
from candour.core.models import AuditEvent, ImportColumnMapping, ImportJob
from candour.core.tasks import run_import
from candour.learning import importers
from candour.learning.models import ComplianceItem, Subject, TrainingRecord
from candour.people.roles import Role

UPLOAD = reverse_lazy("learning:upload_training_records")
HEADER = b"staff_number,subject_code,completed_on,hours,provider\n"
GOOD = HEADER + b"1001,cstf-fire,2025-01-02,,Fire team\n1001,sg-children-3,2025-01-03,12,Safeguarding team\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def paramedic(training_person):
    return training_person(staff_number="1001")


def upload(client, content: bytes, name: str = "export.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def job_page(job: ImportJob) -> str:
    return reverse("people:show_import_job", kwargs={"job_id": job.public_id})


def test_upload_stores_the_file_and_queues_its_import(paramedic, training_trust, client_for, settings):
    response = upload(client_for(training_trust.education_lead), GOOD)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.status, job.file_name, job.size_bytes) == (ImportJob.Status.WAITING, "export.csv", len(GOOD))
    assert Path(settings.MEDIA_ROOT, job.stored_path).read_bytes() == GOOD
    assert job.stored_path.startswith("imports/")
    task = DBTaskResult.objects.get()
    assert task.task_path == "candour.core.tasks.run_import"
    assert task.args_kwargs["args"] == [job.pk]
    assert AuditEvent.objects.filter(action="uploaded_import").count() == 1
    assert not TrainingRecord.objects.exists()


def test_upload_declared_too_large_is_refused_before_anything_reads_it(training_trust, settings):
    from django.test import Client

    settings.CANDOUR_UPLOAD_MAX_BYTES = 1024 * 1024
    # The CSRF check reads the body to find its token; a token-less post answered 403 would mean it had.
    client = Client(enforce_csrf_checks=True)
    client.force_login(training_trust.education_lead)

    response = upload(client, GOOD + b"1001,cstf-fire,2024-01-02,,x\n" * 50_000)

    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large" in page and "Files up to 1.0 MB can be uploaded here" in page
    assert not ImportJob.objects.exists()


def test_upload_over_the_limit_by_less_than_a_form_is_refused_by_the_form(
    paramedic, training_trust, client_for, settings
):
    settings.CANDOUR_UPLOAD_MAX_BYTES = 200

    response = upload(
        client_for(training_trust.education_lead), GOOD + b"1001,cstf-fire,2024-01-02,,x\n" * 20
    )

    assert "The file must be smaller than" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).glob("imports/*"))


def test_upload_without_a_file_asks_for_one(training_trust, client_for):
    response = client_for(training_trust.education_lead).post(UPLOAD, {})

    assert "Choose the CSV file to import" in response.content.decode()


def test_upload_still_checks_the_csrf_token(training_trust):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(training_trust.education_lead)

    assert upload(client, GOOD).status_code == 403
    assert not ImportJob.objects.exists()


def test_upload_is_forbidden_to_people_who_do_not_manage_training(make_user, client_for):
    client = client_for(make_user(Role.LINE_MANAGER))

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, GOOD).status_code == 403


def test_import_task_imports_the_file_and_the_page_says_imported(
    paramedic, training_trust, client_for, settings
):
    client = client_for(training_trust.education_lead)
    upload(client, GOOD)
    job = ImportJob.objects.get()

    assert run_import.call(job.pk) == ImportJob.Status.DONE

    job.refresh_from_db()
    assert (job.rows_read, job.created, job.error_count, job.finished_at is not None) == (2, 2, 0, True)
    assert ComplianceItem.objects.get(person=paramedic, subject__code="cstf-fire").expires_on == dt.date(
        2027, 1, 3
    )
    assert not Path(settings.MEDIA_ROOT, job.stored_path).exists()
    response = client.get(job_page(job))
    page = response.content.decode()
    assert "Imported" in page and "New records" in page
    assert "Refresh" not in response.headers


def test_import_task_with_bad_rows_lists_every_one(paramedic, training_trust, client_for):
    client = client_for(training_trust.education_lead)
    upload(client, HEADER + b"9999,cstf-fire,2025-01-02,,\n1001,cstf-fire,01/29/2025,,\n")
    job = ImportJob.objects.get()

    run_import.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error_count) == (ImportJob.Status.FAILED, 2)
    page = client.get(job_page(job)).content.decode()
    assert "Nothing was imported" in page
    assert "no one you manage training for has the staff number &#39;9999&#39;" in page
    assert "is not a date written YYYY-MM-DD or DD/MM/YYYY" in page
    assert not TrainingRecord.objects.exists()


def test_import_task_writes_progress_the_page_can_read_while_it_runs(
    paramedic, training_trust, client_for, monkeypatch
):
    client = client_for(training_trust.education_lead)
    rows = b"".join(
        f"1001,cstf-fire,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},,\n".encode()
        for n in range(BATCH_SIZE + 1)
    )
    upload(client, HEADER + rows)
    job = ImportJob.objects.get()
    seen = []
    write = jobs._write_progress

    def watch(job_, progress):
        write(job_, progress)
        seen.append((jobs.read_progress(job_), client.get(job_page(job_))))

    monkeypatch.setattr(jobs, "_write_progress", watch)

    run_import.call(job.pk)

    progress, response = seen[0]
    assert progress.rows_read == BATCH_SIZE and 0 < progress.bytes_read < progress.total_bytes
    page = response.content.decode()
    assert (
        f'<progress id="import-progress" max="{progress.total_bytes}" value="{progress.bytes_read}">' in page
    )
    assert f"{BATCH_SIZE:,} rows checked so far" in page
    assert response["Refresh"] == str(settings.CANDOUR_AUTO_REFRESH_SECONDS)
    assert not jobs.progress_file(job).exists()


def test_import_job_page_can_stop_refreshing(training_trust, client_for):
    job = ImportJob.objects.create(
        feed="training_records",
        uploaded_by=training_trust.education_lead,
        file_name="x.csv",
        stored_path="imports/x",
        size_bytes=1,
    )
    client = client_for(training_trust.education_lead)

    waiting = client.get(job_page(job))
    stopped = client.get(job_page(job), {"refresh": "off"})

    assert (
        waiting["Refresh"] == str(settings.CANDOUR_AUTO_REFRESH_SECONDS)
        and "Waiting to start" in waiting.content.decode()
    )
    assert "Refresh" not in stopped.headers and "Update this page" in stopped.content.decode()


def test_import_job_page_reads_the_progress_file(training_trust, client_for, settings):
    job = ImportJob.objects.create(
        feed="training_records",
        uploaded_by=training_trust.education_lead,
        file_name="x.csv",
        stored_path="imports/x",
        size_bytes=400,
        status=ImportJob.Status.RUNNING,
    )
    Path(settings.MEDIA_ROOT, "imports").mkdir(parents=True)
    jobs.progress_file(job).write_text(json.dumps({"rows_read": 6000, "bytes_read": 100, "total_bytes": 400}))

    page = client_for(training_trust.education_lead).get(job_page(job)).content.decode()

    assert "6,000 rows checked so far: 25% of the file" in page
    assert jobs.read_progress(job) == Progress(6000, 100, 400)


def test_import_job_page_is_only_for_its_uploader(training_trust, make_user, client_for):
    job = ImportJob.objects.create(
        feed="training_records",
        uploaded_by=training_trust.education_lead,
        file_name="x.csv",
        stored_path="imports/x",
        size_bytes=1,
    )
    other_lead = make_user(Role.EDUCATION_LEAD, training_trust.trust)

    assert client_for(other_lead).get(job_page(job)).status_code == 404
    assert client_for(make_user(Role.STAFF)).get(job_page(job)).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_import_through_the_worker_from_upload_to_imported(training_trust, training_person, client_for):
    paramedic = training_person(staff_number="1001")
    client = client_for(training_trust.education_lead)
    upload(client, GOOD)
    job = ImportJob.objects.get()

    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert TrainingRecord.objects.filter(person=paramedic).count() == 2
    assert "Imported" in client.get(job_page(job)).content.decode()


def test_import_job_page_says_when_every_row_is_good_and_the_records_are_being_saved(
    training_trust, client_for, settings
):
    job = ImportJob.objects.create(
        feed="training_records",
        uploaded_by=training_trust.education_lead,
        file_name="x.csv",
        stored_path="imports/x",
        size_bytes=400,
        status=ImportJob.Status.RUNNING,
    )
    Path(settings.MEDIA_ROOT, "imports").mkdir(parents=True)
    jobs.progress_file(job).write_text(
        json.dumps(
            {"rows_read": 8000, "bytes_read": 0, "total_bytes": 0, "stage": "writing", "rows_written": 2000}
        )
    )

    page = client_for(training_trust.education_lead).get(job_page(job)).content.decode()

    assert "Every one of the 8,000 rows is good. Saving them: 25% done." in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "export.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00",
            "The file is an Excel workbook or a zip file, not a CSV file",
        ),
        (
            "export.csv",
            b"PK\x03\x04\x14\x00\x06\x00",
            "The file is an Excel workbook or a zip file, not a CSV file",
        ),
        ("export.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "The file is an older Excel workbook (.xls)"),
        ("export.pdf", b"%PDF-1.7\n", "The file is a PDF, not a CSV file"),
        ("export.csv.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 100, "The file is a compressed (gzip) file"),
        ("export.csv", b"staff_number\x00\x00\x01", "The file is not a text file"),
        ("export.docx.txt.json", GOOD, "The file must be a CSV file, with a name ending .csv"),
    ],
)
def test_upload_of_a_file_that_is_not_csv_is_refused_saying_what_it_is(
    training_trust, client_for, name, content, message
):
    response = upload(client_for(training_trust.education_lead), content, name=name)

    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_page_offers_a_template_and_lists_every_subject_code(training_trust, client_for):
    page = client_for(training_trust.education_lead).get(UPLOAD).content.decode()

    assert reverse("learning:download_training_template") in page
    for subject in Subject.objects.all():
        assert f"<code>{subject.code}</code>" in page
    assert "YYYY-MM-DD or DD/MM/YYYY" in page


def test_template_file_has_the_feeds_columns_and_example_rows_the_import_reads(training_trust, client_for):
    response = client_for(training_trust.education_lead).get(reverse("learning:download_training_template"))

    assert response["Content-Disposition"] == 'attachment; filename="training-records-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(importers.COLUMNS)
    assert {row[2] for row in rows[1:]} == {"2026-03-31", "31/03/2026"}
    assert {row[1] for row in rows[1:]} <= set(Subject.objects.values_list("code", flat=True))


ESR_HEADER = b"Employee Number,Full Name,Course Name,Completion Date,Hours,Location\n"
ESR_ROWS = (
    b"1001,Ann Example,Fire safety,02/01/2025,,Moorside\n1001,Ann Example,sg-children-3,03/01/2025,12,\n"
)
ESR_COLUMNS = {
    "staff_number": "Employee Number",
    "subject_code": "Course Name",
    "completed_on": "Completion Date",
    "hours": "Hours",
    "provider": "",
}


def choose_columns(client, page, columns=ESR_COLUMNS):
    upload_id = re.search(r'name="upload" value="([^"]+)"', page).group(1)
    return client.post(reverse("learning:choose_training_columns"), {"upload": upload_id, **columns})


def test_upload_of_a_learning_systems_own_layout_asks_which_column_is_which(training_trust, client_for):
    response = upload(client_for(training_trust.education_lead), ESR_HEADER + ESR_ROWS, name="olm.csv")

    page = response.content.decode()
    assert response.status_code == 200 and "Which column is which?" in page
    for column in ("Employee Number", "Full Name", "Course Name", "Completion Date", "Location"):
        assert re.search(rf'<option value="{column}"\s*>', page)
    assert not ImportJob.objects.exists()


def test_columns_chosen_are_saved_and_the_file_imported_through_them(
    paramedic, training_trust, client_for, settings
):
    client = client_for(training_trust.education_lead)
    page = upload(client, ESR_HEADER + ESR_ROWS, name="olm.csv").content.decode()

    response = choose_columns(client, page)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert ImportColumnMapping.objects.get().columns == {k: v for k, v in ESR_COLUMNS.items() if v}
    run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 2)
    assert set(TrainingRecord.objects.values_list("completed_on", flat=True)) == {
        dt.date(2025, 1, 2),
        dt.date(2025, 1, 3),
    }
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_next_file_with_the_same_columns_is_read_through_the_saved_choice(
    paramedic, training_trust, client_for
):
    client = client_for(training_trust.education_lead)
    choose_columns(client, upload(client, ESR_HEADER + ESR_ROWS, name="olm.csv").content.decode())

    response = upload(client, ESR_HEADER.upper() + b"1001,Ann,cstf-fire,04/01/2025,,\n", name="olm-2.csv")

    job = ImportJob.objects.get(file_name="olm-2.csv")
    assert response["Location"] == job_page(job)
    run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 1)


def test_columns_can_be_chosen_again_for_a_layout_candour_knows(paramedic, training_trust, client_for):
    client = client_for(training_trust.education_lead)
    choose_columns(client, upload(client, ESR_HEADER + ESR_ROWS, name="olm.csv").content.decode())

    response = client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("olm.csv", ESR_HEADER + ESR_ROWS, content_type="text/csv"),
            "choose_columns": "on",
        },
    )

    assert "Which column is which?" in response.content.decode()


def test_columns_must_be_chosen_for_every_detail_the_feed_needs(training_trust, client_for):
    client = client_for(training_trust.education_lead)
    page = upload(client, ESR_HEADER + ESR_ROWS, name="olm.csv").content.decode()

    response = choose_columns(client, page, {**ESR_COLUMNS, "completed_on": ""})

    assert "Choose the column that gives the date completed" in response.content.decode()
    assert not ImportJob.objects.exists() and not ImportColumnMapping.objects.exists()


def test_columns_cannot_be_chosen_for_someone_elses_upload(training_trust, client_for, make_user):
    page = upload(
        client_for(training_trust.education_lead), ESR_HEADER + ESR_ROWS, name="olm.csv"
    ).content.decode()
    other = client_for(make_user(Role.EDUCATION_LEAD, training_trust.trust))

    response = choose_columns(other, page)

    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not ImportJob.objects.exists()
