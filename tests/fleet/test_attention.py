"""The fleet's home cards: the fleet lead sees what is overdue, quarantined and past its deep clean; those
who review bariatric waits see the ones waiting; each card leads to exactly the rows it counts."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from candour.core.attention import items_for
from candour.fleet import services
from candour.fleet.models import MaintenanceKind
from candour.people.roles import Role
from tests.fleet.conftest import TODAY
from tests.support.counted_rows import counted_rows


def _cards(user) -> dict:
    return {item.title: item for item in items_for(user) if item.url.startswith("/fleet/")}


def test_the_fleet_lead_sees_what_is_overdue_quarantined_and_past_its_deep_clean(fleet, client_for):
    van = fleet.vehicle()
    stretcher = fleet.stretcher("STR-1", vehicle=van)
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=TODAY - dt.timedelta(days=200))
    fleet.result(
        stretcher,
        MaintenanceKind.LOLER,
        done_on=TODAY,
        outcome="fail",
        defects="Frame cracked",
        danger_to_people=True,
    )
    fleet.defibrillator("DEF-1", vehicle=van)

    cards = _cards(fleet.lead)

    # The van was registered today, so its deep clean is not yet overdue.
    assert {title: card.count for title, card in cards.items()} == {
        "Vehicles and equipment overdue": 1,
        "Equipment quarantined": 1,
    }
    client = client_for(fleet.lead)
    for card in cards.values():
        assert counted_rows(client, card.url) == (card.count, [])


def test_a_vehicle_never_deep_cleaned_is_a_card_from_the_day_after_it_was_registered(fleet, client_for):
    fleet.vehicle()
    assert "Vehicles overdue their deep clean" not in _cards(fleet.lead)

    services.record_clean(
        by=fleet.lead, vehicle=fleet.vehicle("NA102"), clean_type="deep", done_at=timezone.now()
    )
    tomorrow = TODAY + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(12), tzinfo=dt.UTC), tick=False):
        card = _cards(fleet.lead)["Vehicles overdue their deep clean"]
        assert card.count == 1
        assert counted_rows(client_for(fleet.lead), card.url) == (1, [])


def test_a_station_manager_has_no_fleet_cards(fleet):
    van = fleet.vehicle()
    fleet.schedule(
        van.asset, MaintenanceKind.MOT, starts_on=TODAY - dt.timedelta(days=400), interval_months=12
    )

    assert _cards(fleet.lead)["Vehicles and equipment overdue"].count == 1
    assert _cards(fleet.ashby_manager) == {}


def test_a_quality_lead_sees_bariatric_waits_to_review(fleet, make_user, client_for):
    quality = make_user(Role.QUALITY_LEAD, fleet.trust)
    services.record_bariatric_request(
        by=fleet.lead,
        station=fleet.ashby,
        incident_reference="INC-1",
        requested_at=timezone.now() - dt.timedelta(hours=3),
    )

    card = _cards(quality)["Bariatric waits to review"]

    assert card.count == 1
    assert counted_rows(client_for(quality), card.url) == (1, [])
    assert reverse("fleet:list_bariatric_requests") in card.url
