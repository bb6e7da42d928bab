"""Long waits beyond the thresholds: the CAD's own long-wait flag opens a review too, and a sweep of the
stored incidents (nightly, and a command) opens the reviews a lowered threshold calls for, in a bounded number
of queries, once each."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candour.core.models import AuditEvent
from candour.operations.importers import import_cad_incidents
from candour.operations.long_waits import long_wait, long_waits
from candour.operations.models import CadIncident, HarmReview, Retriage
from candour.operations.services import sweep_long_waits
from candour.operations.tasks import open_reviews_of_long_waits
from tests.operations.test_cad_incidents_import import csv_file, row
from tests.operations.test_harm_reviews import imported, long_c2, review_of
from tests.operations.test_hospitals_and_retriages import WITH_HISTORY
from tests.support.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_day_after():
    with time_machine.travel(dt.datetime(2024, 3, 6, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def station(hospital):
    return StationFactory(code="S-NORTH")


def within(incident_id, minutes=20, **cells):
    """A C2 reached by an ambulance `minutes` after the 10:01 assignment (by default within C2's 40), and
    at hospital four hours after the call."""
    reached = (dt.datetime(2024, 3, 5, 10, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)).isoformat()
    events = {
        "first_on_scene": reached,
        "first_transport_on_scene": reached,
        "arrived_at_hospital": "2024-03-05T14:00:00+00:00",
        "handover_complete": "2024-03-05T14:20:00+00:00",
        "crew_clear": "2024-03-05T14:30:00+00:00",
    }
    return row(incident_id, station="S-NORTH", **{**events, **cells})


def imported_with_history(*rows):
    result = import_cad_incidents(by=None, file=csv_file(*rows, header=WITH_HISTORY))
    assert result.ok, result.errors


# The CAD's flag


def test_an_incident_the_cad_flags_as_a_long_wait_opens_a_review_though_under_every_threshold(station):
    imported(within("INC-1", long_wait="Y"), within("INC-2"))

    review = review_of("INC-1")
    assert review.threshold_seconds is None
    assert review.reason == "Flagged as a long wait by the CAD (C2 response of 20 minutes)"
    assert not HarmReview.objects.filter(incident__incident_id="INC-2").exists()


def test_a_flagged_incident_nobody_reached_is_reviewed_too(station):
    unreached = {
        "first_on_scene": "",
        "first_transport_on_scene": "",
        "conveyed": "N",
        "destination_hospital": "",
        "arrived_at_hospital": "",
        "handover_complete": "",
        "crew_clear": "",
        "outcome": "hear_and_treat",
    }
    imported(within("INC-1", long_wait="Y", **unreached))

    assert review_of("INC-1").reason == "Flagged as a long wait by the CAD (nobody arrived)"


def test_a_flagged_incident_over_its_threshold_names_the_threshold_and_is_reviewed_once(station):
    imported(long_c2("INC-1", long_wait="Y"))
    imported(long_c2("INC-1", long_wait="Y", crew_clear="2024-03-05T12:10:00+00:00"))

    assert HarmReview.objects.count() == 1
    assert review_of("INC-1").reason == "C2 response of 54 minutes, over 40 minutes"


# The sweep


def test_a_lowered_threshold_opens_the_reviews_of_stored_incidents_now_over_it_once(station, settings):
    imported(within("INC-1", 20), within("INC-2", 35), long_c2("INC-3"))
    assert list(HarmReview.objects.values_list("incident__incident_id", flat=True)) == ["INC-3"]

    settings.CANDOUR_HARM_REVIEW_OVER_MINUTES = {**settings.CANDOUR_HARM_REVIEW_OVER_MINUTES, "C2": 30}
    assert sweep_long_waits() == 1
    assert sweep_long_waits() == 0

    review = review_of("INC-2")
    assert review.reason == "C2 response of 35 minutes, over 30 minutes"
    assert review.due_on == dt.date(2024, 3, 20)
    assert HarmReview.objects.count() == 2
    event = AuditEvent.objects.filter(action="opened_harm_reviews").order_by("sequence").last()
    assert event.changes["opened"] == 1 and event.changes["thresholds_minutes"]["C2"] == 30


def test_a_lowered_any_c2_limit_reaches_an_incident_once_retriaged_to_c2(station, settings):
    # First coded C3, up to C2 as the resource was assigned, then down to C4: 100 minutes, within C4's 180.
    history = "2024-03-05T10:01:00+00:00 C2;2024-03-05T10:03:00+00:00 C4"
    imported_with_history(
        within("INC-1", 100, category="C3") + "," + history,
        within("INC-2", 100, category="C3") + ",",
    )
    assert not HarmReview.objects.exists()

    settings.CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES = 90
    assert sweep_long_waits() == 1
    assert review_of("INC-1").reason.startswith("Coded C2, response of 1 hour 40 minutes")


def test_the_sweep_takes_a_bounded_number_of_queries_however_many_incidents_it_opens(station, settings):
    imported(*(within(f"INC-{number}", 35) for number in range(30)))
    settings.CANDOUR_HARM_REVIEW_OVER_MINUTES = {**settings.CANDOUR_HARM_REVIEW_OVER_MINUTES, "C2": 30}

    with CaptureQueriesContext(connection) as queries:
        assert sweep_long_waits() == 30

    # Find them; then read them, their re-triages, write their reviews; and the audit event's few.
    assert len(queries) <= 12, [query["sql"] for query in queries]


def test_the_sweep_and_the_rule_for_one_incident_agree(station, settings):
    """The database filter and the rule for one incident name the same incidents, on every kind of case."""
    history = "2024-03-05T10:01:00+00:00 C2;2024-03-05T10:03:00+00:00 C4"
    imported_with_history(
        within("A", 20) + ",",
        within("B", 45) + ",",
        within("C", 100, category="C3") + "," + history,
        within("D", 130, category="C3") + ",",
        within("E", 130, category="C4") + ",",
        within("F", 10, long_wait="Y") + ",",
    )
    HarmReview.objects.all().delete()
    settings.CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES = 90
    coded = {incident_id: set() for incident_id in "ABCDEF"}
    for incident_id, category in Retriage.objects.values_list("incident__incident_id", "category"):
        coded[incident_id].add(category)

    by_rule = {
        incident.incident_id
        for incident in CadIncident.objects.all()
        if long_wait(
            coded_as={incident.category, *coded[incident.incident_id]},
            counted_category=incident.counted_category,
            response_seconds=incident.response_seconds,
            flagged_by_cad=incident.long_wait,
        )
    }
    by_filter = set(CadIncident.objects.filter(long_waits()).values_list("incident_id", flat=True))

    assert by_rule == by_filter == {"B", "C", "D", "F"}


def test_the_nightly_job_and_the_command_sweep(station, settings):
    imported(within("INC-1", 35), within("INC-2", 36))
    settings.CANDOUR_HARM_REVIEW_OVER_MINUTES = {**settings.CANDOUR_HARM_REVIEW_OVER_MINUTES, "C2": 30}
    out = io.StringIO()

    assert open_reviews_of_long_waits.call() == 2
    call_command("open_long_wait_reviews", stdout=out)

    assert out.getvalue().strip() == "0 harm reviews of long waits opened"
    assert HarmReview.objects.count() == 2
