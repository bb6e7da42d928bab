"""Records matched to operations' incidents: past the time limit, an attended incident with no record or
more than one final record, a record still in draft, and a record whose incident the CAD does not know,
each counted on the overview and listed on its worklist."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from candour.operations.models import CadIncident, Channel
from candour.people.roles import Role
from candour.records import queries
from candour.records.models import Medium, PatientRecord
from tests.support.factories import StationFactory, make_user

CLEARED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def incident(incident_id, station, *, on_scene=True, cleared=CLEARED):
    connected = cleared - dt.timedelta(hours=2)
    return CadIncident.objects.create(
        incident_id=incident_id,
        station=station,
        category="C2",
        call_connected=connected,
        first_on_scene=connected + dt.timedelta(minutes=20) if on_scene else None,
        crew_clear=cleared if on_scene else None,
        conveyed=False,
        channel=Channel.VOICE,
        month=dt.date(2026, 11, 1),
        counted_category="C2",
        response_seconds=1200 if on_scene else None,
        clock_rules="ARP 2017",
    )


def record(record_id, incident_id, station, status="final", started=CLEARED - dt.timedelta(hours=1)):
    return PatientRecord.objects.create(
        record_id=record_id,
        incident_reference=incident_id,
        status=status,
        started_at=started,
        finalised_at=None if status == "draft" else started,
        authors=["P100"],
        station=station,
        medium=Medium.ELECTRONIC,
    )


@pytest.fixture
def matched(records_trust):
    """At North: one incident with one final record (well matched), one with none, one with two final
    records, one with only a draft, one nobody attended; and a record of an incident the CAD never had."""
    north = records_trust.north
    incident("INC-OK", north)
    record("R-OK", "INC-OK", north)
    incident("INC-NONE", north)
    incident("INC-TWO", north)
    record("R-TWO-A", "INC-TWO", north)
    record("R-TWO-B", "INC-TWO", north, status="amended")
    incident("INC-DRAFT", north)
    record("R-DRAFT", "INC-DRAFT", north, status="draft")
    incident("INC-HEAR", north, on_scene=False)
    record("R-LOST", "INC-NOWHERE", north, started=CLEARED)
    return {
        "lead": make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust),
        "trust": records_trust,
    }


def _counts(user):
    return {each.kind: each.count for each in queries.match_counts(user)}


def test_past_the_limit_each_kind_of_exception_is_found_once(matched):
    with time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False):
        lead = matched["lead"]
        assert _counts(lead) == {"no_record": 1, "several_final": 1, "draft": 1, "no_incident": 1}
        assert [i.incident_id for i in queries.unmatched(lead, queries.NO_RECORD)] == ["INC-NONE"]
        assert [i.incident_id for i in queries.unmatched(lead, queries.SEVERAL_FINAL)] == ["INC-TWO"]
        assert [r.record_id for r in queries.unmatched(lead, queries.DRAFT)] == ["R-DRAFT"]
        assert [r.record_id for r in queries.unmatched(lead, queries.NO_INCIDENT)] == ["R-LOST"]


def test_within_the_limit_nothing_is_judged(matched):
    with time_machine.travel(CLEARED + dt.timedelta(hours=23, minutes=59), tick=False):
        assert set(_counts(matched["lead"]).values()) == {0}


@override_settings(CANDOUR_RECORDS_FINAL_WITHIN_HOURS=48)
def test_the_limit_is_a_setting(matched):
    with time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False):
        assert set(_counts(matched["lead"]).values()) == {0}
    with time_machine.travel(CLEARED + dt.timedelta(hours=49), tick=False):
        assert _counts(matched["lead"])["no_record"] == 1


def test_without_a_clear_time_the_limit_runs_from_arrival(matched):
    north = matched["trust"].north
    arrived_only = incident("INC-NOCLEAR", north)
    CadIncident.objects.filter(pk=arrived_only.pk).update(crew_clear=None)
    arrived = arrived_only.first_on_scene

    with time_machine.travel(arrived + dt.timedelta(hours=24, minutes=1), tick=False):
        missing = [i.incident_id for i in queries.unmatched(matched["lead"], queries.NO_RECORD)]

    assert "INC-NOCLEAR" in missing


def test_a_record_finalised_late_leaves_the_draft_list(matched):
    PatientRecord.objects.filter(record_id="R-DRAFT").update(status="final", finalised_at=CLEARED)

    with time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False):
        assert _counts(matched["lead"])["draft"] == 0


def test_incidents_and_records_at_another_trusts_station_are_not_counted(matched):
    elsewhere = StationFactory()
    incident("INC-ELSEWHERE", elsewhere)
    record("R-ELSEWHERE", "INC-ELSEWHERE-UNKNOWN", elsewhere)

    with time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False):
        counts = _counts(matched["lead"])

    assert counts["no_record"] == 1 and counts["no_incident"] == 1


def test_each_count_on_the_overview_leads_to_exactly_its_rows(client, matched):
    client.force_login(matched["lead"])
    with time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False):
        overview = client.get(reverse("records:show_overview")).content.decode()
        for kind, title in queries.KINDS.items():
            assert f"{title}: 1" in overview
            page = client.get(reverse("records:list_unmatched") + f"?kind={kind}").content.decode()
            assert page.count("data-counted-row") == 1, kind
        several = client.get(reverse("records:list_unmatched") + "?kind=several_final").content.decode()
        home = client.get(reverse("core:home")).content.decode()

    assert "R-TWO-A" in several and "R-TWO-B" in several
    assert "Attended incidents with no record" in home


def test_the_worklist_is_for_records_leads_only(client, matched):
    client.force_login(make_user(Role.STAFF, matched["trust"].north))

    assert client.get(reverse("records:list_unmatched")).status_code == 403


@pytest.mark.parametrize(("went_live", "no_record"), [(dt.date(2026, 11, 21), 0), (dt.date(2026, 11, 20), 1)])
def test_an_incident_that_ended_before_the_epcr_went_live_is_not_raised_as_having_no_record(
    matched, went_live, no_record
):
    with (
        override_settings(CANDOUR_RECORDS_MATCHING_FROM=went_live),
        time_machine.travel(CLEARED + dt.timedelta(hours=25), tick=False),
    ):
        counts = _counts(matched["lead"])

    assert counts["no_record"] == no_record
    assert counts["several_final"] == 1 and counts["draft"] == 1
