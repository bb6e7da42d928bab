"""Reconciling the registers with patient records: each patient record's dose (from the ePCR's medicines
export) is matched with the register line that records it, the same incident, drug and clinician, given
within the day the line is dated or `CANDOUR_CD_RECONCILE_TOLERANCE_HOURS` either side of it, and a wastage
with a wastage. Each line and each record entry is matched at most once. Register lines are never changed
(they are append-only): the match is kept on the patient record's side. A line's incident reference is the
one its latest correction gives, if a correction gives one, so a mistyped reference corrected moves the
match (`rematch_corrected`)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candour.core import audit
from candour.medicines.models import EntryKind, PatientRecordMedicine, RegisterEntry

LONDON = zoneinfo.ZoneInfo("Europe/London")
MATCHED_KINDS = (EntryKind.ADMINISTERED, EntryKind.WASTED)
BATCH = 2_000


def window_of(occurred_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When a dose a register line dates `occurred_on` may have been given, by the patient record."""
    tolerance = dt.timedelta(hours=settings.CANDOUR_CD_RECONCILE_TOLERANCE_HOURS)
    start = dt.datetime.combine(occurred_on, dt.time(), tzinfo=LONDON)
    return start - tolerance, start + dt.timedelta(days=1) + tolerance


def current_references(lines: list[RegisterEntry]) -> dict[int, str]:
    """Each line's incident reference as its latest correction gives it (or as written, if none does)."""
    corrected = (
        RegisterEntry.objects.filter(kind=EntryKind.CORRECTION, corrects_id__in=[line.pk for line in lines])
        .exclude(incident_reference="")
        .order_by("sequence")
        .values_list("corrects_id", "incident_reference")
    )
    latest = dict(corrected)
    return {line.pk: latest.get(line.pk, line.incident_reference) for line in lines}


def _unmatched_lines(references: set[str]) -> list[tuple[RegisterEntry, str]]:
    """Lines not matched yet whose incident reference, as last corrected, is one of these, with it."""
    corrected_to = RegisterEntry.objects.filter(
        kind=EntryKind.CORRECTION, incident_reference__in=references
    ).values("corrects_id")
    lines = list(
        RegisterEntry.objects.filter(kind__in=MATCHED_KINDS, patient_record__isnull=True)
        .filter(Q(incident_reference__in=references) | Q(pk__in=corrected_to))
        .select_related("part__drug", "recorded_by__person")
        .order_by("occurred_on", "pk")
    )
    current = current_references(lines)
    return [(line, current[line.pk]) for line in lines if current[line.pk] in references]


@transaction.atomic
def match_patient_records(*, incident_references: set[str] | None = None) -> int:
    """Match every patient record entry not matched yet (of these incidents, if given) with a register line
    not matched yet; returns how many were matched. Run after each import, so a line written after its
    record came is matched next time."""
    waiting = PatientRecordMedicine.objects.select_for_update().filter(matched_entry__isnull=True)
    if incident_references is not None:
        waiting = waiting.filter(incident_reference__in=incident_references)
    waiting = list(waiting.order_by("given_at", "pk"))
    matched: list[PatientRecordMedicine] = []
    for start in range(0, len(waiting), BATCH):
        batch = waiting[start : start + BATCH]
        candidates = defaultdict(list)
        for line, reference in _unmatched_lines({each.incident_reference for each in batch}):
            person = line.recorded_by.person
            if person is not None:
                key = (reference, line.part.drug.name.casefold(), person.staff_number)
                candidates[key].append(line)
        for record in batch:
            key = (record.incident_reference, record.drug.casefold(), record.clinician_staff_number)
            for line in candidates.get(key, []):
                earliest, latest = window_of(line.occurred_on)
                same_kind = (line.kind == EntryKind.WASTED) == record.wasted
                if same_kind and earliest <= record.given_at < latest:
                    record.matched_entry = line
                    candidates[key].remove(line)
                    matched.append(record)
                    break
    PatientRecordMedicine.objects.bulk_update(matched, ["matched_entry", "updated_at"], batch_size=BATCH)
    if matched:
        audit.record(
            action="matched_cd_patient_records",
            system="cd reconciliation",
            summary=f"{len(matched)} patient record doses matched with register lines",
            changes={"matched": len(matched), "waiting": len(waiting) - len(matched)},
        )
    return len(matched)


def rematch_corrected(line: RegisterEntry, *, was: str, now: str) -> int:
    """A correction changed a line's incident reference from `was` to `now`: the patient record matched
    to it by the old reference no longer accounts for it, and both incidents' records are matched again.
    Returns how many matches were undone."""
    undone = (
        PatientRecordMedicine.objects.filter(matched_entry=line)
        .exclude(incident_reference=now)
        .update(matched_entry=None, updated_at=timezone.now())
    )
    match_patient_records(incident_references={was, now})
    return undone
