"""The CAD incidents feed: a good file, bad rows named with nothing written, and re-imports."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from candour.core.models import AuditEvent
from candour.operations.arp.categories import CODED
from candour.operations.importers import import_cad_incidents
from candour.operations.models import CadIncident, CodedCategory

pytestmark = pytest.mark.django_db

COLUMNS = (
    "incident_id,call_ids,station_code,category,retriaged_at,retriaged_to,call_connected,"
    "chief_complaint_identified,first_assigned,first_on_scene,first_transport_on_scene,conveyed,"
    "destination_hospital,arrived_at_hospital,handover_complete,crew_clear,outcome,channel,"
    "interpreter_language,interpreter_joined,bariatric,long_wait"
)


def row(incident_id="INC-1", station="S-NORTH", category="C2", **cells):
    values = {
        "incident_id": incident_id,
        "call_ids": "CALL-1",
        "station_code": station,
        "category": category,
        "retriaged_at": "",
        "retriaged_to": "",
        "call_connected": "2024-03-05T10:00:00+00:00",
        "chief_complaint_identified": "",
        "first_assigned": "2024-03-05T10:01:00+00:00",
        "first_on_scene": "2024-03-05T10:15:00+00:00",
        "first_transport_on_scene": "2024-03-05T10:21:00+00:00",
        "conveyed": "Y",
        "destination_hospital": "Northmoor General",
        "arrived_at_hospital": "2024-03-05T10:50:00+00:00",
        "handover_complete": "2024-03-05T11:10:00+00:00",
        "crew_clear": "2024-03-05T11:20:00+00:00",
        "outcome": "see_and_convey",
        "channel": "voice",
        "interpreter_language": "",
        "interpreter_joined": "",
        "bariatric": "N",
        "long_wait": "N",
    }
    values.update(cells)
    return ",".join(values[name] for name in COLUMNS.split(","))


def csv_file(*rows, header=COLUMNS):
    upload = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    upload.name = "cad-incidents.csv"
    return upload


def test_the_feeds_categories_are_the_engines_coded_categories():
    assert [choice.value for choice in CodedCategory] == list(CODED)


def test_a_good_file_stores_each_incident_with_the_response_the_clock_makes_of_it(stations):
    result = import_cad_incidents(
        by=None,
        file=csv_file(
            row("INC-1"),
            row(
                "INC-2",
                station="S-SOUTH",
                category="C3",
                retriaged_at="2024-03-05T10:05:00+00:00",
                retriaged_to="C1",
                first_on_scene="2024-03-05T10:12:00+00:00",
                first_transport_on_scene="2024-03-05T10:20:00+00:00",
            ),
            # Half past midnight on 1 April in London: an April incident, reached by nobody.
            row(
                "INC-3",
                call_connected="2024-03-31T23:30:00+00:00",
                first_assigned="",
                first_on_scene="",
                first_transport_on_scene="",
                conveyed="N",
                destination_hospital="",
                arrived_at_hospital="",
                handover_complete="",
                crew_clear="",
                outcome="hear_and_treat",
            ),
        ),
    )

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    first, upgraded, unreached = CadIncident.objects.order_by("incident_id")
    # C2 conveyed: assigned at 10:01, the ambulance on scene at 10:21.
    assert (first.counted_category, first.response_seconds, first.c1t_response_seconds) == ("C2", 1200, None)
    assert first.month == dt.date(2024, 3, 1)
    assert first.clock_rules == "ARP 2017"
    # C3 upgraded to C1 at 10:05: C1 from then to the first on scene, C1T to the ambulance.
    assert (upgraded.counted_category, upgraded.response_seconds, upgraded.c1t_response_seconds) == (
        "C1",
        420,
        900,
    )
    assert (unreached.month, unreached.response_seconds) == (dt.date(2024, 4, 1), None)
    assert AuditEvent.objects.filter(action="imported", summary__contains="3 created").exists()


def test_importing_the_same_file_again_changes_nothing(stations):
    import_cad_incidents(by=None, file=csv_file(row("INC-1"), row("INC-2")))
    stored = dict(CadIncident.objects.values_list("incident_id", "updated_at"))

    again = import_cad_incidents(by=None, file=csv_file(row("INC-1"), row("INC-2")))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(CadIncident.objects.values_list("incident_id", "updated_at")) == stored


def test_an_updated_file_changes_only_the_incidents_that_changed(stations):
    import_cad_incidents(by=None, file=csv_file(row("INC-1"), row("INC-2")))

    result = import_cad_incidents(
        by=None,
        file=csv_file(row("INC-1"), row("INC-2", first_transport_on_scene="2024-03-05T10:31:00+00:00")),
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert CadIncident.objects.get(incident_id="INC-2").response_seconds == 1800


@pytest.mark.parametrize(
    ("cells", "named"),
    [
        ({"category": "C5"}, "Line 3, category: 'C5' is not a category"),
        ({"station_code": "S-NOWHERE"}, "Line 3, station_code: no station has the code 'S-NOWHERE'"),
        ({"call_connected": "5/3/2024 10:00"}, "Line 3, call_connected: '5/3/2024 10:00' is not an ISO 8601"),
        (
            {"first_on_scene": "2024-03-05T10:00:30+00:00"},
            "Line 3: first resource on scene before the first was assigned",
        ),
        ({"first_on_scene": "2024-03-05T09:00:00+00:00", "first_assigned": ""}, "on scene before the call"),
        ({"handover_complete": "2024-03-05T10:40:00+00:00"}, "handover complete before arrival at hospital"),
        ({"channel": "fax"}, "Line 3, channel: 'fax' is not one of voice, text, bsl_video"),
        ({"incident_id": "INC-1"}, "Line 3, incident_id: 'INC-1' is also on line 2"),
        (
            {"call_connected": "2016-03-05T10:00:00+00:00"},
            "no ARP clock rules were in force before 2017-08-01",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(stations, cells, named):
    result = import_cad_incidents(
        by=None, file=csv_file(row("INC-1"), row(**{"incident_id": "INC-2", **cells}), row("INC-3"))
    )

    assert not result.ok
    assert any(named in str(error) for error in result.errors), [str(error) for error in result.errors]
    assert not CadIncident.objects.exists()
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_a_file_of_another_feed_is_refused_by_its_header(stations):
    result = import_cad_incidents(by=None, file=csv_file("1,2,3", header="call_id,line,connected"))

    assert not result.ok
    assert any("incident_id: missing from the header" in str(error) for error in result.errors)
    assert not CadIncident.objects.exists()


def test_the_command_imports_a_file_and_refuses_a_bad_one_naming_its_line(stations, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file(row("INC-1")).getvalue())
    bad.write_bytes(csv_file(row("INC-2", category="C9")).getvalue())
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_cad_incidents", str(good), stdout=stdout)
    with pytest.raises(CommandError, match=r"1 problem in .*bad\.csv; nothing was imported"):
        call_command("import_cad_incidents", str(bad), stdout=stdout, stderr=stderr)

    assert "1 created" in stdout.getvalue()
    assert "Line 2, category: 'C9' is not a category" in stderr.getvalue()
    assert list(CadIncident.objects.values_list("incident_id", flat=True)) == ["INC-1"]
