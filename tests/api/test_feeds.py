"""Feeds in through the API: the importer's own checks and words, idempotency keys, and large batches
through the worker."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from candour.api import importers
from candour.api.endpoints.problems import NOT_ALLOWED
from candour.api.models import Submission
from candour.api.scopes import KeyScope
from candour.core.models import AuditEvent
from candour.learning.importers import import_training_records
from candour.learning.models import TrainingRecord
from candour.people.models import Person
from tests.api.support import issued_key
from tests.support.factories import JobRoleFactory, PersonFactory, StationFactory

TRAINING = "/api/v1/feeds/training-records"
ROSTER = "/api/v1/feeds/staff-roster"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(*people, subject="cstf-fire", on="2026-01-10"):
    return [
        {
            "staff_number": person,
            "subject_code": subject,
            "completed_on": on,
            "hours": "",
            "provider": "Academy",
        }
        for person in people
    ]


def _send(text, rows, idempotency_key="batch-1", path=TRAINING):
    return Client().post(
        path,
        json.dumps({"rows": rows}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}", "Idempotency-Key": idempotency_key},
    )


@pytest.fixture
def station():
    return StationFactory()


@pytest.fixture
def key(station):
    return issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[], **{})[0]


def test_good_rows_are_imported_at_once_and_the_call_audited(db, key):
    PersonFactory(staff_number="1001")
    PersonFactory(staff_number="1002")

    response = _send(key, _rows("1001", "1002"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "done" and body["created"] == 2 and body["rows"] == 2
    assert TrainingRecord.objects.count() == 2
    assert response["Location"] == f"/api/v1/submissions/{body['id']}"
    call = AuditEvent.objects.get(action="api_call")
    assert call.changes["submission"] == body["id"] and call.changes["rows"] == 2
    assert "1001" not in json.dumps(call.changes)  # never the payload
    imported = AuditEvent.objects.get(action="imported")
    assert body["id"] in imported.summary


def test_the_same_key_and_body_again_gives_the_first_answer_and_writes_nothing(db, key):
    PersonFactory(staff_number="1001")
    first = _send(key, _rows("1001"))
    TrainingRecord.objects.all().delete()  # were it imported again, the record would come back

    again = _send(key, _rows("1001"))

    assert again.status_code == 201 and again.json() == first.json()
    assert not TrainingRecord.objects.exists()
    assert AuditEvent.objects.filter(action="imported").count() == 1


def test_the_same_key_with_another_body_is_refused(db, key):
    PersonFactory(staff_number="1001")
    PersonFactory(staff_number="1002")
    _send(key, _rows("1001"))

    response = _send(key, _rows("1002"))

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert not TrainingRecord.objects.filter(person__staff_number="1002").exists()


def test_bad_rows_are_refused_in_the_file_imports_own_words_and_nothing_is_written(db, key):
    PersonFactory(staff_number="1001")
    rows = [*_rows("1001"), *_rows("9999"), *_rows("1001", subject="no-such", on="2099-01-01")]

    response = _send(key, rows)

    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["submission"]
    assert response["Content-Type"] == "application/problem+json"
    assert not TrainingRecord.objects.exists()
    header = "staff_number,subject_code,completed_on,hours,provider\n"
    csv = header + "".join(",".join(row.values()) + "\n" for row in rows)
    from_file = import_training_records(by=None, file=io.BytesIO(csv.encode()))
    expected = [(error.line - 1, error.column, error.reason) for error in from_file.errors]
    assert [(error["row"], error["column"], error["reason"]) for error in problem["errors"]] == expected
    assert problem["errors"][0]["message"].startswith("Row 2, staff_number: ")


def test_a_row_that_is_not_the_first_rows_shape_is_named(db, key):
    PersonFactory(staff_number="1001")
    rows = [*_rows("1001"), {"staff_number": "1001"}]

    problem = _send(key, rows).json()

    assert problem["errors"][0]["row"] == 2
    assert "row 1 has staff_number, subject_code" in problem["errors"][0]["reason"]


def test_a_key_for_another_feed_gets_the_generic_refusal(db, station):
    text, _ = issued_key(scopes=[KeyScope.SEND_STAFF_ROSTER], units=[])

    response = _send(text, _rows("1001"))

    assert response.status_code == 403 and response.json()["detail"] == NOT_ALLOWED


def test_a_submission_without_an_idempotency_key_is_refused(db, key):
    response = Client().post(
        TRAINING,
        json.dumps({"rows": []}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_staff_roster_comes_in_through_its_own_importer(db):
    text, _ = issued_key(scopes=[KeyScope.SEND_STAFF_ROSTER], units=[])
    station = StationFactory(code="NM-01")
    JobRoleFactory(code="paramedic")
    row = {
        "staff_number": "2001",
        "given_name": "Sam",
        "family_name": "Okafor",
        "job_role_code": "paramedic",
        "station_code": station.code,
        "start_date": "2021-09-01",
        "leave_date": "",
        "line_manager_staff_number": "",
        "is_apprentice": "N",
        "core_service_slug": "",
    }

    response = _send(text, [row], path=ROSTER)

    assert response.status_code == 201, response.content
    assert Person.objects.get(staff_number="2001").station == station


def test_another_integrations_submission_is_not_found(db, key):
    PersonFactory(staff_number="1001")
    sent = _send(key, _rows("1001")).json()
    other, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])

    response = Client().get(f"/api/v1/submissions/{sent['id']}", headers={"Authorization": f"Bearer {other}"})

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_large_submission_is_accepted_and_imported_by_the_worker(settings):
    settings.CANDOUR_API_IMMEDIATE_ROWS = 1
    text, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])
    PersonFactory(staff_number="1001")
    PersonFactory(staff_number="1002")

    accepted = _send(text, _rows("1001", "1002"))

    assert accepted.status_code == 202
    assert accepted.json()["state"] == "waiting"
    assert not TrainingRecord.objects.exists()
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    state = Client().get(accepted["Location"], headers={"Authorization": f"Bearer {text}"}).json()
    assert state["state"] == "done" and state["rows_checked"] == 2 and state["created"] == 2
    assert TrainingRecord.objects.count() == 2
    assert not list((settings.MEDIA_ROOT / "api-submissions").iterdir())


def test_a_submission_whose_worker_died_is_marked_failed_and_its_rows_removed(db, settings):
    settings.CANDOUR_API_IMMEDIATE_ROWS = 1
    settings.CANDOUR_IMPORT_TIMEOUT_SECONDS = 60
    text, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])
    accepted = _send(text, _rows("1001", "1002")).json()
    submission = Submission.objects.get(public_id=accepted["id"])
    stored = settings.MEDIA_ROOT / submission.stored_path
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    Submission.objects.filter(pk=submission.pk).update(state=Submission.State.RUNNING, updated_at=long_ago)

    assert importers.fail_stalled() == 1

    submission.refresh_from_db()
    assert submission.state == Submission.State.FAILED and submission.finished
    assert "stopped before it finished" in submission.errors[0]["reason"]
    assert not stored.exists()
    assert importers.fail_stalled() == 0


def test_a_running_submission_with_recent_progress_is_left_alone(db, settings):
    settings.CANDOUR_IMPORT_TIMEOUT_SECONDS = 60
    text, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])
    settings.CANDOUR_API_IMMEDIATE_ROWS = 1
    accepted = _send(text, _rows("1001", "1002")).json()
    Submission.objects.filter(public_id=accepted["id"]).update(state=Submission.State.RUNNING)

    assert importers.fail_stalled() == 0


def _roster_row() -> dict:
    station = StationFactory()
    JobRoleFactory(code="paramedic")
    return {
        "staff_number": "2001",
        "given_name": "Sam",
        "family_name": "Okafor",
        "job_role_code": "paramedic",
        "station_code": station.code,
        "start_date": "2021-09-01",
        "leave_date": "",
        "line_manager_staff_number": "",
        "is_apprentice": "N",
        "core_service_slug": "",
    }


@pytest.mark.parametrize("feed", ["training", "roster"])
def test_rows_changed_by_someone_else_while_checked_leave_the_submission_failed(db, monkeypatch, feed):
    from candour.core.importing import PreparedUpsert, StoredRowsChanged

    def changed_meanwhile(self):
        raise StoredRowsChanged

    monkeypatch.setattr(PreparedUpsert, "write", changed_meanwhile)
    PersonFactory(staff_number="1001")
    if feed == "training":
        text, rows, path = (
            issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])[0],
            _rows("1001"),
            TRAINING,
        )
    else:
        text, rows, path = (
            issued_key(scopes=[KeyScope.SEND_STAFF_ROSTER], units=[])[0],
            [_roster_row()],
            ROSTER,
        )

    response = _send(text, rows, path=path)

    assert response.status_code == 422
    assert "changed by someone else" in response.json()["errors"][0]["reason"]
    assert Submission.objects.get().state == Submission.State.FAILED
    assert not TrainingRecord.objects.exists() and not Person.objects.filter(staff_number="2001").exists()
