"""The demo trust's records: built through the importers, with each of the issue's stories to show."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db.models import Count

from candour.core.demo import build_demo
from candour.operations.models import CadIncident, Channel
from candour.people.demo import demo_email
from candour.people.models import User
from candour.records import demo as records_demo
from candour.records.models import (
    AccessAlert,
    AlertRule,
    AlertStatus,
    CustodyEvent,
    CustodyStep,
    Medium,
    PatientRecord,
    RecordAuthor,
)
from candour.records.queries import custody, matching, mine
from candour.records.queries.completeness import month_starting
from candour.speakup.models import Concern

TODAY = dt.date(2026, 11, 22)
PARTS = ("people", "records")


@pytest.fixture
def demo(db):
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
        yield


def _user(slug):
    return User.objects.select_related("person").get(email=demo_email(slug))


def test_records_come_through_the_index_with_their_own_incident_references(demo):
    assert PatientRecord.objects.count() > 2000
    assert RecordAuthor.objects.count() >= PatientRecord.objects.count()
    references = Counter(
        reference.split("-0")[0]
        for reference in PatientRecord.objects.values_list("incident_reference", flat=True)
    )
    # Their own references, and two naming an incident the CAD does not know.
    assert references["NM-UNKNOWN"] == 2
    assert set(references) == {"EPCR-INC", "NM-UNKNOWN"}


def test_one_station_is_on_paper_and_slow_to_reach_the_records_office(demo):
    paper_stations = set(
        PatientRecord.objects.filter(medium=Medium.PAPER).values_list("station__code", flat=True)
    )
    assert len(paper_stations) == 1
    assert not PatientRecord.objects.filter(
        medium=Medium.ELECTRONIC, station__code__in=paper_stations
    ).exists()
    received = CustodyEvent.objects.filter(step=CustodyStep.RECEIVED_AT_RECORDS_OFFICE).count()
    assert received > 100
    late = custody.custody_exceptions(_user("ig.lead"), kind=custody.NOT_RECEIVED)
    assert late


def test_a_few_paper_records_are_lost_each_raised_as_a_concern(demo):
    lost = PatientRecord.objects.filter(lost_at__isnull=False)
    assert lost.count() == 3
    assert all(record.medium == Medium.PAPER for record in lost)
    references = [record.lost_concern_reference for record in lost]
    assert Concern.objects.filter(reference__in=references).count() == 3


def test_one_crew_member_often_misses_mandatory_elements(demo):
    completeness = {}
    for number in RecordAuthor.objects.values_list("staff_number", flat=True).distinct():
        ids = RecordAuthor.objects.filter(staff_number=number).values("record_reference")
        records = PatientRecord.objects.filter(record_id__in=ids, status="final")
        total = records.count()
        if total >= 30:
            completeness[number] = records.filter(complete=True).count() / total
    ranked = sorted(completeness.values())
    assert ranked[0] < 0.2
    assert ranked[1] > 0.6


def test_a_handful_of_unusual_accesses_raise_alerts_two_reviewed(demo):
    rules = Counter(AccessAlert.objects.values_list("rule", flat=True))
    assert set(rules) == {
        AlertRule.NOT_AUTHOR,
        AlertRule.OUT_OF_HOURS,
        AlertRule.OWN_RECORD,
        AlertRule.PRINT_EXPORT,
        AlertRule.BULK,
    }
    assert sum(rules.values()) <= 10
    statuses = Counter(AccessAlert.objects.values_list("status", flat=True))
    assert statuses[AlertStatus.JUSTIFIED] == 1
    assert statuses[AlertStatus.NOT_JUSTIFIED] == 1


def test_the_demo_paramedic_has_records_and_a_review_to_acknowledge(demo):
    staff = _user("staff").person
    month = month_starting("", TODAY)
    assert mine.own_records(staff).count() >= 20
    assert mine.my_records(staff, month_starting(f"{TODAY:%Y-%m}", TODAY), TODAY) is not None
    reviews = list(mine.reviews_to_acknowledge(staff))
    assert len(reviews) == 1
    assert set(reviews[0].missing) >= {"news2", "pain_score"}
    assert month is not None


def test_without_operations_incidents_every_record_is_unmatched_and_nothing_else(demo):
    # Only people and records were built: the CAD knows no incident, so no attended incident lacks a record.
    user = _user("clinical.audit")
    counts = {count.kind: count.count for count in matching.match_counts(user)}
    assert counts[matching.NO_RECORD] == 0
    assert counts[matching.NO_INCIDENT] > 2000


def test_the_same_seed_builds_the_same_records(db):
    from django.db import transaction

    def fingerprint():
        return list(
            PatientRecord.objects.order_by("record_id").values_list(
                "record_id", "incident_reference", "status", "medium", "complete"
            )
        ), list(
            AccessAlert.objects.values("rule")
            .annotate(n=Count("pk"))
            .order_by("rule")
            .values_list("rule", "n")
        )

    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        with transaction.atomic():
            build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
            first = fingerprint()
            transaction.set_rollback(True)
        build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
        assert fingerprint() == first


def _attended_incidents(stations, count, today):
    """Operations' incidents as its demo would import them, one every few hours back from today."""
    end = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    for number in range(1, count + 1):
        cleared = end - dt.timedelta(hours=6 * number)
        connected = cleared - dt.timedelta(hours=2)
        CadIncident.objects.create(
            incident_id=f"NM-{number:07d}",
            station=stations[number % len(stations)],
            category="C2",
            call_connected=connected,
            first_on_scene=connected + dt.timedelta(minutes=20),
            crew_clear=cleared,
            conveyed=False,
            channel=Channel.VOICE,
            month=cleared.date().replace(day=1),
            counted_category="C2",
            response_seconds=1200,
            clock_rules="ARP 2017",
        )


def test_with_operations_incidents_most_have_a_record_and_the_worklist_has_a_story(db):
    # Operations' demo runs first in a full build; here its incidents are made directly.
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        context = build_demo(seed=7, scale="demo", today=TODAY, parts=("people",))
        stations = [station for station in context.shared["stations"] if "Ambulance Station" in station.name]
        _attended_incidents(stations, 600, TODAY)
        records_demo.build(context)
        counts = {count.kind: count.count for count in matching.match_counts(_user("clinical.audit"))}
    assert counts == {
        matching.NO_RECORD: 5,
        matching.SEVERAL_FINAL: 3,
        matching.DRAFT: 4,
        matching.NO_INCIDENT: 2,
    }
    assert PatientRecord.objects.filter(incident_reference__startswith="NM-0").count() == 600 - 5 + 3
    # Incidents before the recent span have plain final records, streamed through the importer in bulk.
    older = PatientRecord.objects.filter(record_id__startswith="EPCR-H")
    span_starts = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC) - dt.timedelta(days=records_demo.RECENT_DAYS)
    assert older.count() == CadIncident.objects.filter(crew_clear__lt=span_starts).count() > 200
    assert not older.exclude(status="final").exists()
