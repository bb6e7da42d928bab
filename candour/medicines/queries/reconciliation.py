"""The registers beside patient records, for the medicines lead and the accountable officer: which
administrations no patient record accounts for (exceptions, per clinician), and, for the officer only, each
clinician's wastage and unmatched doses beside their peers'.

An administration is checked once the ePCR export has had `CANDOUR_CD_RECONCILE_GRACE_DAYS` to bring its
record, and only from the first day the export covers, so days before the feed began are not exceptions.
A clinician is compared with their peers (every other clinician in the reader's scope) by a funnel's upper
limit for their number of doses (`medicines.funnel`: one that does not collapse onto the peers' rate when
that rate is near zero); one above it is flagged. A clinician with fewer doses than the small-number
threshold is not compared: a rate from a handful of doses says nothing. And one with fewer events than
`CANDOUR_CD_PATTERN_MINIMUM_EVENTS` is never flagged: one wasted dose is not a pattern.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from candour.core.suppression import threshold
from candour.medicines.access import RECONCILE, VIEW_PATTERNS
from candour.medicines.funnel import upper_count
from candour.medicines.models import EntryKind, PatientRecordMedicine, RegisterEntry
from candour.people.access import scope_of
from candour.people.models import User

LONDON = zoneinfo.ZoneInfo("Europe/London")
PATTERN_DAYS = 365


def _entries(user, permission: str) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(part__premises__unit_id__in=scope_of(user, permission).unit_ids)


@dataclass(frozen=True)
class Window:
    """The days whose administrations are checked against patient records (None: no export yet)."""

    first: dt.date | None
    last: dt.date

    @property
    def q(self) -> Q:
        if self.first is None:
            return Q(pk__in=[])
        return Q(kind=EntryKind.ADMINISTERED, occurred_on__gte=self.first, occurred_on__lte=self.last)


def checked_window() -> Window:
    first = PatientRecordMedicine.objects.aggregate(first=Min("given_at"))["first"]
    last = timezone.localdate() - dt.timedelta(days=settings.CANDOUR_CD_RECONCILE_GRACE_DAYS)
    return Window(first.astimezone(LONDON).date() if first else None, last)


UNMATCHED = Q(patient_record__isnull=True)


@dataclass(frozen=True)
class ClinicianExceptions:
    clinician: User
    checked: int
    unmatched: int


@dataclass(frozen=True)
class Reconciliation:
    window: Window
    checked: int
    matched: int
    clinicians: list[ClinicianExceptions]

    @property
    def matched_percent(self) -> float | None:
        return 100 * self.matched / self.checked if self.checked else None


def reconciliation_for(user) -> Reconciliation:
    """Administrations checked against patient records in the user's scope, and who has exceptions."""
    window = checked_window()
    rows = list(
        _entries(user, RECONCILE)
        .filter(window.q)
        .values("recorded_by")
        .annotate(checked=Count("pk"), unmatched=Count("pk", filter=UNMATCHED))
        .order_by()
    )
    users = User.objects.in_bulk([row["recorded_by"] for row in rows])
    clinicians = sorted(
        (
            ClinicianExceptions(users[row["recorded_by"]], row["checked"], row["unmatched"])
            for row in rows
            if row["unmatched"]
        ),
        key=lambda each: (-each.unmatched, each.clinician.display_name),
    )
    checked = sum(row["checked"] for row in rows)
    unmatched = sum(row["unmatched"] for row in rows)
    return Reconciliation(window, checked, checked - unmatched, clinicians)


@dataclass(frozen=True)
class ClinicianPage:
    clinician: User
    window: Window
    unmatched: list[RegisterEntry]


def exceptions_of(user, clinician_id) -> ClinicianPage | None:
    """A clinician's administrations no patient record accounts for, if they record in the user's scope."""
    entries = _entries(user, RECONCILE).filter(recorded_by__public_id=clinician_id)
    clinician = User.objects.filter(public_id=clinician_id).first()
    if clinician is None or not entries.exists():
        return None
    window = checked_window()
    unmatched = list(
        entries.filter(window.q, UNMATCHED)
        .select_related("part__drug", "part__premises")
        .order_by("-occurred_on", "-pk")
    )
    return ClinicianPage(clinician, window, unmatched)


@dataclass(frozen=True)
class Comparison:
    """One clinician's count out of their doses, beside their peers' rate and the funnel's upper limit."""

    count: int
    out_of: int
    rate: float | None = None
    peers: float | None = None
    upper: float | None = None
    # Too few events to call a pattern, however the rate compares.
    too_few_events: bool = False

    @property
    def compared(self) -> bool:
        return self.rate is not None

    @property
    def far_above(self) -> bool:
        return self.compared and not self.too_few_events and self.rate > self.upper


def compare(count: int, out_of: int, all_count: int, all_out_of: int) -> Comparison:
    """A clinician's rate beside their peers' (everyone else's), with the funnel's upper limit for their
    number of doses; not compared when they have fewer doses than the small-number threshold, and never
    far above with fewer events than the pattern minimum."""
    peers_out_of = all_out_of - out_of
    if out_of < threshold() or peers_out_of <= 0:
        return Comparison(count, out_of)
    peers_count = all_count - count
    upper = upper_count(out_of, peers_count, peers_out_of) / out_of
    too_few = count < settings.CANDOUR_CD_PATTERN_MINIMUM_EVENTS
    return Comparison(count, out_of, count / out_of, peers_count / peers_out_of, upper, too_few)


@dataclass(frozen=True)
class ClinicianPattern:
    clinician: User
    wastage: Comparison
    unmatched: Comparison

    @property
    def flagged(self) -> bool:
        return self.wastage.far_above or self.unmatched.far_above


@dataclass(frozen=True)
class Patterns:
    since: dt.date
    window: Window
    clinicians: list[ClinicianPattern]


def patterns_for(user) -> Patterns:
    """Each clinician's wastage (of the doses they drew up in the last year) and unmatched administrations
    (of those checked), beside their peers', in one grouped query."""
    since = timezone.localdate() - dt.timedelta(days=PATTERN_DAYS)
    window = checked_window()
    drawn = Q(occurred_on__gte=since, kind__in=[EntryKind.ADMINISTERED, EntryKind.WASTED])
    rows = list(
        _entries(user, VIEW_PATTERNS)
        .filter(drawn | window.q)
        .values("recorded_by")
        .annotate(
            drawn=Count("pk", filter=drawn),
            wasted=Count("pk", filter=drawn & Q(kind=EntryKind.WASTED)),
            checked=Count("pk", filter=window.q),
            unmatched=Count("pk", filter=window.q & UNMATCHED),
        )
        .order_by()
    )
    totals = {name: sum(row[name] for row in rows) for name in ("drawn", "wasted", "checked", "unmatched")}
    users = User.objects.in_bulk([row["recorded_by"] for row in rows])
    clinicians = [
        ClinicianPattern(
            users[row["recorded_by"]],
            compare(row["wasted"], row["drawn"], totals["wasted"], totals["drawn"]),
            compare(row["unmatched"], row["checked"], totals["unmatched"], totals["checked"]),
        )
        for row in rows
    ]
    clinicians.sort(
        key=lambda each: (not each.flagged, -(each.wastage.rate or 0), each.clinician.display_name)
    )
    return Patterns(since, window, clinicians)
