"""The demo CAD goes through the importers a month at a time (so a trust-year's million incidents never sit
in memory at once), and every page still has its story: the outage's unrecorded calls, the recorder test's
recordings with no call, the slow hospital, and the twenty long waits, the older ones reviewed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import mean

import time_machine

from candour.core.demo import build_demo
from candour.core.models import AuditEvent
from candour.operations import demo
from candour.operations.models import CadIncident, HarmReview, RecordingException, ReviewStatus

TODAY = dt.date(2026, 11, 18)


def test_the_demo_cad_arrives_a_month_at_a_time_and_keeps_its_stories(db, monkeypatch):
    # A small volume over four months: enough months to be sent one by one, and days for the long waits.
    monkeypatch.setitem(demo.VOLUME, "demo", (4, 4))

    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        build_demo(seed=2026, scale="demo", today=TODAY, parts=("people", "operations"))

    months = sorted(set(CadIncident.objects.values_list("month", flat=True)))
    assert months == [dt.date(2026, month, 1) for month in (7, 8, 9, 10, 11)]
    imported = AuditEvent.objects.filter(action="imported").order_by("pk")
    incident_files = [
        event.changes["file_name"] for event in imported if event.changes["feed"] == "CAD incidents"
    ]
    assert incident_files == [f"demo CAD incidents {month:%Y-%m}" for month in months]

    unrecorded = RecordingException.objects.open().filter(kind=RecordingException.Kind.UNRECORDED_CALL)
    assert unrecorded.count() >= len(demo.OUTAGE_NIGHTS_AGO) * demo.OUTAGE_CALLS_A_NIGHT
    assert set(unrecorded.values_list("call__position", flat=True)) == {demo.OUTAGE_POSITION}
    orphans = RecordingException.objects.filter(kind=RecordingException.Kind.RECORDING_WITHOUT_CALL)
    assert set(orphans.values_list("recording__position", flat=True)) == {"EOC-S-SPARE"}

    waits = defaultdict(list)
    conveyed = CadIncident.objects.filter(hospital__isnull=False, handover_complete__isnull=False)
    for name, arrived, handed_over in conveyed.values_list(
        "hospital__name", "arrived_at_hospital", "handover_complete"
    ):
        waits[name].append((handed_over - arrived).total_seconds())
    assert max(waits, key=lambda name: mean(waits[name])) == demo.SLOW_HOSPITAL

    reviews = HarmReview.objects.all()
    assert reviews.count() == demo.LONG_WAITS
    assert reviews.filter(status=ReviewStatus.COMPLETED).count() == len(demo.FINDINGS)
    assert reviews.filter(status=ReviewStatus.OPEN).exists()
