"""Read models for call recording assurance: the exceptions worklist, one exception with what surrounds
it, and the figures the overview shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from candour.operations.models import CadCall, Recording, RecordingException
from candour.people.access import Scope

OPEN, CLOSED = "open", "closed"
# A manager looking for a call's recording by hand looks this far either side of it at its position.
NEARBY = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class OpenCounts:
    critical: int
    major: int
    minor: int
    old: int

    @property
    def total(self) -> int:
        return self.critical + self.major + self.minor


def exceptions_for(scope: Scope, *, show: str = OPEN, kind: str = ""):
    exceptions = RecordingException.objects.for_scope(scope).select_related("call", "recording", "station")
    exceptions = exceptions.open() if show == OPEN else exceptions.filter(closed_at__isnull=False)
    if kind in RecordingException.Kind.values:
        exceptions = exceptions.filter(kind=kind)
    return exceptions.order_by("severity", "raised_at") if show == OPEN else exceptions.order_by("-closed_at")


def open_counts(scope: Scope, *, now: dt.datetime | None = None) -> OpenCounts:
    now = now or timezone.now()
    old_before = now - dt.timedelta(days=settings.CANDOUR_RECORDING_EXCEPTION_OLD_DAYS)
    Severity = RecordingException.Severity
    counts = (
        RecordingException.objects.for_scope(scope)
        .open()
        .aggregate(
            critical=Count("pk", filter=Q(severity=Severity.CRITICAL)),
            major=Count("pk", filter=Q(severity=Severity.MAJOR)),
            minor=Count("pk", filter=Q(severity=Severity.MINOR)),
            old=Count("pk", filter=Q(raised_at__lt=old_before)),
        )
    )
    return OpenCounts(**counts)


def exception_for(scope: Scope, public_id) -> RecordingException | None:
    return (
        RecordingException.objects.for_scope(scope)
        .select_related("call", "recording", "station", "closed_by")
        .filter(public_id=public_id)
        .first()
    )


@dataclass(frozen=True)
class NearbyRecording:
    recording_id: str
    started: dt.datetime
    duration_seconds: int
    # The call it accounts for, as the reader may see it: the call id within their scope, else only that
    # there is one.
    accounts_for: str


def recordings_near(exception: RecordingException, scope: Scope) -> list[NearbyRecording]:
    """For a call with no recording: the recordings at its position around the time, matched or not, so
    the manager can see whether the recorder was running at all. A position answers calls for every area,
    so a recording of another area's call says so without naming it."""
    call = exception.call
    if call is None or not call.position:
        return []
    start = call.answered or call.connected
    nearby = (
        Recording.objects.filter(position=call.position, started__range=(start - NEARBY, start + NEARBY))
        .select_related("call__station")
        .order_by("started")[:20]
    )
    return [
        NearbyRecording(
            recording.recording_id,
            recording.started,
            recording.duration_seconds,
            # A recording no call accounts for has no `call` at all: getattr's default stands in.
            _accounts_for(getattr(recording, "call", None), scope),
        )
        for recording in nearby
    ]


def _accounts_for(call: CadCall | None, scope: Scope) -> str:
    if call is None:
        return "No call"
    return call.call_id if scope.reaches(call.station) else "A call outside your scope"


def calls_near(exception: RecordingException, scope: Scope) -> list[CadCall]:
    """For a recording with no call: the calls at its position around the time."""
    recording = exception.recording
    if exception.call_id or recording is None or not recording.position:
        return []
    return list(
        CadCall.objects.for_scope(scope)
        .filter(
            position=recording.position,
            connected__range=(recording.started - NEARBY, recording.started + NEARBY),
        )
        .order_by("connected")[:20]
    )
