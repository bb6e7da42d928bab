"""The import pages: the feeds a person may upload, each with its layout and template; an upload queued as a
background job and run by the worker (inline here); the job's page following it to its counts or its
problems; a file of another feed refused; a form sent twice queuing one import; and the watchdog."""

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candour.core.importing import feeds, jobs
from candour.core.models import AuditEvent, ImportJob
from candour.core.tasks import fail_stalled_imports, forget_import_files, run_import
from candour.operations.models import CadIncident, Hospital
from candour.people.roles import Role
from tests.operations.test_cad_incidents_import import COLUMNS, row
from tests.support.factories import StationFactory
from tests.support.html_forms import post_forms

IMPORTS = reverse("people:list_imports")
UPLOAD = reverse("people:upload_feed", kwargs={"feed": "cad-incidents"})
GOOD = (COLUMNS + "\n" + row("INC-1") + "\n" + row("INC-2", category="C3") + "\n").encode()
CALL_LOG_HEADER = "call_id,line,connected,answered,ended,channel,call_handler,position\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CANDOUR_IMPORT_TIMEOUT_SECONDS = 3600


@pytest.fixture
def manager(make_user):
    # The hospital the CAD rows of test_cad_incidents_import convey to: reference data the feed checks.
    Hospital.objects.create(code="NMG", name="Northmoor General", acute_trust="Northmoor Hospitals")
    station = StationFactory(code="S-NORTH")
    return make_user(Role.OPERATIONS_MANAGER, station.parent.parent)


@pytest.fixture
def client(manager, client_for):
    return client_for(manager)


def upload(client, content: bytes, name: str = "cad-incidents.csv", url: str = UPLOAD, **fields):
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields})


def job_page(job: ImportJob) -> str:
    return reverse("people:show_import_job", kwargs={"job_id": job.public_id})


def test_the_imports_page_lists_the_feeds_the_person_may_upload_with_each_layout(client):
    page = client.get(IMPORTS).content.decode()

    for title in ("CAD incidents", "CAD call log", "Recorder index"):
        assert f"<h2>{title}</h2>" in page
    assert "Staff roster" not in page and "Training records" not in page
    incidents = feeds.get("cad_incidents")
    for column in incidents.columns:
        assert f"<code>{column}</code>" in page
    assert incidents.example["call_connected"] in page
    assert reverse("people:download_feed_template", kwargs={"feed": "cad-incidents"}) in page


def test_the_imports_page_and_its_navigation_are_for_people_who_may_upload_a_feed(make_user, client_for):
    from candour.core.navigation import items_for

    staff = make_user(Role.STAFF)
    lead = make_user(Role.EDUCATION_LEAD)
    request = type("Request", (), {"user": staff, "path": "/"})()

    assert client_for(staff).get(IMPORTS).status_code == 403
    assert "Imports" not in [item["text"] for item in items_for(request)]
    request.user = lead
    assert "Imports" in [item["text"] for item in items_for(request)]
    page = client_for(lead).get(IMPORTS).content.decode()
    assert "<h2>Training records</h2>" in page and reverse("learning:upload_training_records") in page


def test_the_template_has_the_feeds_columns_and_its_example_row(client):
    response = client.get(reverse("people:download_feed_template", kwargs={"feed": "cad-incidents"}))

    assert response["Content-Disposition"] == 'attachment; filename="cad-incidents-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    incidents = feeds.get("cad_incidents")
    assert rows == [list(incidents.columns), [incidents.example[name] for name in incidents.columns]]


def test_a_good_file_is_queued_then_imported_by_the_worker_and_its_page_shows_the_counts(client, manager):
    response = upload(client, GOOD)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.feed, job.status, job.uploaded_by) == ("cad_incidents", ImportJob.Status.WAITING, manager)
    assert not CadIncident.objects.exists()

    assert run_import.call(job.pk) == ImportJob.Status.DONE

    assert set(CadIncident.objects.values_list("incident_id", flat=True)) == {"INC-1", "INC-2"}
    response = client.get(job_page(job))
    page = response.content.decode()
    assert "Refresh" not in response.headers
    assert re.search(r"<h1[^>]*>\s*Imported\s*</h1>", page)
    assert "cad-incidents.csv: 2 rows read" in page
    assert [value.strip() for value in _summary_values(page)][:3] == ["2", "0", "0"]
    assert reverse("operations:show_overview") in page
    imported = AuditEvent.objects.get(action="imported")
    assert imported.actor == manager and imported.changes["created"] == 2
    assert AuditEvent.objects.filter(action="uploaded_import", actor=manager).count() == 1
    assert not jobs.stored_file(job).exists()


def test_the_same_file_again_changes_nothing_and_says_so(client):
    upload(client, GOOD)
    run_import.call(ImportJob.objects.get().pk)

    upload(client, GOOD)
    again = ImportJob.objects.latest("created_at")
    run_import.call(again.pk)

    again.refresh_from_db()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_bad_row_is_shown_with_its_line_and_nothing_is_written(client):
    bad = (COLUMNS + "\n" + row("INC-1") + "\n" + row("INC-2", station="S-NOWHERE") + "\n").encode()
    upload(client, bad)
    job = ImportJob.objects.get()

    assert run_import.call(job.pk) == ImportJob.Status.FAILED

    assert not CadIncident.objects.exists()
    job.refresh_from_db()
    assert job.errors == [
        {"line": 3, "column": "station_code", "reason": "no station has the code 'S-NOWHERE'"}
    ]
    page = client.get(job_page(job)).content.decode()
    assert "Nothing was imported" in page and "The file has 1 problem." in page
    assert "no station has the code &#39;S-NOWHERE&#39;" in page
    assert f'href="{UPLOAD}"' in page and "Upload a corrected file" in page


def test_a_file_of_another_feed_is_refused_naming_that_feed(client):
    response = upload(client, (CALL_LOG_HEADER + "C-1,999-1,,,,voice,,P1\n").encode())

    page = response.content.decode()
    assert response.status_code == 200
    assert "This is a CAD call log file (its header has that feed&#39;s columns)" in page
    assert "not a CAD incidents file. Import it as CAD call log." in page
    assert not ImportJob.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_file_that_is_not_csv_is_refused_saying_what_it_is(client):
    response = upload(client, b"%PDF-1.7\n", name="incidents.pdf")

    assert "The file is a PDF, not a CSV file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_form_sent_twice_queues_one_import(client):
    form = post_forms(client.get(UPLOAD).content.decode())[0]
    fields = {**form.data(), "file": SimpleUploadedFile("cad-incidents.csv", GOOD, content_type="text/csv")}

    first = client.post(UPLOAD, fields)
    fields["file"] = SimpleUploadedFile("cad-incidents.csv", GOOD, content_type="text/csv")
    second = client.post(UPLOAD, fields, follow=True)

    job = ImportJob.objects.get()
    assert first["Location"] == job_page(job) == second.redirect_chain[0][0]
    assert "That form had been sent already" in second.content.decode()
    assert AuditEvent.objects.filter(action="uploaded_import").count() == 1
    assert len([path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]) == 1


def test_people_without_the_feeds_permission_cannot_upload_it_nor_see_its_jobs(client, make_user, client_for):
    upload(client, GOOD)
    job = ImportJob.objects.get()
    lead = client_for(make_user(Role.EDUCATION_LEAD))
    staff = client_for(make_user(Role.STAFF))
    other_manager = client_for(make_user(Role.EOC_MANAGER))

    assert lead.get(UPLOAD).status_code == 403 and upload(lead, GOOD).status_code == 403
    assert staff.get(UPLOAD).status_code == 403
    assert staff.get(job_page(job)).status_code == 403
    assert lead.get(job_page(job)).status_code == 404
    assert other_manager.get(job_page(job)).status_code == 404
    assert client.get(reverse("people:upload_feed", kwargs={"feed": "no-such-feed"})).status_code == 404
    assert ImportJob.objects.count() == 1


def test_a_feed_with_its_own_upload_page_is_sent_there(client_for, make_user):
    response = client_for(make_user(Role.EDUCATION_LEAD)).get(
        reverse("people:upload_feed", kwargs={"feed": "training-records"})
    )

    assert response.status_code == 302 and response["Location"] == reverse("learning:upload_training_records")


def test_a_running_jobs_page_shows_its_progress_and_refreshes_itself(client, manager):
    upload(client, GOOD)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    jobs.write_json(jobs.progress_file(job), {"rows_read": 4000, "bytes_read": 300, "total_bytes": 1200})

    response = client.get(job_page(job))

    page = response.content.decode()
    assert '<progress id="import-progress" max="1200" value="300">' in page
    assert "4,000 rows checked so far: 25% of the file" in page
    assert response["Refresh"] == str(settings.CANDOUR_AUTO_REFRESH_SECONDS)
    assert "Stop updating this page" in page
    stopped = client.get(job_page(job), {"refresh": "off"})
    assert "Refresh" not in stopped.headers and "Update this page" in stopped.content.decode()


def test_the_watchdog_fails_a_job_whose_worker_went_silent(client, manager, client_for):
    started = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(started, tick=False):
        upload(client, GOOD)
        job = ImportJob.objects.get()
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
        jobs.write_json(jobs.progress_file(job), {"rows_read": 1, "bytes_read": 1, "total_bytes": 2})
    os.utime(jobs.progress_file(job), (started.timestamp(), started.timestamp()))

    with time_machine.travel(started + dt.timedelta(minutes=59), tick=False):
        assert fail_stalled_imports.call() == 0
    with time_machine.travel(started + dt.timedelta(minutes=61), tick=False):
        assert fail_stalled_imports.call() == 1

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors[0]["stopped"]
    assert not jobs.stored_file(job).exists() and not jobs.progress_file(job).exists()
    # A client of its own: the travels in time left the first one's session idle past its timeout.
    page = client_for(manager).get(job_page(job)).content.decode()
    assert "The import stopped before it finished" in page and f'href="{UPLOAD}"' in page


def test_the_daily_sweep_forgets_old_files_no_waiting_job_holds(client):
    upload(client, GOOD)
    waiting = ImportJob.objects.get()
    stray = jobs.imports_dir() / "pending" / "abandoned"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    recent = jobs.imports_dir() / "recent"
    recent.write_bytes(b"x")
    old = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).timestamp()
    for path in (stray, jobs.stored_file(waiting)):
        os.utime(path, (old, old))

    assert forget_import_files.call() == 1

    assert not stray.exists() and recent.exists() and jobs.stored_file(waiting).exists()


def test_a_task_run_twice_imports_once(client):
    upload(client, GOOD)
    job = ImportJob.objects.get()
    run_import.call(job.pk)

    assert run_import.call(job.pk) == ImportJob.Status.DONE
    assert AuditEvent.objects.filter(action="imported").count() == 1


def _summary_values(page: str) -> list[str]:
    return re.findall(r"nhsuk-summary-list__value[^>]*>\s*(.*?)\s*</dd>", page, re.S)
