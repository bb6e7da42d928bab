"""Retention: what Candour holds about patient records is kept only for its period (settings, local
policy), then deleted or anonymised, leaving the facts the monthly figures are counted from."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from candour.core import audit
from candour.records.models import AccessAlert, AlertStatus, CustodyEvent, PatientRecord, RecordAccess


@dataclass(frozen=True)
class Retired:
    """How many rows of each kind one run deleted or anonymised."""

    access_rows_deleted: int
    alerts_deleted: int
    custody_steps_deleted: int
    records_anonymised: int

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


def _before(days: int, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=days)


@transaction.atomic
def apply_retention(*, now: dt.datetime | None = None) -> Retired:
    """Delete access log rows, reviewed alerts and custody steps past their periods, and remove the patient's
    identifiers from record index rows past theirs. Audited with counts only, never rows."""
    now = now or timezone.now()
    access_rows, _ = RecordAccess.objects.filter(
        accessed_at__lt=_before(settings.CANDOUR_RECORDS_KEEP_ACCESS_LOG_DAYS, now)
    ).delete()
    alerts, _ = (
        AccessAlert.objects.exclude(status=AlertStatus.OPEN)
        .filter(reviewed_at__lt=_before(settings.CANDOUR_RECORDS_KEEP_REVIEWED_ALERTS_DAYS, now))
        .delete()
    )
    # Each record's furthest step stays: without it an old chain would read as never received.
    furthest = (
        CustodyEvent.objects.filter(record_reference=OuterRef("record_reference"))
        .order_by("-step")
        .values("pk")
    )
    custody_steps, _ = (
        CustodyEvent.objects.filter(
            occurred_at__lt=_before(settings.CANDOUR_RECORDS_KEEP_CUSTODY_EVENTS_DAYS, now)
        )
        .exclude(pk=Subquery(furthest[:1]))
        .delete()
    )
    records = (
        PatientRecord.objects.filter(
            started_at__lt=_before(settings.CANDOUR_RECORDS_KEEP_IDENTIFIERS_DAYS, now)
        )
        .filter(~Q(nhs_number="") | ~Q(patient_staff_number=""))
        .update(nhs_number="", patient_staff_number="", updated_at=now)
    )
    retired = Retired(access_rows, alerts, custody_steps, records)
    if retired.total:
        audit.record(
            action="applied_records_retention",
            system="records retention",
            summary="Patient records retention applied",
            changes=asdict(retired),
        )
    return retired
