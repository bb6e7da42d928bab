"""Completeness of finished records by mandatory element and by station for a month, every number leading
to the records behind it, and small counts hidden."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.core.measures import Period
from candour.people.roles import Role
from candour.records import queries
from candour.records.importers import import_record_index
from tests.records.conftest import ALL_ELEMENTS, INDEX, csv_file, problems
from tests.support.factories import make_user

ALL = ALL_ELEMENTS
NO_PAIN = ALL.replace("pain_score;", "")
NOVEMBER = Period.month(2026, 11)


def _rows(prefix: str, station: str, count: int, elements: str, day: int = 5, status: str = "final"):
    finalised = f"2026-11-{day:02d}T12:00" if status != "draft" else ""
    return [
        f"{prefix}{n},INC-{prefix}{n},,{status},2026-11-{day:02d}T10:00,{finalised},P100,{station},electronic,,"
        f"{elements},,"
        for n in range(count)
    ]


@pytest.fixture
def november(records_trust):
    """North: 6 complete and 6 without a pain score; South: 7 complete; 3 drafts and 2 October records."""
    rows = [
        *_rows("NC", "NTH", 6, ALL),
        *_rows("NP", "NTH", 6, NO_PAIN),
        *_rows("SC", "STH", 7, ALL),
        *_rows("D", "NTH", 3, "", status="draft"),
        "OCT1,INC-O1,,final,2026-10-31T23:30,2026-10-31T23:50,P100,NTH,electronic,,,,",
        "OCT2,INC-O2,,final,2026-10-31T22:00,2026-10-31T23:00,P100,NTH,electronic,,,,",
    ]
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        result = import_record_index(by=None, file=csv_file(INDEX, *rows))
    assert result.ok, problems(result)
    return records_trust


@pytest.fixture
def lead(records_trust):
    return make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust)


def test_completeness_counts_final_records_of_the_month_by_element_and_station(november, lead):
    found = queries.completeness(lead, NOVEMBER, today=dt.date(2026, 12, 2))

    assert (found.records, found.incomplete, found.so_far) == (19, 6, False)
    pain = next(row for row in found.elements if row.code == "pain_score")
    assert (pain.measured, pain.missing, pain.share_present) == (19, 6, 68)
    news2 = next(row for row in found.elements if row.code == "news2")
    assert (news2.missing, news2.share_present) == (0, 100)
    assert [(row.name, row.records, row.incomplete) for row in found.stations] == [
        ("North", 12, 6),
        ("South", 7, 0),
    ]


def test_a_month_with_a_small_count_hides_it_and_what_would_give_it_back(records_trust, lead):
    rows = [*_rows("NC", "NTH", 10, ALL), *_rows("SC", "STH", 3, NO_PAIN)]
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        assert import_record_index(by=None, file=csv_file(INDEX, *rows)).ok

    found = queries.completeness(lead, NOVEMBER, today=dt.date(2026, 12, 2))

    stations = {row.name: row.records for row in found.stations}
    assert stations["South"] is None and (stations["North"] is None or found.records is None)
    pain = next(row for row in found.elements if row.code == "pain_score")
    assert pain.missing is None and pain.share_present is None


def test_the_month_under_way_is_shown_as_so_far(november, lead):
    found = queries.completeness(lead, Period.month(2026, 12), today=dt.date(2026, 12, 2))
    assert found.so_far and found.records == 0


def test_every_number_on_the_overview_leads_to_the_records_it_counts(november, lead, client):
    client.force_login(lead)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("records:show_overview") + "?month=2026-11").content.decode()
        assert "Completeness, November 2026" in page

        def listed(query: str) -> int:
            return (
                client.get(reverse("records:list_records") + query).content.decode().count("data-counted-row")
            )

        assert listed("?month=2026-11") == 19
        assert listed("?month=2026-11&incomplete=1") == 6
        assert listed("?month=2026-11&missing=pain_score") == 6
        north = next(row for row in queries.completeness(lead, NOVEMBER).stations if row.name == "North")
        assert f"station={north.station_id}" in page.replace("&amp;", "&")
        assert listed(f"?month=2026-11&station={north.station_id}&incomplete=1") == 6
        assert listed("?month=2026-11&missing=not_an_element") == 0


def test_records_outside_the_readers_trust_are_not_counted(november):
    elsewhere = make_user(Role.CLINICAL_AUDIT_LEAD)
    assert queries.completeness(elsewhere, NOVEMBER, today=dt.date(2026, 12, 2)).records == 0


def test_staff_cannot_open_the_overview(records_trust, client):
    client.force_login(make_user(Role.STAFF, records_trust.north))
    assert client.get(reverse("records:show_overview")).status_code == 403
    assert client.get(reverse("records:list_records")).status_code == 403


def test_a_station_that_is_not_a_uuid_is_not_found(records_trust, lead, client):
    client.force_login(lead)
    assert client.get(reverse("records:list_records") + "?station=north").status_code == 404
