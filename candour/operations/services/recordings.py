"""Call recording assurance: every call in the CAD's call log matched to its recording, and what does not
match kept as an exception until someone closes it with a reason (docs/adr/0035).

`reconcile` matches the calls that connected in a span of time, first by the call id the recorder gives,
then by answering position and time within a tolerance, and raises or closes exceptions to agree with what
it found. It can run any number of times over the same span: an exception is raised once per kind per call
(or recording), and one it raised is closed by a later run that finds the recording (a late export), or
opened again by one that loses it. Nothing is judged about a call until the grace period after it ended
has passed, because recorder exports arrive late.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.importing import prepare_upsert
from candour.core.refusals import Refused
from candour.operations.access import WORK_RECORDINGS
from candour.operations.models import CadCall, CadIncident, Channel, Recording, RecordingException
from candour.people.access import require_reach

Kind, Reason, Severity = RecordingException.Kind, RecordingException.Reason, RecordingException.Severity
SEVERITY = {
    Kind.UNRECORDED_CALL: Severity.CRITICAL,
    Kind.TRANSCRIPT_MISSING: Severity.MAJOR,
    Kind.DURATION_MISMATCH: Severity.MAJOR,
    Kind.RECORDING_WITHOUT_CALL: Severity.MINOR,
}
# Reasons a person may give; "matched" is the reconciliation's own.
CLOSING_REASONS = [reason for reason in Reason if reason != Reason.MATCHED]
# A call whose exception was closed with one of these was recorded after all.
RECORDED_AFTER_ALL = (Reason.ARCHIVED, Reason.FALSE_POSITIVE)
# A call closed with this is not a 999 call, so it is left out of the share of calls recorded.
NOT_A_CALL = (Reason.TEST_CALL, Reason.DUPLICATE)
# SQLite allows at most 999 parameters in a query by default: look ids up in slices under that.
_IN_SLICE = 900
# A call's incident can connect a little before it (a second call about the same incident comes later).
_INCIDENT_LOOKBACK = dt.timedelta(days=1)
# A recording starts when the call is answered, which in a surge can be long after it connected.
ANSWER_WAIT = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Reconciled:
    calls: int
    matched: int
    raised: int
    closed: int
    reopened: int

    @property
    def summary(self) -> str:
        return (
            f"{self.calls} calls checked, {self.matched} matched to a recording; {self.raised} exceptions "
            f"raised, {self.closed} closed as matched, {self.reopened} opened again"
        )


def reconcile(
    *, since: dt.datetime, until: dt.datetime, now: dt.datetime | None = None, by=None, system: str = ""
) -> Reconciled:
    """Match the calls that connected in [since, until) to recordings and bring the exceptions into line.
    `by` is the person who asked for it, or None with `system` naming the job."""
    now = now or timezone.now()
    with transaction.atomic():
        calls = list(CadCall.objects.filter(connected__gte=since, connected__lt=until))
        recordings = list(
            Recording.objects.filter(
                started__gte=since - _tolerance(), started__lt=until + ANSWER_WAIT + _tolerance()
            )
        )
        stations = _stations_of(calls, since, until)
        matched = _match(calls, recordings)
        _write_matches(calls, matched, stations)
        result = _bring_exceptions_into_line(calls, recordings, matched, since, until, now)
        audit.record(
            action="recordings_reconciled",
            actor=by,
            system=system if by is None else "",
            summary=f"Calls and recordings reconciled from {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M}: "
            f"{result.summary}",
            changes={"since": since.isoformat(), "until": until.isoformat(), **result.__dict__},
        )
        return result


def reconcile_recent(*, now: dt.datetime | None = None, by=None, system: str = "") -> Reconciled:
    """The nightly run (and the worklist's "check now"): the last CANDOUR_RECORDING_RECONCILE_DAYS days."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.CANDOUR_RECORDING_RECONCILE_DAYS)
    return reconcile(since=since, until=now, now=now, by=by, system=system)


@transaction.atomic
def close_exception(*, by, exception_id: int, reason: str, note: str) -> RecordingException:
    """Close an exception with the reason and a note. Closing one already closed (a form sent twice)
    changes nothing."""
    exception = RecordingException.objects.select_for_update().get(pk=exception_id)
    require_reach(by, WORK_RECORDINGS, exception)
    if exception.closed_at is not None:
        return exception
    if reason not in CLOSING_REASONS:
        raise Refused("Choose why the exception can be closed.", field="reason")
    if not note.strip():
        raise Refused("Say what was found, so the next person can rely on it.", field="note")
    exception.closed_at, exception.closed_by = timezone.now(), by
    exception.close_reason, exception.close_note = reason, note.strip()
    exception.save(update_fields=["closed_at", "closed_by", "close_reason", "close_note", "updated_at"])
    audit.record(
        action="recording_exception_closed",
        actor=by,
        target=exception,
        summary=f"{exception.get_kind_display()} for {exception.subject} closed: "
        f"{exception.get_close_reason_display()}",
        changes={"reason": reason, "note": exception.close_note},
    )
    return exception


def _tolerance() -> dt.timedelta:
    return dt.timedelta(seconds=settings.CANDOUR_RECORDING_MATCH_TOLERANCE_SECONDS)


def _in_slices(values: list) -> Iterable[list]:
    for start in range(0, len(values), _IN_SLICE):
        yield values[start : start + _IN_SLICE]


def _stations_of(calls: list[CadCall], since: dt.datetime, until: dt.datetime) -> dict[int, int | None]:
    """A call is in the area of the incident that lists it (the call log itself has no area)."""
    wanted = {call.call_id for call in calls}
    station_of = {}
    incidents = CadIncident.objects.filter(
        call_connected__gte=since - _INCIDENT_LOOKBACK, call_connected__lt=until
    ).exclude(call_ids="")
    for call_ids, station_id in incidents.values_list("call_ids", "station_id").iterator():
        for call_id in call_ids.split(";"):
            if call_id.strip() in wanted:
                station_of[call_id.strip()] = station_id
    return {call.pk: station_of.get(call.call_id, call.station_id) for call in calls}


def _match(calls: list[CadCall], recordings: list[Recording]) -> dict[int, tuple[Recording, str]]:
    """Each call's recording, by call id where the recorder gives one, otherwise by the same position and
    channel starting nearest the answer within the tolerance; each recording accounts for one call."""
    by_call_id = {}
    for recording in recordings:
        if recording.call_id:
            by_call_id.setdefault(recording.call_id, recording)
    for ids in _in_slices([call.call_id for call in calls if call.call_id not in by_call_id]):
        for recording in Recording.objects.filter(call_id__in=ids).order_by("started"):
            by_call_id.setdefault(recording.call_id, recording)
    matched = {}
    for call in calls:
        if call.call_id in by_call_id:
            matched[call.pk] = (by_call_id[call.call_id], CadCall.MatchedBy.CALL_ID)
    taken = {recording.pk for recording, _ in matched.values()} | _taken_outside(calls, recordings)
    known_calls = _known_call_ids(recordings)
    free = defaultdict(list)
    for recording in sorted(recordings, key=lambda recording: recording.started):
        if recording.pk not in taken and recording.call_id not in known_calls and recording.position:
            free[recording.position, recording.channel].append(recording)
    # Each position's recordings in order of start, so a call looks only at those within the tolerance of
    # its answer (a scan of the position's every recording per call grew with the square of a year's calls).
    starts = {place: [recording.started for recording in found] for place, found in free.items()}
    tolerance = _tolerance()
    for call in sorted(calls, key=lambda call: call.connected):
        if call.pk in matched or not call.position:
            continue
        start = call.answered or call.connected
        place = (call.position, call.channel)
        found, begun = free.get(place, []), starts.get(place, [])
        window = found[bisect_left(begun, start - tolerance) : bisect_right(begun, start + tolerance)]
        near = [recording for recording in window if recording.pk not in taken]
        if near:
            best = min(near, key=lambda recording: abs(recording.started - start))
            matched[call.pk] = (best, CadCall.MatchedBy.POSITION_AND_TIME)
            taken.add(best.pk)
    return matched


def _taken_outside(calls: list[CadCall], recordings: list[Recording]) -> set[int]:
    """Recordings already accounting for a call outside this span."""
    inside = {call.pk for call in calls}
    taken = set()
    for ids in _in_slices([recording.pk for recording in recordings]):
        for call_pk, recording_pk in CadCall.objects.filter(recording_id__in=ids).values_list(
            "pk", "recording_id"
        ):
            if call_pk not in inside:
                taken.add(recording_pk)
    return taken


def _known_call_ids(recordings: list[Recording]) -> set[str]:
    """The call ids recordings give that name a call in the call log."""
    given = sorted({recording.call_id for recording in recordings if recording.call_id})
    known = set()
    for ids in _in_slices(given):
        known |= set(CadCall.objects.filter(call_id__in=ids).values_list("call_id", flat=True))
    return known


def _write_matches(calls: list[CadCall], matched: dict, stations: dict[int, int | None]) -> None:
    changed = []
    for call in calls:
        recording, how = matched.get(call.pk, (None, ""))
        new = {
            "recording_id": recording.pk if recording else None,
            "matched_by": how,
            "station_id": stations[call.pk],
        }
        if (call.recording_id, call.matched_by, call.station_id) != tuple(new.values()):
            changed.append((call, new))
    # A recording may move from one call to another: let every moving call go of its old one first, so
    # the one-recording-per-call constraint never sees it held twice.
    _update([{"call_id": call.call_id, "recording_id": None} for call, _ in changed if call.recording_id])
    _update([{"call_id": call.call_id, **new} for call, new in changed])
    for call, new in changed:
        call.recording_id, call.matched_by, call.station_id = new.values()


def _update(records: list[dict]) -> None:
    # Prepared statements run many times over, by key: Django's bulk_update builds one CASE per field per
    # row, which costs minutes for a few thousand rows.
    for start in range(0, len(records), _IN_SLICE):
        prepare_upsert(CadCall, key=("call_id",), records=records[start : start + _IN_SLICE]).write()


def _bring_exceptions_into_line(calls, recordings, matched, since, until, now) -> Reconciled:
    grace = dt.timedelta(hours=settings.CANDOUR_RECORDING_GRACE_HOURS)
    wanted: dict[tuple[str, int | None, int | None], tuple[CadCall | None, Recording | None]] = {}
    judged_calls = [call for call in calls if (call.ended or call.connected) + grace <= now]
    for call in judged_calls:
        recording, _ = matched.get(call.pk, (None, ""))
        if recording is None:
            kind = Kind.UNRECORDED_CALL if call.channel == Channel.VOICE else Kind.TRANSCRIPT_MISSING
            wanted[kind, call.pk, None] = (call, None)
        elif call.channel == Channel.VOICE and _lengths_differ(call, recording):
            wanted[Kind.DURATION_MISMATCH, call.pk, None] = (call, recording)
    used = {recording.pk for recording, _ in matched.values()} | _taken_outside(calls, recordings)
    known_calls = _known_call_ids(recordings)
    judged_recordings = [
        recording
        for recording in recordings
        if since <= recording.started < until
        and recording.started + dt.timedelta(seconds=recording.duration_seconds) + grace <= now
    ]
    for recording in judged_recordings:
        if recording.pk not in used and recording.call_id not in known_calls:
            wanted[Kind.RECORDING_WITHOUT_CALL, None, recording.pk] = (None, recording)

    existing = _existing_exceptions(judged_calls, judged_recordings)
    reopened = 0
    new = []
    for key, (call, recording) in wanted.items():
        exception = existing.pop(key, None)
        if exception is None:
            new.append(_new_exception(key[0], call, recording, now))
        elif exception.close_reason == Reason.MATCHED:
            exception.closed_at, exception.close_reason, exception.close_note = None, "", ""
            exception.station_id = call.station_id if call else None
            exception.save(update_fields=["closed_at", "close_reason", "close_note", "station", "updated_at"])
            reopened += 1
        elif call and exception.station_id != call.station_id:
            exception.station_id = call.station_id
            exception.save(update_fields=["station", "updated_at"])
    RecordingException.objects.bulk_create(new, batch_size=500)
    answered = [exception.pk for exception in existing.values() if exception.closed_at is None]
    for ids in _in_slices(answered):
        RecordingException.objects.filter(pk__in=ids).update(
            closed_at=now,
            close_reason=Reason.MATCHED,
            close_note="A later reconciliation found nothing wrong (a late export, or a match).",
            updated_at=now,
        )
    return Reconciled(len(calls), len(matched), len(new), len(answered), reopened)


def _lengths_differ(call: CadCall, recording: Recording) -> bool:
    spoken = call.spoken_seconds
    tolerance = settings.CANDOUR_RECORDING_DURATION_TOLERANCE_SECONDS
    return spoken is not None and abs(recording.duration_seconds - spoken) > tolerance


def _existing_exceptions(calls: list[CadCall], recordings: list[Recording]) -> dict:
    found = {}
    for ids in _in_slices([call.pk for call in calls]):
        for exception in RecordingException.objects.filter(call_id__in=ids):
            found[exception.kind, exception.call_id, None] = exception
    for ids in _in_slices([recording.pk for recording in recordings]):
        for exception in RecordingException.objects.filter(recording_id__in=ids, call__isnull=True):
            found[exception.kind, None, exception.recording_id] = exception
    return found


def _new_exception(kind: str, call: CadCall | None, recording: Recording | None, now: dt.datetime):
    return RecordingException(
        kind=kind,
        severity=SEVERITY[kind],
        call=call,
        recording=recording,
        station_id=call.station_id if call else None,
        month=call.month if call else timezone.localdate(recording.started).replace(day=1),
        raised_at=now,
    )
