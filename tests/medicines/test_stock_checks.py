"""Stock checks: a blind count (the person counting never sees the register's balance), then the comparison;
a difference opens a discrepancy that the medicines lead investigates and resolves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.medicines import services
from candour.medicines.models import Discrepancy, StockCheck, StockCount
from candour.people.roles import Role
from tests.medicines.conftest import receive
from tests.support.factories import StationFactory, make_user


def _count_page(premises) -> str:
    return reverse("medicines:count_stock", kwargs={"premises_id": premises.public_id})


def _without_tokens_and_ids(html: str) -> str:
    """The page's words and numbers, without the tokens, public ids, script nonces and static file names
    that could hold any digits by chance (a nonce is new on every page, so it once held "137")."""
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'(href|src)="/static/[^"]*"', "", html)
    return re.sub(r'name="(csrfmiddlewaretoken|submission)" value="[^"]*"', "", html)


def _token(html: str) -> str:
    return re.search(r'name="submission" value="([0-9a-f]{32})"', html).group(1)


def test_the_count_page_never_shows_the_expected_balance(station, client_for):
    receive(station, 137)
    receive(station, 58, part=station.safe_fentanyl)
    html = client_for(station.paramedic).get(_count_page(station.safe)).content.decode()
    page = _without_tokens_and_ids(html)
    assert "Morphine sulfate" in page and "Fentanyl" in page
    assert "137" not in page and "58" not in page


def test_counting_one_part_shows_only_that_part_and_not_its_balance(station, client_for):
    receive(station, 137)
    url = _count_page(station.safe) + f"?part={station.safe_morphine.public_id}"
    page = _without_tokens_and_ids(client_for(station.paramedic).get(url).content.decode())
    assert "Morphine sulfate" in page and "Fentanyl" not in page
    assert "137" not in page


def test_a_count_that_agrees_opens_no_discrepancy_and_the_comparison_follows(station, client_for):
    receive(station, 12)
    client = client_for(station.paramedic)
    field = str(station.safe_morphine.public_id)
    response = client.post(_count_page(station.safe) + f"?part={field}", {field: "12"}, follow=True)
    check = StockCheck.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "medicines:show_stock_check", kwargs={"stock_check_id": check.public_id}
    )
    assert "None: the count agrees" in response.content.decode()
    assert not Discrepancy.objects.exists()


def test_a_difference_opens_a_discrepancy_and_the_comparison_shows_both_numbers(station, client_for):
    receive(station, 10)
    receive(station, 3, part=station.safe_fentanyl)
    client = client_for(station.paramedic)
    data = {str(station.safe_morphine.public_id): "9", str(station.safe_fentanyl.public_id): "3"}
    response = client.post(_count_page(station.safe), data, follow=True)
    html = response.content.decode()
    morphine = StockCount.objects.get(part=station.safe_morphine)
    assert (morphine.counted, morphine.expected, morphine.difference) == (9, 10, -1)
    discrepancy = Discrepancy.objects.get()
    assert discrepancy.count == morphine
    assert discrepancy.status == Discrepancy.Status.OPEN
    assert "Open: not yet known" in html
    assert AuditEvent.objects.filter(action="opened_cd_discrepancy").count() == 1
    assert AuditEvent.objects.filter(action="recorded_stock_check").count() == 1


def test_a_count_sent_twice_does_its_work_once(station, client_for):
    receive(station, 10)
    client = client_for(station.paramedic)
    html = client.get(_count_page(station.safe)).content.decode()
    data = {
        "submission": _token(html),
        str(station.safe_morphine.public_id): "8",
        str(station.safe_fentanyl.public_id): "0",
    }
    first = client.post(_count_page(station.safe), data)
    again = client.post(_count_page(station.safe), data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert StockCheck.objects.count() == 1
    assert Discrepancy.objects.count() == 1


def test_a_count_left_blank_is_refused_and_nothing_is_written(station, client_for):
    response = client_for(station.paramedic).post(
        _count_page(station.safe), {str(station.safe_morphine.public_id): "2"}
    )
    assert response.status_code == 200
    assert "Enter the ampoules of fentanyl" in response.content.decode()
    assert not StockCheck.objects.exists()


def test_someone_outside_the_station_cannot_count_its_stock(station, client_for):
    assert (
        client_for(make_user(Role.STAFF, StationFactory())).get(_count_page(station.safe)).status_code == 404
    )
    assert client_for(station.apprentice).get(_count_page(station.safe)).status_code == 403


def _discrepancy(station) -> Discrepancy:
    receive(station, 10)
    check = services.record_stock_check(
        by=station.paramedic, premises=station.safe, counted={station.safe_morphine: 7}
    )
    return check.counts.get().discrepancy


def test_the_medicines_lead_investigates_and_resolves_a_discrepancy(station, client_for):
    discrepancy = _discrepancy(station)
    url = reverse("medicines:show_discrepancy", kwargs={"discrepancy_id": discrepancy.public_id})
    client = client_for(station.lead)
    client.post(url, {"category": "unexplained_loss", "notes": "Checked the pouches"})
    discrepancy.refresh_from_db()
    assert (discrepancy.category, discrepancy.notes, discrepancy.status) == (
        "unexplained_loss",
        "Checked the pouches",
        "open",
    )
    client.post(
        url,
        {
            "category": "recording_error",
            "notes": "Found it",
            "resolve": "on",
            "outcome": "Three given, unrecorded",
        },
    )
    discrepancy.refresh_from_db()
    assert discrepancy.status == Discrepancy.Status.RESOLVED
    assert discrepancy.resolved_by == station.lead and discrepancy.outcome == "Three given, unrecorded"
    assert AuditEvent.objects.filter(action="resolved_cd_discrepancy").count() == 1


def test_resolving_without_an_outcome_or_a_kind_is_refused_and_nothing_changes(station):
    discrepancy = _discrepancy(station)
    with pytest.raises(Refused) as refused:
        services.work_discrepancy(
            by=station.lead, discrepancy=discrepancy, category="not_yet_known", notes="x", resolve=True
        )
    fields = {problem.field for problem in refused.value.each}
    assert fields == {"category", "outcome"}
    discrepancy.refresh_from_db()
    assert discrepancy.status == "open" and discrepancy.notes == ""


def test_staff_see_a_discrepancy_but_only_the_lead_may_work_it(station, client_for):
    discrepancy = _discrepancy(station)
    url = reverse("medicines:show_discrepancy", kwargs={"discrepancy_id": discrepancy.public_id})
    client = client_for(station.paramedic)
    page = client.get(url)
    assert page.status_code == 200 and "Investigate" not in page.content.decode()
    assert client.post(url, {"category": "breakage"}).status_code == 404
    discrepancy.refresh_from_db()
    assert discrepancy.category == "not_yet_known"
