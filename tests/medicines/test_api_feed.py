"""The ePCR medicines export sent as rows through the integration API: the same importer as the file, so
the same checks and matching, for a key with the scope to send it, and no one else."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from candour.api.endpoints.problems import NOT_ALLOWED
from candour.api.scopes import KeyScope
from candour.medicines import services
from candour.medicines.models import PatientRecordMedicine
from tests.api.support import issued_key
from tests.medicines.conftest import TODAY, receive

FEED = "/api/v1/feeds/epcr-medicines"
GIVEN_ON = TODAY - dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _row(station, incident, quantity="1"):
    return {
        "incident_reference": incident,
        "drug": "Morphine sulfate",
        "dose": "10 mg",
        "quantity": quantity,
        "given_at": f"{GIVEN_ON:%Y-%m-%d}T14:05",
        "clinician_staff_number": station.paramedic.person.staff_number,
        "wasted": "N",
    }


def _send(key, rows, idempotency_key="epcr-1"):
    return Client().post(
        FEED,
        json.dumps({"rows": rows}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idempotency_key},
    )


def test_a_key_with_the_scope_sends_the_export_and_each_dose_is_matched(station):
    receive(station, 5, part=station.pouch_morphine, on=GIVEN_ON)
    given = services.record_entry(
        by=station.paramedic,
        premises=station.pouch,
        drug=station.morphine,
        movement=services.Movement(
            kind="administered",
            quantity=1,
            occurred_on=GIVEN_ON,
            incident_reference="INC-1",
            authority="JRCALC",
            dose="10 mg",
            late_reason="Entered after the shift",
        ),
    )
    key, _ = issued_key(scopes=[KeyScope.SEND_EPCR_MEDICINES], units=[])

    response = _send(key, [_row(station, "INC-1"), _row(station, "INC-2")])

    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    assert PatientRecordMedicine.objects.get(incident_reference="INC-1").matched_entry == given


def test_bad_rows_sent_are_named_and_nothing_is_written(station):
    key, _ = issued_key(scopes=[KeyScope.SEND_EPCR_MEDICINES], units=[])

    response = _send(key, [_row(station, "INC-1"), _row(station, "INC-2", quantity="none")])

    assert response.status_code == 422
    assert [(each["row"], each["column"]) for each in response.json()["errors"]] == [(2, "quantity")]
    assert not PatientRecordMedicine.objects.exists()


def test_a_key_without_the_scope_is_refused(station):
    key, _ = issued_key(scopes=[KeyScope.SEND_CAD_INCIDENTS], units=[])

    response = _send(key, [_row(station, "INC-1")])

    assert response.status_code == 403 and response.json()["detail"] == NOT_ALLOWED
    assert not PatientRecordMedicine.objects.exists()
