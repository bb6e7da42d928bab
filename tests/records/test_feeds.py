"""The records feeds offered to other systems through the integration API: each sent as rows by a key with
its scope goes through the same importer as the file, and a key without the scope is refused."""

import json

import pytest
from django.test import Client

from candour.api.endpoints.problems import NOT_ALLOWED
from candour.api.scopes import KeyScope
from candour.core.importing import feeds
from candour.records.importers import RECORD_INDEX_COLUMNS, RecordIndexImporter
from candour.records.models import AccessAlert, AlertRule, CustodyEvent, PatientRecord, RecordAccess
from tests.api.support import issued_key
from tests.records.conftest import ALL_ELEMENTS

INDEX_ROW = {
    "record_id": "R1",
    "incident_reference": "INC-1",
    "record_type": "",
    "status": "final",
    "created_at": "2026-11-01T10:00",
    "finalised_at": "2026-11-01T11:30",
    "authors": "P100;P101",
    "station": "NTH",
    "medium": "paper",
    "provider": "",
    "elements_present": ALL_ELEMENTS,
    "patient_staff_number": "",
    "nhs_number": "9434765919",
}
CUSTODY_ROW = {
    "record_reference": "R1",
    "event": "completed_on_scene",
    "by_staff_number": "P100",
    "occurred_at": "2026-11-01T11:40",
}
ACCESS_ROW = {
    "staff_number": "C200",
    "record_reference": "R1",
    "accessed_at": "2026-11-02T10:00",
    "action": "print",
    "location": "Records office PC",
}


def _send(key_text: str, path: str, rows: list[dict], idempotency_key: str = "batch-1"):
    return Client().post(
        f"/api/v1/feeds/{path}",
        json.dumps({"rows": rows}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key_text}", "Idempotency-Key": idempotency_key},
    )


def test_the_record_index_feed_names_the_importers_own_columns(records_trust):
    assert tuple(column.name for column in RecordIndexImporter().columns) == RECORD_INDEX_COLUMNS
    offered = {feed.key: feed for feed in feeds.all_feeds()}
    assert offered["record_index"].columns == RECORD_INDEX_COLUMNS
    assert set(offered["record_index"].example) == set(RECORD_INDEX_COLUMNS)
    assert set(offered["custody_events"].example) == set(offered["custody_events"].columns)
    assert set(offered["record_access_log"].example) == set(offered["record_access_log"].columns)


def test_a_key_with_each_scope_sends_its_feed_and_the_rows_are_imported(records_trust):
    index_key, _ = issued_key(scopes=[KeyScope.SEND_RECORD_INDEX], units=[])
    custody_key, _ = issued_key(scopes=[KeyScope.SEND_CUSTODY_EVENTS], units=[])
    access_key, _ = issued_key(scopes=[KeyScope.SEND_RECORD_ACCESS_LOG], units=[])

    sent = [
        _send(index_key, "record-index", [INDEX_ROW]),
        _send(custody_key, "custody-events", [CUSTODY_ROW]),
        _send(access_key, "record-access-log", [ACCESS_ROW]),
    ]

    assert [response.status_code for response in sent] == [201, 201, 201], [r.content for r in sent]
    assert [response.json()["created"] for response in sent] == [1, 1, 1]
    record = PatientRecord.objects.get(record_id="R1")
    assert record.station == records_trust.north and record.complete and record.medium == "paper"
    assert CustodyEvent.objects.filter(record_reference="R1").count() == 1
    assert RecordAccess.objects.filter(staff_number="C200").count() == 1
    # The access rules ran on the rows the API brought, as on a file's.
    assert AccessAlert.objects.filter(rule=AlertRule.PRINT_EXPORT, staff_number="C200").exists()


def test_bad_rows_sent_through_the_api_are_named_and_nothing_is_written(records_trust):
    key_text, _ = issued_key(scopes=[KeyScope.SEND_RECORD_INDEX], units=[])

    response = _send(
        key_text, "record-index", [INDEX_ROW, {**INDEX_ROW, "record_id": "R2", "status": "lost"}]
    )

    assert response.status_code == 422
    assert [(error["row"], error["column"]) for error in response.json()["errors"]] == [(2, "status")]
    assert not PatientRecord.objects.exists()


@pytest.mark.parametrize(
    ("path", "row"),
    [("record-index", INDEX_ROW), ("custody-events", CUSTODY_ROW), ("record-access-log", ACCESS_ROW)],
)
def test_a_key_without_the_feeds_scope_is_refused(records_trust, path, row):
    key_text, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])

    response = _send(key_text, path, [row])

    assert response.status_code == 403 and response.json()["detail"] == NOT_ALLOWED
    assert not PatientRecord.objects.exists() and not CustodyEvent.objects.exists()
    assert not RecordAccess.objects.exists()
