"""The call recording exception the URL x role walk (tests/test_every_url.py) visits: an unrecorded call at
a station of the walking users' trust, and one at a station of the other trust."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candour.operations.models import CadCall, RecordingException


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
