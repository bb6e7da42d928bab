"""Completeness by area, and within an area by station, element and month: every number leads to the
records behind it, small counts are hidden, and no share is judged on a month under way or on too few
records. Units only: no colleague is named on it."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from candour.core.measures import Period
from candour.people.roles import Role
from candour.records import queries
from candour.records.importers import import_record_index
from tests.records.conftest import ALL_ELEMENTS, INDEX, csv_file, problems
from tests.support.factories import AreaFactory, StationFactory, make_user

NO_PAIN = ALL_ELEMENTS.replace("pain_score;", "")
NOVEMBER = Period.month(2026, 11)
TODAY = dt.date(2026, 12, 2)


def _rows(prefix, station, count, elements, month="2026-11", status="final", day="05"):
    finalised = f"{month}-{day}T12:00" if status != "draft" else ""
    return [
        f"{prefix}{n},INC-{prefix}{n},,{status},{month}-{day}T10:00,{finalised},P100,{station},electronic,,"
        f"{elements},,"
        for n in range(count)
    ]


@pytest.fixture
def areas(records_trust):
    """Records' area (North 6 complete + 6 without a pain score, South 7 complete), a second area of the
    same trust with 2 records at its one station, 6 private provider records; and 8 October records at
    North; and 2 December ones (the month under way)."""
    east = AreaFactory(parent=records_trust.trust, name="East")
    StationFactory(parent=east, code="EST", name="Eastbay")
    rows = [
        *_rows("NC", "NTH", 6, ALL_ELEMENTS),
        *_rows("NP", "NTH", 6, NO_PAIN),
        *_rows("SC", "STH", 7, ALL_ELEMENTS),
        *_rows("EC", "EST", 2, ALL_ELEMENTS),
        *_rows("OC", "NTH", 8, NO_PAIN, month="2026-10"),
        *_rows("DC", "NTH", 2, ALL_ELEMENTS, month="2026-12", day="01"),
        *_rows("DR", "NTH", 3, "", status="draft"),
    ]
    rows += [
        f"PP{n},INC-PP{n},,final,2026-11-06T10:00,2026-11-06T11:00,X900,,electronic,Swift Ambulances,"
        f"{ALL_ELEMENTS},,"
        for n in range(6)
    ]
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        result = import_record_index(by=None, file=csv_file(INDEX, *rows))
    assert result.ok, problems(result)
    return {"trust": records_trust, "east": east, "west": records_trust.north.parent}


@pytest.fixture
def lead(records_trust):
    return make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust)


def test_areas_are_counted_and_judged_with_small_counts_hidden(areas, lead):
    found = queries.area_completeness(lead, NOVEMBER, today=TODAY)

    rows = {row.name: row for row in found.units}
    west = rows[areas["west"].name]
    assert (west.records, west.incomplete, west.share_complete) == (19, 6, 68)
    # East's 2 is small; the private providers' 6, the smallest beside it, is hidden too, so that the total
    # less the rest does not give East's back.
    assert rows["East"].records is None and rows["No station (private providers)"].records is None
    assert rows["East"].share_complete is None and rows["East"].why_not_judged == "too_few"
    assert (found.total.records, found.total.incomplete, found.total.share_complete) == (27, 6, 78)


def test_within_an_area_each_station_element_and_month_is_shown(areas, lead):
    found = queries.area_completeness(lead, NOVEMBER, areas["west"], today=TODAY)

    assert [(row.name, row.records, row.incomplete) for row in found.units] == [
        ("North", 12, 6),
        ("South", 7, 0),
    ]
    pain = next(row for row in found.elements if row.code == "pain_score")
    assert (pain.measured, pain.missing) == (19, 6)
    months = {row.month: row for row in found.months}
    assert len(found.months) == 12 and found.months[-1].month == NOVEMBER
    october = months[Period.month(2026, 10)]
    assert (october.records, october.incomplete, october.share_complete) == (8, 8, 0)


def test_the_month_under_way_is_counted_but_not_judged(areas, lead):
    found = queries.area_completeness(lead, Period.month(2026, 12), areas["west"], today=TODAY)

    assert found.so_far and found.total.share_complete is None and found.total.why_not_judged == "so_far"
    assert found.months[-1].share_complete is None and found.months[-2].share_complete == 68


def _linked_counts(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="(/records/list/\?[^"]+)">(\d+)</a>', page)


def test_every_number_on_the_page_leads_to_exactly_the_records_it_counts(client, areas, lead):
    client.force_login(lead)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        for page_url in (
            f"{reverse('records:show_completeness')}?month=2026-11",
            f"{reverse('records:show_completeness')}?month=2026-11&area={areas['west'].public_id}",
        ):
            page = client.get(page_url).content.decode()
            links = _linked_counts(page)
            assert len(links) >= 6, page_url
            for href, count in links:
                listed = client.get(href.replace("&amp;", "&")).content.decode()
                assert listed.count("data-counted-row") == min(int(count), 50), href


def test_the_page_names_no_one_and_an_area_out_of_scope_is_not_found(client, areas, lead):
    client.force_login(lead)
    page = client.get(f"{reverse('records:show_completeness')}?month=2026-11").content.decode()
    assert "P100" not in page and "Hidden" in page

    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD))
    url = f"{reverse('records:show_completeness')}?area={areas['east'].public_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"{reverse('records:show_completeness')}?area=not-a-uuid").status_code == 404


def test_staff_may_not_open_completeness_by_area(client, areas):
    client.force_login(make_user(Role.STAFF, areas["trust"].north))

    assert client.get(reverse("records:show_completeness")).status_code == 403
