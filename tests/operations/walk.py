"""The operations objects the URL x role walk (tests/test_every_url.py) visits, in the walking users' trust
and outside it: an open harm review of a long C2 wait, and a call with no recording."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candour.operations.models import CadCall, CadIncident, Channel, RecordingException
from candour.operations.services import open_reviews


def _harm_review(station) -> str:
    """An incident at the station whose C2 response took an hour, so its review is open."""
    connected = timezone.now() - dt.timedelta(days=3)
    incident = CadIncident.objects.create(
        incident_id=f"WALK-{station.code}",
        station=station,
        category="C2",
        call_connected=connected,
        first_assigned=connected + dt.timedelta(minutes=2),
        first_on_scene=connected + dt.timedelta(minutes=64),
        first_transport_on_scene=connected + dt.timedelta(minutes=64),
        conveyed=False,
        channel=Channel.VOICE,
        month=timezone.localdate(connected).replace(day=1),
        counted_category="C2",
        response_seconds=60 * 60,
        clock_rules="ARP 2017",
    )
    open_reviews(incident_ids=[incident.incident_id])
    return str(incident.harm_review.public_id)


def harm_reviews(world) -> tuple[str, str]:
    key = "_operations_harm_review"
    if key not in world.__dict__:
        world.__dict__[key] = (_harm_review(world.station), _harm_review(world.other_trust_station))
    return world.__dict__[key]


def _unrecorded_call(station) -> str:
    connected = timezone.now() - dt.timedelta(days=3)
    call = CadCall.objects.create(
        call_id=f"WALK-CALL-{station.code}",
        connected=connected,
        answered=connected + dt.timedelta(seconds=5),
        ended=connected + dt.timedelta(minutes=4),
        channel="voice",
        position="P7",
        month=timezone.localdate(connected).replace(day=1),
        station=station,
    )
    exception = RecordingException.objects.create(
        kind=RecordingException.Kind.UNRECORDED_CALL,
        severity=RecordingException.Severity.CRITICAL,
        call=call,
        station=station,
        month=call.month,
        raised_at=timezone.now(),
    )
    return str(exception.public_id)


def recording_exceptions(world) -> tuple[str, str]:
    return _unrecorded_call(world.station), _unrecorded_call(world.other_trust_station)
