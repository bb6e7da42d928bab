"""Data out as files: the guardian's quarterly return through the API is the return the guardian downloads,
counted over the key's units only, with the same hidden counts; no concern is ever given."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candour.api.scopes import KeyScope
from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.speakup.models import Concern, Identity, Kind, Route, Subject
from tests.api.support import integration, issued_key
from tests.support.factories import AreaFactory, StationFactory, make_user

RETURN = "/api/v1/exports/guardian-return"
TODAY = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
IN_QUARTER = dt.date(2026, 8, 10)  # Q2 2026/27, the latest complete quarter on TODAY
_references = itertools.count(1)


def _concerns(station, count, identity=Identity.OPEN):
    reporter = None if identity == Identity.ANONYMOUS else make_user(Role.STAFF, station)
    for _ in range(count):
        Concern.objects.create(
            reference=f"API-{next(_references)}",
            identity=identity,
            route=Route.GUARDIAN,
            raised_by=reporter,
            kind=Kind.WORKER_WELLBEING,
            subject_type=Subject.PROCESS,
            station=station,
            narrative="A concern the API must never give.",
            received_on=IN_QUARTER,
            triage_due_on=IN_QUARTER,
        )


def _get(text, query="", **headers):
    with time_machine.travel(TODAY, tick=False):
        return Client().get(RETURN + query, headers={"Authorization": f"Bearer {text}", **headers})


def _counts(body) -> dict:
    return {
        row["label"]: (row["count"], row["hidden"]) for section in body["sections"] for row in section["rows"]
    }


@pytest.fixture
def trust(db):
    station = StationFactory()
    other_area_station = StationFactory(parent=AreaFactory(parent=station.trust))
    _concerns(station, 7)
    _concerns(station, 1, Identity.ANONYMOUS)
    _concerns(other_area_station, 6)
    return station


_names = itertools.count(1)


def _key(station, units=None, scopes=(KeyScope.READ_GUARDIAN_RETURN,)):
    reporting = integration(station.trust, name=f"Board reporting {next(_names)}")
    text, _ = issued_key(reporting, scopes=list(scopes), units=units or [station.trust])
    return text


def test_the_csv_through_the_api_is_the_file_the_guardian_downloads(trust):
    guardian = make_user(Role.GUARDIAN, trust.trust)
    browser = Client()
    browser.force_login(guardian)
    with time_machine.travel(TODAY, tick=False):
        download = browser.get(reverse("speakup:show_guardian_return"), {"format": "csv"})

    answer = _get(_key(trust), "?quarter=2026-27-q2", Accept="text/csv")

    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer.content == download.content
    assert b"never give" not in answer.content


def test_the_json_return_counts_the_keys_units_and_hides_small_counts(trust):
    whole = _counts(_get(_key(trust)).json())
    one_area = _counts(_get(_key(trust, units=[trust.parent])).json())

    assert whole["Concerns raised"] == (14, False)
    assert one_area["Concerns raised"] == (8, False)
    assert one_area["Raised anonymously"] == (None, True)


def test_the_return_is_given_for_recent_quarters_only(trust):
    answer = _get(_key(trust), "?quarter=2019-20-q1")

    assert answer.status_code == 400
    assert answer.json()["detail"] == "Ask for one of the last 8 quarters, written like 2026-27-q2."


def test_a_key_without_the_returns_scope_is_refused(trust):
    answer = _get(_key(trust, scopes=[KeyScope.READ_MEASURES]))

    assert answer.status_code == 403


def test_the_call_is_audited_with_its_quarter_and_never_its_counts(trust):
    _get(_key(trust), "?quarter=2026-27-q2")

    event = AuditEvent.objects.filter(action="api_call").latest("pk")
    assert "2026-27-q2" in str(event.changes)
    assert "Concerns raised" not in str(event.changes)
