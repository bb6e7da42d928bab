"""Paper records' custody: each record's chain, and the records late to reach the records office or late to
be scanned once there (limits in settings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from candour.records.access import VIEW_RECORDS
from candour.records.models import CustodyEvent, CustodyStep, Medium, PatientRecord
from candour.records.queries.scoping import in_scope

NOT_RECEIVED, NOT_SCANNED = "not_received", "not_scanned"


@dataclass(frozen=True)
class CustodyException:
    """A paper record overdue for its next step: which step, since when it was due, and its last step."""

    record: PatientRecord
    kind: str
    due_at: dt.datetime
    last_step: str

    @property
    def title(self) -> str:
        return "Not received at the records office" if self.kind == NOT_RECEIVED else "Not scanned"


def step_at(step: int):
    """When each record (an outer row) reached the custody step, for an annotation."""
    return Subquery(
        CustodyEvent.objects.filter(record_reference=OuterRef("record_id"), step=step).values("occurred_at")[
            :1
        ]
    )


def record_for(user, public_id) -> PatientRecord | None:
    """One record the user may see, or None."""
    where = in_scope(user, VIEW_RECORDS, "station")
    if where is None:
        return None
    return PatientRecord.objects.filter(where, public_id=public_id).select_related("station").first()


def custody_chain(record: PatientRecord) -> list[CustodyEvent]:
    """The record's custody steps in order."""
    return list(CustodyEvent.objects.filter(record_reference=record.record_id).order_by("step"))


def custody_exceptions(user, *, kind: str = "", now: dt.datetime | None = None) -> list[CustodyException]:
    """Paper records in the user's scope, not marked lost, that are overdue for the records office or for
    scanning, oldest due first."""
    where = in_scope(user, VIEW_RECORDS, "station")
    if where is None:
        return []
    now = now or timezone.now()
    received_within = dt.timedelta(days=settings.CANDOUR_RECORDS_RECEIVED_WITHIN_DAYS)
    scanned_within = dt.timedelta(days=settings.CANDOUR_RECORDS_SCANNED_WITHIN_DAYS)
    records = (
        PatientRecord.objects.filter(where, medium=Medium.PAPER, lost_at__isnull=True)
        .annotate(
            last_step=Subquery(
                CustodyEvent.objects.filter(record_reference=OuterRef("record_id"))
                .order_by("-step")
                .values("step")[:1]
            ),
            on_scene_at=step_at(CustodyStep.COMPLETED_ON_SCENE),
            received_at=step_at(CustodyStep.RECEIVED_AT_RECORDS_OFFICE),
        )
        .select_related("station")
        .order_by("started_at")
    )
    found = []
    for record in records:
        last = record.last_step or 0
        if last < CustodyStep.RECEIVED_AT_RECORDS_OFFICE:
            due_at = (record.on_scene_at or record.started_at) + received_within
            if due_at < now and kind in ("", NOT_RECEIVED):
                found.append(CustodyException(record, NOT_RECEIVED, due_at, _label(last)))
        elif last < CustodyStep.SCANNED and record.received_at is not None:
            due_at = record.received_at + scanned_within
            if due_at < now and kind in ("", NOT_SCANNED):
                found.append(CustodyException(record, NOT_SCANNED, due_at, _label(last)))
    return sorted(found, key=lambda exception: exception.due_at)


def _label(step: int) -> str:
    return CustodyStep(step).label if step else "None recorded"
