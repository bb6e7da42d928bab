"""The fleet pages: what is overdue leads to its rows, vehicles and assets show their overdue items, the fleet
lead records results, station managers quarantine; outside one's scope is a 404."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from candour.fleet.models import AssetStatus, MaintenanceKind, MaintenanceResult
from candour.people.roles import Role
from tests.fleet.conftest import TODAY


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def overdue_van(fleet):
    """NA101 at Ashby carrying a stretcher past its LOLER examination."""
    van = fleet.vehicle()
    stretcher = fleet.stretcher(vehicle=van)
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 3, 1))
    return van, stretcher


def _counted_rows(response) -> int:
    return response.content.decode().count("data-counted-row")


def test_the_overdue_summary_leads_to_the_rows_it_counts(fleet, overdue_van):
    page = _client(fleet.lead).get(reverse("fleet:show_overdue"))
    html = page.content.decode()
    assert "Ashby" in html
    rows_link = f"{reverse('fleet:list_overdue')}?station={fleet.ashby.public_id}"
    assert rows_link in html
    rows = _client(fleet.lead).get(rows_link)
    assert _counted_rows(rows) == 1 and "STR-1" in rows.content.decode()
    assert "Overdue and possibly unsafe" in rows.content.decode()
    flagged = _client(fleet.lead).get(
        f"{reverse('fleet:list_vehicles')}?station={fleet.ashby.public_id}&show=flagged"
    )
    assert _counted_rows(flagged) == 1 and "NA101" in flagged.content.decode()


def test_a_vehicle_page_shows_its_overdue_items_and_flag(fleet, overdue_van):
    van, _ = overdue_van
    html = (
        _client(fleet.ashby_manager).get(reverse("fleet:show_vehicle", args=[van.public_id])).content.decode()
    )
    assert "Flagged: an overdue item" in html
    assert "LOLER thorough examination was due" in html


def test_a_station_manager_cannot_see_another_stations_vehicle_or_filter_by_it(fleet):
    belton_van = fleet.vehicle("NB201", station=fleet.belton)
    client = _client(fleet.ashby_manager)
    assert client.get(reverse("fleet:show_vehicle", args=[belton_van.public_id])).status_code == 404
    assert client.get(reverse("fleet:show_asset", args=[belton_van.asset.public_id])).status_code == 404
    assert client.get(f"{reverse('fleet:list_overdue')}?station={fleet.belton.public_id}").status_code == 404
    assert client.get(f"{reverse('fleet:list_overdue')}?station=not-a-uuid").status_code == 404


def test_staff_may_not_see_the_fleet_pages(fleet, make_user):
    client = _client(make_user(Role.STAFF, fleet.ashby))
    assert client.get(reverse("fleet:show_overdue")).status_code == 403
    assert client.get(reverse("fleet:record_result")).status_code == 403


def test_only_the_fleet_lead_records_results(fleet, overdue_van):
    _, stretcher = overdue_van
    assert _client(fleet.ashby_manager).get(reverse("fleet:record_result")).status_code == 403
    page = _client(fleet.lead).get(f"{reverse('fleet:record_result')}?asset={stretcher.public_id}")
    assert page.status_code == 200 and 'value="STR-1"' in page.content.decode()


def _result_form(**changes) -> dict:
    fields = {
        "asset_tag": "STR-1",
        "kind": "loler",
        "done_on_day": str(TODAY.day),
        "done_on_month": str(TODAY.month),
        "done_on_year": str(TODAY.year),
        "outcome": "pass",
    }
    return fields | changes


def test_the_fleet_lead_records_a_loler_examination_that_clears_a_quarantined_stretcher(fleet, overdue_van):
    _, stretcher = overdue_van
    client = _client(fleet.lead)
    client.post(
        reverse("fleet:record_result"),
        _result_form(outcome="fail", defects="Cracked weld", danger_to_people="on"),
    )
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.QUARANTINED

    response = client.post(reverse("fleet:record_result"), _result_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("fleet:show_asset", args=[stretcher.public_id])
    stretcher.refresh_from_db()
    assert stretcher.status == AssetStatus.IN_SERVICE
    html = client.get(response["Location"]).content.decode()
    assert "Overdue and possibly unsafe" not in html and "In service" in html


def test_a_result_with_an_unknown_tag_and_a_future_date_shows_both_problems_and_writes_nothing(
    fleet, overdue_van
):
    tomorrow = TODAY + dt.timedelta(days=1)
    response = _client(fleet.lead).post(
        reverse("fleet:record_result"),
        _result_form(asset_tag="STR-404", done_on_day=str(tomorrow.day)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No asset on the register you look after has the tag STR-404" in html
    assert not MaintenanceResult.objects.exists()


def test_a_station_manager_quarantines_equipment_at_their_station(fleet, overdue_van):
    _, stretcher = overdue_van
    client = _client(fleet.ashby_manager)
    url = reverse("fleet:quarantine_asset", args=[stretcher.public_id])
    refused = client.post(url, {"reason": ""})
    assert "Enter why it is taken out of service" in refused.content.decode()
    response = client.post(url, {"reason": "Wheel lock fails", "clears_with": "loler"})
    assert response.status_code == 302
    stretcher.refresh_from_db()
    assert stretcher.is_quarantined and stretcher.quarantine_kind == "loler"
    listed = client.get(f"{reverse('fleet:list_assets')}?show=quarantined")
    assert _counted_rows(listed) == 1 and "Wheel lock fails" in listed.content.decode()


def test_a_station_manager_cannot_quarantine_another_stations_equipment(fleet):
    belton_defib = fleet.defibrillator(store=fleet.belton)
    url = reverse("fleet:quarantine_asset", args=[belton_defib.public_id])
    assert _client(fleet.ashby_manager).post(url, {"reason": "x"}).status_code == 404
    belton_defib.refresh_from_db()
    assert not belton_defib.is_quarantined
