"""The ARP clock rules, case by case, on one incident at a time."""

import datetime as dt

import pytest
from django.test import override_settings

from candour.operations.arp.categories import Category
from candour.operations.arp.clock import (
    ClockError,
    Incident,
    Response,
    Retriage,
    clock_start,
    one_retriage,
    responses,
)
from candour.operations.arp.reference import rules_in_force

CONNECTED = dt.datetime(2024, 1, 10, 9, 0, 0, tzinfo=dt.UTC)


def at(seconds):
    """A time so many seconds after the call connected."""
    return CONNECTED + dt.timedelta(seconds=seconds)


def incident(category="C2", **events):
    fields = {
        "incident_id": "INC-1",
        "area": "North",
        "category": Category(category),
        "call_connected": CONNECTED,
        "chief_complaint_identified": None,
        "first_assigned": None,
        "first_on_scene": None,
        "first_transport_on_scene": None,
        "conveyed": False,
    }
    fields.update(events)
    return Incident(**fields)


def retriaged(*history):
    """Re-triages given as (seconds after connect, new category), in the order given."""
    return tuple(Retriage(at(seconds), Category(category)) for seconds, category in history)


def measured(**fields):
    return responses(incident(**fields), rules_in_force(CONNECTED))


def test_a_c1_clock_starts_30_seconds_after_connect_when_nothing_came_sooner():
    assert clock_start(incident("C1", chief_complaint_identified=at(45)), rules_in_force(CONNECTED)) == at(30)


def test_a_c2_clock_starts_240_seconds_after_connect_when_nothing_came_sooner():
    assert clock_start(incident("C2", chief_complaint_identified=at(300)), rules_in_force(CONNECTED)) == at(
        240
    )


def test_the_clock_starts_when_the_chief_complaint_is_identified_if_that_is_earliest():
    start = clock_start(
        incident("C3", chief_complaint_identified=at(90), first_assigned=at(120)), rules_in_force(CONNECTED)
    )
    assert start == at(90)


def test_the_clock_starts_when_the_first_resource_is_assigned_if_that_is_earliest():
    start = clock_start(
        incident("C2", chief_complaint_identified=at(200), first_assigned=at(60)), rules_in_force(CONNECTED)
    )
    assert start == at(60)


@override_settings(
    CANDOUR_ARP_C1_CLOCK_START_OFFSET_SECONDS=60, CANDOUR_ARP_C2_TO_C4_CLOCK_START_OFFSET_SECONDS=120
)
def test_the_clock_start_offsets_are_settings():
    rules = rules_in_force(CONNECTED)
    assert clock_start(incident("C1"), rules) == at(60)
    assert clock_start(incident("C4"), rules) == at(120)


def test_a_c1_clock_stops_when_the_first_resource_is_on_scene():
    assert measured(category="C1", first_assigned=at(20), first_on_scene=at(400)) == [
        Response(Category.C1, 380)
    ]


def test_a_transported_c1_also_counts_as_c1t_stopped_by_the_transporting_vehicle():
    counted = measured(
        category="C1",
        first_assigned=at(20),
        first_on_scene=at(400),
        first_transport_on_scene=at(700),
        conveyed=True,
    )
    assert counted == [Response(Category.C1, 380), Response(Category.C1T, 680)]


def test_a_c1_not_conveyed_is_not_counted_as_c1t_even_when_an_ambulance_came():
    counted = measured(
        category="C1", first_assigned=at(20), first_on_scene=at(400), first_transport_on_scene=at(700)
    )
    assert counted == [Response(Category.C1, 380)]


def test_a_conveyed_c2_stops_at_the_transport_capable_resource_not_the_first_car():
    counted = measured(
        category="C2",
        first_assigned=at(100),
        first_on_scene=at(600),
        first_transport_on_scene=at(1500),
        conveyed=True,
    )
    assert counted == [Response(Category.C2, 1400)]


def test_a_c3_not_conveyed_stops_at_a_transport_capable_resource_when_one_came():
    counted = measured(
        category="C3", first_assigned=at(100), first_on_scene=at(600), first_transport_on_scene=at(900)
    )
    assert counted == [Response(Category.C3, 800)]


def test_a_c4_not_conveyed_with_no_transport_stops_at_the_first_resource():
    assert measured(category="C4", first_assigned=at(100), first_on_scene=at(3000)) == [
        Response(Category.C4, 2900)
    ]


def test_an_incident_nobody_reached_has_no_response_to_count():
    assert measured(category="C3", first_assigned=at(100)) == []


def test_an_upgrade_restarts_the_clock_when_the_new_category_is_identified_and_counts_under_it():
    counted = measured(
        category="C3",
        first_assigned=at(200),
        retriages=retriaged((900, "C1")),
        first_on_scene=at(1200),
    )
    assert counted == [Response(Category.C1, 300)]


def test_a_downgrade_keeps_the_original_start_and_counts_under_the_new_category():
    counted = measured(
        category="C2",
        first_assigned=at(100),
        retriages=retriaged((900, "C4")),
        first_on_scene=at(2000),
    )
    assert counted == [Response(Category.C4, 1900)]


def test_a_retriage_to_the_same_category_keeps_the_original_start():
    counted = measured(
        category="C2",
        first_assigned=at(100),
        retriages=retriaged((500, "C2")),
        first_on_scene=at(700),
    )
    assert counted == [Response(Category.C2, 600)]


def test_an_upgrade_from_c2_to_c1_of_a_conveyed_patient_counts_c1_and_c1t_from_the_upgrade():
    counted = measured(
        category="C2",
        first_assigned=at(100),
        retriages=retriaged((300, "C1")),
        first_on_scene=at(800),
        first_transport_on_scene=at(1000),
        conveyed=True,
    )
    assert counted == [Response(Category.C1, 500), Response(Category.C1T, 700)]


@pytest.mark.parametrize(
    ("events", "named"),
    [
        ({"first_assigned": at(300), "first_on_scene": at(200)}, "on scene before the first was assigned"),
        ({"first_on_scene": at(-60)}, "on scene before the call connected"),
        ({"first_assigned": at(-1)}, "assigned before the call connected"),
        ({"chief_complaint_identified": at(-5)}, "chief complaint identified before the call connected"),
        (
            {"first_on_scene": at(500), "first_transport_on_scene": at(400)},
            "transport-capable resource on scene before",
        ),
        ({"first_transport_on_scene": at(400)}, "no first resource on scene"),
        ({"first_on_scene": at(400), "conveyed": True}, "conveyed, but no transport-capable resource"),
        ({"retriages": retriaged((-100, "C1"))}, r"re-triage 1 \(.*\) before the call connected"),
        (
            {"retriages": retriaged((300, "C3"), (900, "C1"), (600, "C4"))},
            r"re-triage 3 \(.*\) is earlier than re-triage 2",
        ),
    ],
)
def test_events_out_of_order_are_a_named_error_not_a_negative_duration(events, named):
    with pytest.raises(ClockError, match=named):
        measured(category="C2", **events)


def test_an_upgrade_after_the_first_resource_arrived_is_refused_rather_than_counted_as_negative():
    with pytest.raises(ClockError, match=r"would stop .* before it started"):
        measured(category="C3", first_on_scene=at(600), retriages=retriaged((700, "C1")))


def test_a_retriage_needs_both_its_time_and_its_new_category():
    assert one_retriage(None, None) == ()
    assert one_retriage(at(60), Category.C1) == retriaged((60, "C1"))
    with pytest.raises(ClockError, match="needs both its time and its new category"):
        one_retriage(at(60), None)
    with pytest.raises(ClockError, match="needs both its time and its new category"):
        one_retriage(None, Category.C1)


def test_of_several_retriages_the_incident_counts_under_the_last_and_each_upgrade_restarts_the_clock():
    # C3, up to C2 at 600 (restart), down to C4 at 900 (keep), up to C1 at 1200 (restart): C1 from 1200.
    counted = measured(
        category="C3",
        first_assigned=at(100),
        retriages=retriaged((600, "C2"), (900, "C4"), (1200, "C1")),
        first_on_scene=at(1500),
    )
    assert counted == [Response(Category.C1, 300)]


def test_after_several_downgrades_the_original_start_is_kept():
    counted = measured(
        category="C1",
        first_assigned=at(20),
        retriages=retriaged((300, "C2"), (900, "C4")),
        first_on_scene=at(2000),
    )
    assert counted == [Response(Category.C4, 1980)]


def test_an_upgrade_is_judged_against_the_category_in_force_not_the_first():
    # C2 down to C4 keeps the start; C4 back up to C3 is an upgrade from C4, so the clock restarts at 1000,
    # though C3 is less urgent than the C2 first coded.
    counted = measured(
        category="C2",
        first_assigned=at(100),
        retriages=retriaged((400, "C4"), (1000, "C3")),
        first_on_scene=at(1600),
    )
    assert counted == [Response(Category.C3, 600)]


def test_retriages_at_the_same_second_are_in_order():
    counted = measured(
        category="C3",
        first_assigned=at(100),
        retriages=retriaged((500, "C2"), (500, "C1")),
        first_on_scene=at(800),
    )
    assert counted == [Response(Category.C1, 300)]


def test_the_clock_rules_are_versioned_and_none_were_in_force_before_arp():
    assert rules_in_force(CONNECTED).version == "ARP 2017"
    with pytest.raises(ValueError, match="no ARP clock rules were in force before 2017-08-01"):
        rules_in_force(dt.datetime(2017, 7, 31, 22, 59, tzinfo=dt.UTC))
