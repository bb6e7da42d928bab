"""Northmoor's part of the demo trust for operations: CAD incidents, the call log and the voice recorder's
index (two years at demo scale; a trust-year of a real trust's volume at trust scale), sent a month at a time
through the same importers a trust's files go through, so every figure on the pages is the engine's own.

Each page has a story to tell:
- a winter C2 surge each December and January (more incidents, slower responses, still mostly in standard);
- Harrowby Royal Infirmary holds crews far longer at handover than the other hospitals;
- twenty long waits, over each category's threshold, spread over the span: the older ones reviewed
  (one found moderate harm, raised as a patient safety concern), the newer ones still waiting;
- text relay, 999 BSL video and interpreter calls;
- the recorder at position EOC-N-07 stopped for three nights a fortnight ago, so those calls have no
  recording; a few recordings are much shorter than their calls, a few have no call, and two text calls
  have no stored transcript.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator

from django.utils import timezone

from candour.core.demo import DemoContext
from candour.core.importing import RowSource
from candour.operations.call_importers import import_call_log, import_recorder_index
from candour.operations.hospitals import ensure_hospitals
from candour.operations.importers import import_cad_incidents
from candour.operations.models import HarmGrade, HarmReview, RecordingException, ReviewStatus
from candour.operations.services import complete_review, recordings
from candour.people.demo import demo_email
from candour.people.models import User

# Incidents a day, and months of CAD history, by scale: at demo scale enough for every month, area and
# category to have figures to show; at trust scale a trust-year as a real trust's CAD sends it (about a
# million incidents and 1.1 million calls), made and imported a month at a time so memory stays flat.
VOLUME = {"demo": (16, 24), "trust": (2_740, 12)}
# The hospitals crews convey to (code, name, the acute trust), the feed's reference data; fictional, like
# the trust.
HOSPITALS = [
    ("CVGH", "Calder Vale General Hospital", "Calder Vale Hospitals NHS Foundation Trust"),
    ("HRI", "Harrowby Royal Infirmary", "Harrowby and Fells Teaching Hospitals NHS Trust"),
    ("MDH", "Mere and Downs Hospital", "Mere and Downs Healthcare NHS Trust"),
    ("NFDH", "North Fells District Hospital", "Harrowby and Fells Teaching Hospitals NHS Trust"),
    ("OCH", "Oakridge City Hospital", "Oakridge University Hospitals NHS Foundation Trust"),
]
SLOW_HOSPITAL = "Harrowby Royal Infirmary"
CATEGORY_SHARES = [("C1", 0.10), ("C2", 0.62), ("C3", 0.21), ("C4", 0.07)]
# Typical responses in minutes (a mean, and a cap under each category's 90th-centile standard, so only the
# designed long waits go over it).
RESPONSE_MINUTES = {"C1": (7.5, 14.5), "C2": (19, 39), "C3": (55, 118), "C4": (70, 175)}
LONG_WAITS = 20
LANGUAGES = ["Polish", "Urdu", "Romanian", "Arabic", "Punjabi", "Lithuanian"]
POSITIONS = [f"EOC-{side}-{number:02d}" for side in "NS" for number in range(1, 13)]
# Fewer positions are staffed at night (22:00 to 06:00).
NIGHT_POSITIONS = ["EOC-N-02", "EOC-N-07", "EOC-S-03"]
OUTAGE_POSITION = "EOC-N-07"
OUTAGE_NIGHTS_AGO = (16, 15, 14)
# Calls answered at the failed position on each night of the outage, beyond those the day's mix gives.
OUTAGE_CALLS_A_NIGHT = 3


def build(context: DemoContext) -> None:
    rng = context.rng_for("operations")
    stations = [station for station in context.shared["stations"] if not station.code.startswith("NMAS-C")]
    per_day, months = VOLUME[context.scale.name]
    start = context.today - dt.timedelta(days=30 * months)
    days = (context.today - start).days
    long_wait_days = set(rng.sample(range(days - 1), LONG_WAITS))
    numbers = itertools.count(1)
    recorder = _Recorder(context.today)
    ensure_hospitals(HOSPITALS)
    for month in _by_month(start + dt.timedelta(days=offset) for offset in range(days)):
        incidents, calls = [], []
        for day in month:
            day_incidents = _incidents_of_day(
                rng,
                numbers,
                day,
                stations,
                per_day,
                context.today,
                long_wait=(day - start).days in long_wait_days,
            )
            for incident, position in day_incidents:
                incidents.append(incident)
                calls += _calls_of(rng, incident, position)
            for _ in range(rng.randint(0, 2)):  # calls no incident lists: a caller who rang off, a hoax
                channel = rng.choice(["voice"] * 20 + ["text"])
                calls.append(_call(rng, f"C{next(numbers):07d}", _at(day, rng), channel))
        label = f"{month[0]:%Y-%m}"
        _import(import_cad_incidents, incidents, f"demo CAD incidents {label}")
        # The calls are matched when the month's recordings land, not raised before.
        _import(
            lambda **kwargs: import_call_log(**kwargs, reconcile=False), calls, f"demo CAD call log {label}"
        )
        _import(import_recorder_index, recorder.index_of(rng, calls), f"demo recorder index {label}")
    _import(import_recorder_index, recorder.tests(rng), "demo recorder tests")
    _work_some_exceptions(context)
    _complete_older_reviews(context)


def _by_month(days: Iterable[dt.date]) -> Iterator[list[dt.date]]:
    for _, month in itertools.groupby(days, key=lambda day: (day.year, day.month)):
        yield list(month)


def _incidents_of_day(
    rng, numbers, day, stations, per_day, today, *, long_wait: bool
) -> list[tuple[dict, str]]:
    """The day's incidents, each with the position its call must be answered at ("" for any): its share of
    the scale's volume (more in the winter surge), the long wait when the day has one, and on an outage
    night the extra calls answered at the failed position."""
    surge = day.month in (12, 1)
    incidents = [
        (_incident(rng, next(numbers), day, rng.choice(stations), surge=surge), "")
        for _ in range(round(per_day * (1.35 if surge else 1.0) * rng.uniform(0.8, 1.2)))
    ]
    if long_wait:
        incident = _incident(rng, next(numbers), day, rng.choice(stations), surge=surge, long_wait=True)
        incidents.append((incident, ""))
    if (today - day).days in OUTAGE_NIGHTS_AGO:
        for _ in range(OUTAGE_CALLS_A_NIGHT):
            night = timezone.make_aware(dt.datetime.combine(day, dt.time(22))) + dt.timedelta(
                minutes=rng.randint(0, 479)
            )
            incident = _incident(rng, next(numbers), day, rng.choice(stations), surge=surge, connected=night)
            incidents.append((incident, OUTAGE_POSITION))
    return incidents


def _import(run, rows, name) -> None:
    result = run(by=None, file=RowSource(rows, name=name))
    if not result.ok:
        raise ValueError(f"The operations demo made a bad row: {result.errors[:3]}")


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    # Busier by day than by night.
    hour = rng.choices(
        range(24), weights=[2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 3, 2]
    )[0]
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
    return timezone.make_aware(local).astimezone(dt.UTC)


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _category(rng: random.Random) -> str:
    return rng.choices([c for c, _ in CATEGORY_SHARES], weights=[s for _, s in CATEGORY_SHARES])[0]


def _response_seconds(rng: random.Random, category: str, *, surge: bool, long_wait: bool) -> int:
    mean, cap = RESPONSE_MINUTES[category]
    if long_wait:
        over = {"C1": rng.uniform(16, 28), "C2": rng.uniform(45, 200), "C3": rng.uniform(125, 240)}
        return int(over.get(category, rng.uniform(185, 300)) * 60)
    if surge and category == "C2":
        mean *= 1.4
    minutes = min(rng.expovariate(1 / (mean * 0.6)) + mean * 0.4, cap)
    return max(int(minutes * 60), 90)


def _incident(rng, number, day, station, *, surge: bool, long_wait: bool = False, connected=None) -> dict:
    category = "C2" if long_wait and rng.random() < 0.7 else _category(rng)
    connected = connected or _at(day, rng)
    complaint = connected + dt.timedelta(seconds=rng.randint(30, 150))
    assigned = complaint + dt.timedelta(seconds=rng.randint(5, 60))
    retriaged_at = retriaged_to = retriages = ""
    if not long_wait and category == "C3" and rng.random() < 0.04:
        retriaged_at, retriaged_to = _iso(complaint + dt.timedelta(minutes=rng.randint(5, 20))), "C2"
    if retriaged_at and number % 3 == 0:
        # Coded down first, then up to C2: the clock restarts at the upgrade, as with the one re-triage.
        retriages = f"{_iso(complaint + dt.timedelta(minutes=2))} C4;{retriaged_at} C2"
    channel = rng.choices(["voice", "text", "bsl_video"], weights=[978, 18, 4])[0]
    hear_and_treat = not long_wait and category in ("C3", "C4") and rng.random() < 0.25
    on_scene = transport = arrived = handover = None
    conveyed = False
    hospital = ""
    clear = None
    if not hear_and_treat:
        start = min(connected + dt.timedelta(seconds=30 if category == "C1" else 240), complaint, assigned)
        if retriaged_at:
            start = max(start, dt.datetime.fromisoformat(retriaged_at))
        on_scene = start + dt.timedelta(
            seconds=_response_seconds(rng, retriaged_to or category, surge=surge, long_wait=long_wait)
        )
        on_scene = max(on_scene, assigned + dt.timedelta(seconds=60))
        # A rapid response car is often first to a C1; the ambulance follows.
        transport = (
            on_scene + dt.timedelta(minutes=rng.randint(3, 9))
            if category == "C1" and rng.random() < 0.4
            else on_scene
        )
        conveyed = rng.random() < 0.62
        if conveyed:
            hospital = HOSPITALS[(int(station.code[-3]) + rng.choice([0, 0, 0, 1])) % len(HOSPITALS)][1]
            arrived = transport + dt.timedelta(minutes=rng.randint(30, 70))
            slow = hospital == SLOW_HOSPITAL
            wait = rng.expovariate(1 / (38 if slow else 9)) + (20 if slow else 8)
            handover = arrived + dt.timedelta(minutes=min(wait, 240))
            clear = handover + dt.timedelta(minutes=rng.randint(8, 20))
        else:
            clear = transport + dt.timedelta(minutes=rng.randint(35, 80))
    interpreter = rng.random() < 0.02 and channel == "voice"
    return {
        "incident_id": f"NM-{number:07d}",
        "call_ids": f"C{number:07d}" + (f";C{number:07d}B" if rng.random() < 0.08 else ""),
        "station_code": station.code,
        "category": category,
        "retriaged_at": retriaged_at,
        "retriaged_to": retriaged_to,
        "call_connected": _iso(connected),
        "chief_complaint_identified": _iso(complaint),
        "first_assigned": _iso(assigned),
        "first_on_scene": _iso(on_scene),
        "first_transport_on_scene": _iso(transport),
        "conveyed": "Y" if conveyed else "N",
        "destination_hospital": hospital,
        "arrived_at_hospital": _iso(arrived),
        "handover_complete": _iso(handover),
        "crew_clear": _iso(clear),
        "outcome": "hear_and_treat" if hear_and_treat else "see_and_convey" if conveyed else "see_and_treat",
        "channel": channel,
        "interpreter_language": rng.choice(LANGUAGES) if interpreter else "",
        "interpreter_joined": _iso(connected + dt.timedelta(seconds=rng.randint(60, 240)))
        if interpreter
        else "",
        "bariatric": "Y" if rng.random() < 0.01 else "N",
        "long_wait": "Y" if long_wait else "N",
        "retriages": retriages,
    }


def _calls_of(rng, incident: dict, position: str = "") -> list[dict]:
    connected = dt.datetime.fromisoformat(incident["call_connected"])
    first, *again = incident["call_ids"].split(";")
    calls = [_call(rng, first, connected, incident["channel"], position)]
    for call_id in again:  # the caller rang again while waiting
        calls.append(_call(rng, call_id, connected + dt.timedelta(minutes=rng.randint(8, 30)), "voice"))
    return calls


def _call(rng, call_id: str, connected: dt.datetime, channel: str, position: str = "") -> dict:
    answered = connected + dt.timedelta(seconds=rng.randint(2, 25))
    hour = timezone.localtime(answered).hour
    position = position or rng.choice(NIGHT_POSITIONS if hour >= 22 or hour < 6 else POSITIONS)
    ended = answered + dt.timedelta(seconds=rng.randint(90, 600) * (3 if channel != "voice" else 1))
    return {
        "call_id": call_id,
        "line": rng.choice(["999-BT-1", "999-BT-2", "999-VM-1"]),
        "connected": _iso(connected),
        "answered": _iso(answered),
        "ended": _iso(ended),
        "channel": channel,
        "call_handler": str(rng.randint(300001, 300060)),
        "position": position,
    }


def _in_outage(call: dict, today: dt.date) -> bool:
    if call["position"] != OUTAGE_POSITION:
        return False
    local = timezone.localtime(dt.datetime.fromisoformat(call["answered"]))
    night_of = (local - dt.timedelta(hours=6)).date()  # a night runs 22:00 to 06:00
    return (today - night_of).days in OUTAGE_NIGHTS_AGO and (local.hour >= 22 or local.hour < 6)


class _Recorder:
    """The voice recorder's index, a month at a time: a recording for each call but those of the outage
    nights and two recent text calls whose transcripts were never stored; a few cut short, and most told the
    CAD's call id (the older recorders are matched by position and time)."""

    def __init__(self, today: dt.date):
        self.today = today
        self.numbers = itertools.count(1)
        self.untranscribed = 2

    def index_of(self, rng, calls: list[dict]) -> list[dict]:
        index = []
        for call in calls:
            number = next(self.numbers)
            if _in_outage(call, self.today):
                continue
            if (
                call["channel"] == "text"
                and self.untranscribed
                and dt.datetime.fromisoformat(call["connected"]).date() > (self.today - dt.timedelta(days=20))
            ):
                self.untranscribed -= 1
                continue
            answered = dt.datetime.fromisoformat(call["answered"])
            spoken = int((dt.datetime.fromisoformat(call["ended"]) - answered).total_seconds())
            cut_short = rng.random() < 0.0006
            index.append(
                {
                    "recording_id": f"R{number:08d}",
                    "started": _iso(answered + dt.timedelta(seconds=rng.randint(0, 3))),
                    "duration_seconds": str(
                        rng.randint(15, 40) if cut_short else max(spoken + rng.randint(-4, 4), 1)
                    ),
                    "channel": call["channel"],
                    "position": call["position"],
                    "call_id": call["call_id"] if rng.random() < 0.8 else "",
                }
            )
        return index

    def tests(self, rng) -> list[dict]:
        """Recordings of a recorder test at a spare position: recordings no call accounts for."""
        return [
            {
                "recording_id": f"R-TEST-{number}",
                "started": _iso(_at(self.today - dt.timedelta(days=9 + number), rng)),
                "duration_seconds": str(rng.randint(20, 60)),
                "channel": "voice",
                "position": "EOC-S-SPARE",
                "call_id": "",
            }
            for number in range(3)
        ]


def _work_some_exceptions(context: DemoContext) -> None:
    """The EOC manager has worked every exception of a call more than a month old; the rest is the list."""
    manager = User.objects.get(email=demo_email("eoc.manager"))
    before = timezone.make_aware(dt.datetime.combine(context.today - dt.timedelta(days=30), dt.time()))
    Kind, Reason = RecordingException.Kind, RecordingException.Reason
    worked = {
        Kind.UNRECORDED_CALL: (
            Reason.ARCHIVED,
            "Found in the recorder's archive; the index export missed it.",
        ),
        Kind.TRANSCRIPT_MISSING: (Reason.ARCHIVED, "Transcript found in the text relay provider's store."),
        Kind.DURATION_MISMATCH: (
            Reason.RECORDER_FAULT,
            "Recording cut short: recorder fault, supplier ticket.",
        ),
    }
    for exception in RecordingException.objects.open().filter(call__connected__lt=before):
        reason, note = worked[exception.kind]
        recordings.close_exception(by=manager, exception_id=exception.pk, reason=reason, note=note)


# The findings of the older reviews, oldest first; the reviews newer than these are still to be done.
FINDINGS = [
    (HarmGrade.NONE, "Seen, treated and discharged at home; no deterioration while waiting."),
    (HarmGrade.NONE, "Conveyed; observations stable throughout; discharged from the emergency department."),
    (
        HarmGrade.LOW,
        "Fall at home; longer on the floor than wanted, minor pressure marking, no lasting harm.",
    ),
    (HarmGrade.NONE, "Welfare call-backs recorded every 30 minutes; patient stable on arrival."),
    (
        HarmGrade.MODERATE,
        "Chest pain; delayed treatment of a heart attack, a longer admission than expected.",
    ),
    (HarmGrade.NONE, "Conveyed; no harm found in the hospital record."),
    (
        HarmGrade.LOW,
        "Pain uncontrolled for longer than it should have been; settled with analgesia on arrival.",
    ),
    (HarmGrade.NONE, "Seen and treated at home; no harm found."),
    (HarmGrade.NONE, "Conveyed; observations stable; discharged the same day."),
    (HarmGrade.NONE, "Seen and treated at home; referred to the falls team."),
    (HarmGrade.NONE, "Conveyed; no deterioration recorded."),
    (HarmGrade.NONE, "Discharged at scene with a GP referral."),
]


def _complete_older_reviews(context: DemoContext) -> None:
    lead = User.objects.get(email=demo_email("quality.lead"))
    older = HarmReview.objects.filter(status=ReviewStatus.OPEN).order_by("incident__call_connected")
    for review, (grade, outcome) in zip(list(older[: len(FINDINGS)]), FINDINGS, strict=False):
        complete_review(
            by=lead,
            review=review,
            patient_outcome=outcome,
            harm_grade=grade,
            panel_decision="Reviewed at the weekly patient safety panel with the call audio and the ePCR.",
            learning="Shared with the emergency operations centre: welfare call-backs at the set intervals."
            if grade == HarmGrade.NONE
            else "Escalation to the clinical hub when a C2 passes an hour, and the case used in training.",
        )
