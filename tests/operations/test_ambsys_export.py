"""The trust's AmbSYS-shaped export: its complete months with the published field codes."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candour.operations.queries.ambsys import HEADER
from candour.people.roles import Role
from tests.operations.test_overview import incident
from tests.support.factories import StationFactory, make_user

pytestmark = pytest.mark.django_db

EXPORT = reverse("operations:export_ambsys")


@pytest.fixture(autouse=True)
def _in_november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


def download(client):
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert "linear-centiles" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_gives_each_complete_month_in_ambsys_shape():
    station = StationFactory()
    trust = station.parent.parent
    october, november = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    for seconds in (400, 500, 600):
        incident(station, october, "C1", seconds)
    incident(station, october, "C1", 300, c1t=1000)
    incident(station, october, "C2", None)  # nobody arrived: an incident, but no response
    incident(station, november, "C1", 100)  # the month under way is not exported
    client = Client()
    client.force_login(make_user(Role.EXECUTIVE, trust))

    rows = download(client)

    assert tuple(rows[0]) == HEADER
    assert len(rows) == 1 + 12
    assert [row[:2] for row in rows[1:3]] == [["2025", "11"], ["2025", "12"]]
    last = dict(zip(HEADER, rows[-1], strict=True))
    assert (last["Year"], last["Month"], last["Org Code"], last["Org Name"]) == (
        "2026",
        "10",
        trust.code,
        trust.name,
    )
    assert last["A7"] == "5"
    assert [last[code] for code in ("A8", "A9", "A10", "A11", "A12")] == ["4", "1", ".", ".", "."]
    # C1: 1800 s over 4, and the 90th centile at position 2.7 between 500 and 600.
    assert [last[code] for code in ("A24", "A25", "A26")] == ["1800", "450", "570"]
    assert [last[code] for code in ("A27", "A28", "A29")] == ["1000", "1000", "1000"]
    assert [last[code] for code in ("A30", "A31", "A32")] == [".", ".", "."]
    empty = dict(zip(HEADER, rows[1], strict=True))
    assert empty["A7"] == "0" and empty["A8"] == "."


def test_the_export_is_the_trusts_so_an_area_manager_is_refused():
    station = StationFactory()
    client = Client()
    client.force_login(make_user(Role.OPERATIONS_MANAGER, station.parent))

    assert client.get(EXPORT).status_code == 403
    assert EXPORT not in client.get(reverse("operations:show_overview")).content.decode()


def test_staff_may_not_download_the_export():
    client = Client()
    client.force_login(make_user(Role.STAFF, StationFactory()))

    assert client.get(EXPORT).status_code == 403
