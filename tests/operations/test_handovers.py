"""Hospital handovers per hospital and month: the bands, the hours lost, release to rescue, and the
arrivals behind each count."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from candour.operations.access import VIEW_RESPONSE_TIMES
from candour.operations.models import CadIncident, Hospital
from candour.operations.queries.handovers import hospitals_for
from candour.people.access import scope_of
from candour.people.roles import Role
from tests.operations.test_overview import incident
from tests.support.factories import StationFactory, make_user

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)
HANDOVERS = reverse("operations:list_handovers")
ARRIVALS = reverse("operations:list_arrivals")


@pytest.fixture(autouse=True)
def _in_november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


def hospital_named(name, acute_trust=""):
    """The hospital, its code its name's initials ("Northmoor General" is NG)."""
    code = "".join(word[0] for word in name.split())
    return Hospital.objects.get_or_create(code=code, defaults={"name": name, "acute_trust": acute_trust})[0]


def arrival(station, hospital, minutes_to_handover, month=OCTOBER):
    stored = incident(station, month, "C2", 1200)
    arrived = stored.call_connected + dt.timedelta(hours=1)
    stored.hospital = hospital_named(hospital) if hospital else None
    stored.arrived_at_hospital = arrived
    stored.handover_complete = (
        None if minutes_to_handover is None else arrived + dt.timedelta(minutes=minutes_to_handover)
    )
    stored.save()
    return stored


def manager_of(station):
    return make_user(Role.OPERATIONS_MANAGER, station.parent)


def test_each_hospitals_handovers_fall_into_the_national_bands_and_count_the_hours_lost():
    station = StationFactory()
    for minutes in (10, 15, 25, 40, 55, 75, None):
        arrival(station, "Northmoor General", minutes)
    arrival(station, "Moorside Royal", 12)

    general, royal = hospitals_for(scope_of(manager_of(station), VIEW_RESPONSE_TIMES), OCTOBER)

    assert general.hospital == "Northmoor General"
    assert (general.arrivals, general.recorded, general.not_recorded) == (7, 6, 1)
    # Within each band counts every handover at or under it; 15 minutes exactly is within 15.
    assert general.within == {15: 2, 30: 3, 45: 4, 60: 5}
    assert general.over_60 == 1
    # Past 15 minutes: 0 + 0 + 10 + 25 + 40 + 60 = 135 minutes.
    assert general.lost_seconds == 135 * 60
    assert general.released_to_rescue == pytest.approx(4 / 6)
    assert (royal.hospital, royal.lost_seconds) == ("Moorside Royal", 0)


@override_settings(CANDOUR_HANDOVER_LOST_AFTER_MINUTES=30)
def test_the_time_after_which_minutes_are_lost_is_a_setting():
    station = StationFactory()
    arrival(station, "Northmoor General", 40)

    (general,) = hospitals_for(scope_of(manager_of(station), VIEW_RESPONSE_TIMES), OCTOBER)

    assert general.lost_seconds == 10 * 60


def test_the_page_shows_last_complete_month_and_each_count_leads_to_its_arrivals():
    station = StationFactory()
    counted = [arrival(station, "Northmoor General", minutes) for minutes in (10, 50)]
    arrival(station, "Moorside Royal", 20)
    arrival(station, "Northmoor General", 20, month=dt.date(2026, 11, 1))
    client = Client()
    client.force_login(manager_of(station))

    page = client.get(HANDOVERS).content.decode()
    listed = client.get(ARRIVALS, {"month": "2026-10", "hospital": "NG"}).content.decode()

    assert "Hospital handovers, October 2026" in page
    assert f"{ARRIVALS}?month=2026-10&amp;hospital=NG" in page
    assert "Arrivals at Northmoor General, October 2026" in listed
    assert listed.count("data-counted-row") == 2
    assert all(each.incident_id in listed for each in counted)
    assert "50 minutes" in listed


def test_arrivals_from_stations_outside_the_managers_are_not_shown():
    station, elsewhere = StationFactory(), StationFactory()
    arrival(elsewhere, "Northmoor General", 90)
    client = Client()
    client.force_login(manager_of(station))

    assert (
        "No crews from your stations arrived" in client.get(HANDOVERS, {"month": "2026-10"}).content.decode()
    )
    listed = client.get(ARRIVALS, {"month": "2026-10", "hospital": "NG"}).content.decode()
    assert "data-counted-row" not in listed
    assert CadIncident.objects.count() == 1


def test_staff_may_not_see_handovers():
    client = Client()
    client.force_login(make_user(Role.STAFF, StationFactory()))

    assert client.get(HANDOVERS).status_code == 403
    assert client.get(ARRIVALS, {"hospital": "NG"}).status_code == 403


def test_arrivals_without_a_hospital_chosen_or_at_an_unknown_one_are_not_found():
    station = StationFactory()
    client = Client()
    client.force_login(manager_of(station))

    assert client.get(ARRIVALS).status_code == 404
    assert client.get(ARRIVALS, {"hospital": "NOWHERE"}).status_code == 404


def test_the_hospital_page_names_its_acute_trust_to_take_the_figures_to():
    station = StationFactory()
    hospital_named("Northmoor General", acute_trust="Northmoor Hospitals NHS Foundation Trust")
    arrival(station, "Northmoor General", 50)
    client = Client()
    client.force_login(manager_of(station))

    page = client.get(HANDOVERS, {"month": "2026-10"}).content.decode()
    listed = client.get(ARRIVALS, {"month": "2026-10", "hospital": "NG"}).content.decode()

    assert "Northmoor Hospitals NHS Foundation Trust" in page
    assert "Northmoor General is part of Northmoor Hospitals NHS Foundation Trust" in listed


def test_arrivals_with_no_destination_recorded_are_counted_and_listed_on_their_own():
    station = StationFactory()
    arrival(station, "Northmoor General", 10)
    unrecorded = arrival(station, "", 20)
    client = Client()
    client.force_login(manager_of(station))

    rows = hospitals_for(scope_of(manager_of(station), VIEW_RESPONSE_TIMES), OCTOBER)
    listed = client.get(ARRIVALS, {"month": "2026-10", "hospital": ""}).content.decode()

    assert sorted((row.hospital, row.code, row.arrivals) for row in rows) == [
        ("", "", 1),
        ("Northmoor General", "NG", 1),
    ]
    assert "Arrivals at a hospital not recorded" in listed
    assert listed.count("data-counted-row") == 1 and unrecorded.incident_id in listed


def test_the_overview_names_the_hospitals_that_lost_most_hours_last_month_each_leading_to_its_arrivals():
    station = StationFactory()
    for hospital, minutes in [("Moorside Royal", 95), ("Northmoor General", 40), ("Dale Cottage", 16)]:
        arrival(station, hospital, minutes)
    arrival(station, "Fellside Infirmary", 10)
    client = Client()
    client.force_login(manager_of(station))

    page = client.get(reverse("operations:show_overview")).content.decode()

    named = page[page.index("Most hours lost at handover in October 2026") :]
    assert named.index("Moorside Royal") < named.index("Northmoor General") < named.index("Dale Cottage")
    assert "Fellside Infirmary" not in named.split("</ul>")[0]
    assert f"{ARRIVALS}?month=2026-10&amp;hospital=MR" in page
    assert "1.3 hours lost over 1 arrival" in page
