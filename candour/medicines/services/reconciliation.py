"""Reconciling the registers with patient records: each patient record's dose (from the ePCR's medicines
export) is matched with the register line that records it, the same incident, drug and clinician, given
within the day the line is dated or `CANDOUR_CD_RECONCILE_TOLERANCE_HOURS` either side of it, and a wastage
with a wastage. Each line and each record entry is matched at most once. Register lines are never changed
(they are append-only): the match is kept on the patient record's side."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction

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


@transaction.atomic
def match_patient_records() -> int:
    """Match every patient record entry not matched yet with a register line not matched yet; returns how
    many were matched. Run after each import, so a line written after its record came is matched next time."""
    waiting = list(
        PatientRecordMedicine.objects.select_for_update()
        .filter(matched_entry__isnull=True)
        .order_by("given_at", "pk")
    )
    matched: list[PatientRecordMedicine] = []
    for start in range(0, len(waiting), BATCH):
        batch = waiting[start : start + BATCH]
        candidates = defaultdict(list)
        lines = (
            RegisterEntry.objects.filter(
                kind__in=MATCHED_KINDS,
                incident_reference__in={each.incident_reference for each in batch},
                patient_record__isnull=True,
            )
            .select_related("part__drug", "recorded_by__person")
            .order_by("occurred_on", "pk")
        )
        for line in lines:
            person = line.recorded_by.person
            if person is not None:
                key = (line.incident_reference, line.part.drug.name.casefold(), person.staff_number)
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
