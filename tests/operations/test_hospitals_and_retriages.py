"""The CAD incidents feed against hospitals as reference data, and with each incident's whole re-triage
history: checked, stored in its own table, re-imported, and shown on the harm review's timeline."""

import datetime as dt

import pytest
import time_machine

from candour.operations.importers import import_cad_incidents
from candour.operations.models import CadIncident, Hospital, Retriage
from candour.operations.queries.harm_reviews import timeline
from tests.operations.test_cad_incidents_import import COLUMNS, csv_file, row

pytestmark = pytest.mark.django_db

WITH_HISTORY = COLUMNS + ",retriages"
# INC-1 is a C2 connected at 10:00, assigned at 10:01, first on scene at 10:15, the ambulance at 10:21.
DOWN_THEN_UP = "2024-03-05T10:02:00+00:00 C4;2024-03-05T10:05:00+00:00 C1"


def with_history(retriages, incident_id="INC-1", **cells):
    return row(incident_id, **cells) + "," + retriages


def imported(*rows, header=WITH_HISTORY):
    return import_cad_incidents(by=None, file=csv_file(*rows, header=header))


def history(incident_id="INC-1"):
    return list(
        Retriage.objects.filter(incident__incident_id=incident_id)
        .order_by("position")
        .values_list("position", "at", "category")
    )


# Hospitals


def test_a_destination_is_linked_to_its_hospital_by_code_or_by_name(stations, hospital):
    result = imported(
        with_history("", "INC-1", destination_hospital="NMG"),
        with_history("", "INC-2", destination_hospital="Northmoor General"),
    )

    assert result.ok, result.errors
    assert set(CadIncident.objects.values_list("hospital", flat=True)) == {hospital.pk}


@pytest.mark.parametrize(
    ("destination", "named"),
    [
        (
            "Nowhere General",
            "Line 3, destination_hospital: no hospital has the code or name 'Nowhere General'",
        ),
        ("OLD", "Line 3, destination_hospital: Old Cottage Hospital is marked as no longer receiving"),
    ],
)
def test_an_unknown_or_closed_hospital_is_named_and_nothing_is_written(stations, destination, named):
    Hospital.objects.create(code="OLD", name="Old Cottage Hospital", active=False)

    result = imported(with_history("", "INC-1"), with_history("", "INC-2", destination_hospital=destination))

    assert not result.ok
    assert str(result.errors[0]).startswith(named), result.errors
    assert not CadIncident.objects.exists()


# Re-triage histories


def test_a_history_of_retriages_is_stored_in_order_and_the_clock_counts_the_last(stations):
    result = imported(with_history(DOWN_THEN_UP))

    assert result.ok, result.errors
    stored = CadIncident.objects.get()
    # Down to C4 keeps the start; up to C1 at 10:05 restarts it: on scene at 10:15 is 600 seconds.
    assert (stored.counted_category, stored.response_seconds) == ("C1", 600)
    assert history() == [
        (1, dt.datetime(2024, 3, 5, 10, 2, tzinfo=dt.UTC), "C4"),
        (2, dt.datetime(2024, 3, 5, 10, 5, tzinfo=dt.UTC), "C1"),
    ]


def test_a_file_without_the_retriages_column_imports_its_one_pair_as_before(stations):
    result = imported(
        row("INC-1", retriaged_at="2024-03-05T10:05:00+00:00", retriaged_to="C1"), header=COLUMNS
    )

    assert result.ok, result.errors
    assert CadIncident.objects.get().counted_category == "C1"
    assert history() == [(1, dt.datetime(2024, 3, 5, 10, 5, tzinfo=dt.UTC), "C1")]


def test_the_pair_given_with_a_history_must_be_its_last(stations):
    agreeing = with_history(DOWN_THEN_UP, retriaged_at="2024-03-05T10:05:00+00:00", retriaged_to="C1")
    disagreeing = with_history(
        DOWN_THEN_UP, "INC-2", retriaged_at="2024-03-05T10:02:00+00:00", retriaged_to="C4"
    )

    assert imported(agreeing).ok
    refused = imported(disagreeing)
    assert [str(error) for error in refused.errors] == [
        "Line 2: retriaged_at and retriaged_to, given with retriages, must be its last re-triage"
    ]


@pytest.mark.parametrize(
    ("retriages", "named"),
    [
        (
            "2024-03-05T10:05:00+00:00 C1;2024-03-05T10:02:00+00:00 C4",
            "Line 3: re-triage 2 (2024-03-05T10:02:00+00:00) is earlier than re-triage 1",
        ),
        ("2024-03-05T09:59:00+00:00 C1", "Line 3: re-triage 1 (2024-03-05T09:59:00+00:00) before the call"),
        (
            "2024-03-05T10:05:00+00:00 C9",
            "Line 3, retriages: re-triage 1, '2024-03-05T10:05:00+00:00 C9': 'C9'",
        ),
        ("10:05 C1", "Line 3, retriages: re-triage 1, '10:05 C1': '10:05' is not an ISO 8601 time"),
        (
            "2024-03-05T10:05:00+00:00",
            "Line 3, retriages: re-triage 1, '2024-03-05T10:05:00+00:00', is not a time and a category",
        ),
        # An upgrade after the first resource arrived would stop the clock before it started.
        ("2024-03-05T10:20:00+00:00 C1", "Line 3: the C1 clock would stop"),
    ],
)
def test_a_bad_history_is_named_with_its_line_and_nothing_is_written(stations, retriages, named):
    result = imported(with_history(""), with_history(retriages, "INC-2"), with_history("", "INC-3"))

    assert not result.ok
    assert any(str(error).startswith(named) for error in result.errors), [str(e) for e in result.errors]
    assert not CadIncident.objects.exists()
    assert not Retriage.objects.exists()


def test_reimporting_the_same_history_changes_nothing_and_a_changed_one_is_rewritten(stations):
    imported(with_history(DOWN_THEN_UP), with_history("", "INC-2"))
    first = list(Retriage.objects.values_list("pk", flat=True))

    again = imported(with_history(DOWN_THEN_UP), with_history("", "INC-2"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Retriage.objects.values_list("pk", flat=True)) == first

    # Only the downgrade's time differs: the incident's figures are the same, its history is not.
    changed = imported(
        with_history("2024-03-05T10:03:00+00:00 C4;2024-03-05T10:05:00+00:00 C1"), with_history("", "INC-2")
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert [at.minute for _, at, _ in history()] == [3, 5]

    cleared = imported(with_history(""), with_history("", "INC-2"))
    assert (cleared.updated, cleared.unchanged) == (1, 1)
    assert history() == []
    assert CadIncident.objects.get(incident_id="INC-1").counted_category == "C2"


def test_the_timeline_shows_every_retriage_from_the_category_in_force(stations):
    imported(with_history(DOWN_THEN_UP, chief_complaint_identified="2024-03-05T10:00:30+00:00"))
    incident = CadIncident.objects.select_related("hospital").get()

    with time_machine.travel(dt.datetime(2024, 3, 6, tzinfo=dt.UTC)):
        events = [(event.at.strftime("%H:%M"), event.what) for event in timeline(incident)]

    assert events[:5] == [
        ("10:00", "Call connected"),
        ("10:00", "Chief complaint identified"),
        ("10:01", "First resource assigned"),
        ("10:02", "Re-triaged from C2 to C4"),
        ("10:05", "Re-triaged from C4 to C1"),
    ]
    assert ("10:50", "Arrived at Northmoor General") in events
