"""The register pages: who may read and record, the register as the paper one reads, its download for a
date range, and recording through the forms with the witness signing in on the page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from candour.medicines import services
from candour.medicines.models import Premises, RegisterEntry
from candour.people.roles import Role
from tests.medicines.conftest import TODAY, receive
from tests.support.factories import StationFactory, make_user, user_password


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _register(part) -> str:
    return reverse("medicines:show_register", kwargs={"register_part_id": part.public_id})


def _record(premises) -> str:
    return reverse("medicines:record_entry", kwargs={"premises_id": premises.public_id})


@pytest.mark.parametrize(
    ("role", "at", "reads", "records"),
    [
        (Role.STAFF, "station", True, True),
        (Role.MEDICINES_LEAD, "trust", True, True),
        (Role.CD_ACCOUNTABLE_OFFICER, "trust", True, True),
        (Role.APPRENTICE, "station", False, False),
        (Role.QUALITY_LEAD, "trust", False, False),
    ],
)
def test_who_may_read_the_register_and_record_in_it(station, client_for, role, at, reads, records):
    unit = station.unit if at == "station" else station.unit.parent.parent
    client = client_for(make_user(role, unit))
    assert client.get(_register(station.safe_morphine)).status_code == (200 if reads else 403)
    assert client.get(_record(station.safe)).status_code == (200 if records else 403)


def test_a_register_outside_the_readers_reach_is_not_found(station, client_for):
    client = client_for(make_user(Role.STAFF, StationFactory()))
    assert client.get(_register(station.safe_morphine)).status_code == 404
    assert client.get(_record(station.safe)).status_code == 404
    premises = reverse("medicines:show_premises", kwargs={"premises_id": station.safe.public_id})
    assert client.get(premises).status_code == 404


def test_the_register_reads_like_the_paper_one_with_corrections_as_notes(station, client_for):
    wrong = receive(station, 10, on=TODAY - dt.timedelta(days=1))
    services.record_correction(
        by=station.colleague, entry=wrong, adjustment=-1, reason="Nine arrived, not ten"
    )
    page = client_for(station.paramedic).get(_register(station.safe_morphine)).content.decode()
    head = page[page.index("<h1>Morphine sulfate</h1>") :]
    assert head.index("10 mg in 1 ml") < head.index("Ampoule for injection") < head.index("Schedule 2")
    assert "Northmoor pharmacy, 1 Infirmary Road, Northmoor" in page
    assert "Delivered after the shift ended" in page and "Late" in page
    assert "corrected on 18 November 2026" in page and "Nine arrived, not ten" in page
    assert page.index('id="line-1"') < page.index("<strong>Note:</strong>") < page.index('id="line-2"')


def test_the_download_holds_the_entries_of_the_dates_asked_for(station, client_for):
    receive(station, 10, on=TODAY - dt.timedelta(days=5))
    receive(station, 3, on=TODAY - dt.timedelta(days=2))
    receive(station, 1)
    url = reverse("medicines:export_register", kwargs={"register_part_id": station.safe_morphine.public_id})
    query = _date("starts_on", TODAY - dt.timedelta(days=3)) | _date("ends_on", TODAY - dt.timedelta(days=1))
    response = client_for(station.paramedic).get(url, query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Line", "Date", "What happened", "Quantity", "Change to balance", "Balance after"]
    assert [row[:6] for row in rows[1:]] == [["2", "2026-11-16", "Received", "3", "3", "13"]]


def test_a_receipt_recorded_through_the_form_reaches_the_register(station, client_for):
    data = {
        "drug": str(station.morphine.public_id),
        "kind": "received",
        "quantity": "10",
        "party_name": "Northmoor pharmacy",
        "party_address": "1 Infirmary Road",
        "batch": "MX100",
        **_date("occurred_on", TODAY),
        **_date("expires_on", dt.date(2028, 6, 30)),
    }
    response = client_for(station.paramedic).post(_record(station.safe), data)
    assert response.status_code == 302 and response["Location"] == _register(station.safe_morphine)
    assert services.balance_of(station.safe_morphine) == (10, 1)


def _wastage(station, witness_password: str) -> dict:
    """A dropped ampoule of morphine from the pouch, the colleague witnessing with this password."""
    return {
        "drug": str(station.morphine.public_id),
        "kind": "wasted",
        "quantity": "1",
        "dose": "10 mg",
        "witness_email": station.colleague.email,
        "witness_password": witness_password,
        **_date("occurred_on", TODAY),
    }


def test_a_wastage_is_witnessed_by_the_witness_signing_in_on_the_page(station, client_for):
    receive(station, 1, part=station.pouch_morphine)
    response = client_for(station.paramedic).post(_record(station.pouch), _wastage(station, user_password()))
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(kind="wasted")
    assert (entry.witness, entry.recorded_by) == (station.colleague, station.paramedic)


def test_a_witness_with_the_wrong_password_is_refused_on_the_page_and_nothing_is_written(station, client_for):
    receive(station, 1, part=station.pouch_morphine)
    response = client_for(station.paramedic).post(_record(station.pouch), _wastage(station, "wrong"))
    assert response.status_code == 200
    assert "the witness must sign in" in response.content.decode()
    assert not RegisterEntry.objects.filter(kind="wasted").exists()


def test_a_negative_balance_is_refused_on_the_page_with_the_reason(station, client_for):
    data = {
        "drug": str(station.morphine.public_id),
        "kind": "administered",
        "quantity": "1",
        "incident_reference": "INC-1",
        "authority": "JRCALC",
        **_date("occurred_on", TODAY),
    }
    response = client_for(station.paramedic).post(_record(station.pouch), data)
    assert response.status_code == 200
    assert "below zero: the balance is 0" in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_a_transfer_through_the_form_writes_both_sides(station, client_for):
    receive(station, 5)
    data = {
        "drug": str(station.morphine.public_id),
        "to_premises": str(station.pouch.public_id),
        "quantity_sent": "2",
        "quantity_received": "2",
        "witness_email": station.colleague.email,
        "witness_password": user_password(),
        **_date("occurred_on", TODAY),
    }
    url = reverse("medicines:record_transfer", kwargs={"premises_id": station.safe.public_id})
    response = client_for(station.paramedic).post(url, data)
    assert response.status_code == 302
    assert services.balance_of(station.safe_morphine) == (3, 2)
    assert services.balance_of(station.pouch_morphine) == (2, 1)


def test_a_correction_through_the_form_leaves_the_entry_as_it_was(station, client_for):
    wrong = receive(station, 10)
    url = reverse("medicines:correct_entry", kwargs={"register_entry_id": wrong.public_id})
    response = client_for(station.colleague).post(url, {"adjustment": "-1", "reason": "Nine arrived"})
    assert response.status_code == 302
    assert list(station.safe_morphine.entries.values_list("quantity", "change", "balance_after")) == [
        (10, 10, 10),
        (1, -1, 9),
    ]


def test_controlled_drugs_is_in_the_navigation_of_those_who_read_registers(station, client_for):
    link = f'href="{reverse("medicines:list_premises")}"'
    assert link in client_for(station.paramedic).get(reverse("core:home")).content.decode()
    assert link not in client_for(station.apprentice).get(reverse("core:home")).content.decode()


def test_the_premises_list_shows_the_premises_the_reader_keeps(station, client_for):
    elsewhere = make_user(Role.STAFF, StationFactory())
    page = client_for(station.paramedic).get(reverse("medicines:list_premises")).content.decode()
    assert "Ashby safe" in page and "Pouch 7" in page
    assert "Ashby safe" not in client_for(elsewhere).get(reverse("medicines:list_premises")).content.decode()


def test_the_medicines_lead_sets_up_premises_and_opens_a_part(station, client_for):
    client = client_for(station.lead)
    response = client.post(
        reverse("medicines:add_premises"),
        {"unit": str(station.unit.public_id), "kind": "vehicle", "name": "NM21 ABC cabinet"},
    )
    assert response.status_code == 302
    premises = Premises.objects.get(name="NM21 ABC cabinet")
    assert (premises.unit, premises.kind) == (station.unit, "vehicle")
    url = reverse("medicines:open_part", kwargs={"premises_id": premises.public_id})
    assert client.post(url, {"drug": str(station.ketamine.public_id)}).status_code == 302
    again = client.post(url, {"drug": str(station.ketamine.public_id)})
    assert "already has a register part for Ketamine" in again.content.decode()
    assert premises.parts.count() == 1


def test_staff_may_not_set_up_premises_or_open_parts(station, client_for):
    client = client_for(station.paramedic)
    assert client.get(reverse("medicines:add_premises")).status_code == 403
    url = reverse("medicines:open_part", kwargs={"premises_id": station.safe.public_id})
    assert client.post(url, {"drug": str(station.ketamine.public_id)}).status_code == 403
