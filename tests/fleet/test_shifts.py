"""Proof per shift: each vehicle's day and night shifts with and without a completed check, by station and
month, every count leading to its rows; a month is judged only once it is over."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from candour.core.measures import Period, get
from candour.fleet import queries, services
from candour.people.roles import Role
from tests.support.counted_rows import counted_rows

OCTOBER = Period.month(2026, 10)


def _registered(fleet, on: dt.datetime, call_sign="NA101", station=None):
    with time_machine.travel(on, tick=False):
        return fleet.vehicle(call_sign, station=station)


def _checked(crew, vehicle, day: dt.date, shift: str, hour: int = 8):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC), tick=False):
        answers = {item.pk: services.Answer(True) for item in services.checklist_for(vehicle)}
        services.submit_vehicle_check(by=crew, vehicle=vehicle, shift=shift, answers=answers)


def _station_row(fleet, month, station):
    return next(
        row for row in queries.shifts_by_station(fleet.lead, month, timezone.now()) if row.station == station
    )


def test_a_complete_month_counts_every_shift_and_those_checked(fleet, make_user, client_for):
    crew = make_user(Role.STAFF, fleet.ashby)
    vehicle = _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    _checked(crew, vehicle, dt.date(2026, 10, 3), "day")
    _checked(crew, vehicle, dt.date(2026, 10, 3), "night", hour=20)
    _checked(crew, vehicle, dt.date(2026, 10, 10), "night", hour=20)

    row = _station_row(fleet, OCTOBER, fleet.ashby)

    assert (row.vehicles, row.day.shifts, row.day.missed, row.night.shifts, row.night.missed) == (
        1,
        31,
        30,
        31,
        29,
    )
    assert row.all.checked == 3
    client = client_for(fleet.lead)
    page = client.get(reverse("fleet:show_shift_checks"), {"month": "2026-10"}).content.decode()
    assert "Vehicle checks by shift, October 2026" in page
    assert "(5%)" in page
    rows = f"{reverse('fleet:list_shifts')}?station={fleet.ashby.public_id}&month=2026-10"
    assert counted_rows(client, rows + "&shift=night&show=missed") == (29, [])
    assert counted_rows(client, rows + "&show=checked") == (3, [])
    assert counted_rows(
        client, f"{reverse('fleet:list_shifts')}?vehicle={vehicle.public_id}&month=2026-10"
    ) == (
        62,
        [],
    )


def test_a_vehicle_counts_its_shifts_from_when_it_was_put_on_the_register(fleet):
    _registered(fleet, dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC))

    row = _station_row(fleet, OCTOBER, fleet.ashby)

    # The day shift of 20 October began at 07:00, before it was registered; its night shift after.
    assert (row.day.shifts, row.night.shifts) == (11, 12)


def test_this_month_counts_the_shifts_begun_so_far_and_is_not_judged(fleet, make_user, client_for):
    crew = make_user(Role.STAFF, fleet.ashby)
    vehicle = _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    # Today's night check sent this morning, before the night shift began: not yet a shift to count.
    _checked(crew, vehicle, dt.date(2026, 11, 18), "night", hour=9)
    _checked(crew, vehicle, dt.date(2026, 11, 18), "day", hour=9)

    row = _station_row(fleet, Period.month(2026, 11), fleet.ashby)

    assert (row.day.shifts, row.night.shifts, row.all.checked) == (18, 17, 1)
    page = (
        client_for(fleet.lead).get(reverse("fleet:show_shift_checks"), {"month": "2026-11"}).content.decode()
    )
    assert "This month is not over" in page
    assert "%)" not in page


def test_the_last_complete_month_is_shown_unless_another_is_asked_for(fleet, client_for):
    client = client_for(fleet.lead)

    assert "October 2026" in client.get(reverse("fleet:show_shift_checks")).content.decode()
    assert client.get(reverse("fleet:show_shift_checks"), {"month": "2020-01"}).status_code == 404
    assert client.get(reverse("fleet:show_shift_checks"), {"month": "soon"}).status_code == 404
    assert client.get(reverse("fleet:list_shifts"), {"show": "all"}).status_code == 404


def test_a_station_manager_sees_the_shifts_of_their_own_stations_vehicles_only(fleet, client_for):
    ashby = _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    belton = _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC), "NA102", station=fleet.belton)
    client = client_for(fleet.ashby_manager)

    page = client.get(
        reverse("fleet:show_station_shifts"), {"station": fleet.ashby.public_id}
    ).content.decode()

    assert ashby.call_sign in page and belton.call_sign not in page
    assert (
        client.get(reverse("fleet:show_station_shifts"), {"station": fleet.belton.public_id}).status_code
        == 404
    )
    assert client.get(reverse("fleet:list_shifts"), {"vehicle": belton.public_id}).status_code == 404
    assert client.get(reverse("fleet:show_station_shifts")).status_code == 404


def test_the_measure_is_the_share_of_shifts_with_a_completed_check(fleet, make_user):
    crew = make_user(Role.STAFF, fleet.ashby)
    vehicle = _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    _registered(fleet, dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC), "NA102", station=fleet.belton)
    for day in range(1, 32):
        _checked(crew, vehicle, dt.date(2026, 10, day), "day")

    measure = get("fleet.vehicle_checks_per_shift_percent")

    ashby = measure.value_for(fleet.ashby, OCTOBER)
    assert (ashby.value, ashby.numerator, ashby.denominator) == (50.0, 31, 62)
    assert measure.value_for(fleet.north, OCTOBER).value == 25.0
    assert measure.value_for(fleet.north, Period.month(2026, 8)).value is None  # no vehicles yet
