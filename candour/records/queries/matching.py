"""Records matched to operations' incidents: every attended incident should have exactly one final record
within `CANDOUR_RECORDS_FINAL_WITHIN_HOURS` of the job ending. Past that, four kinds of exception: an
attended incident with no record, one with more than one final record, a record of an attended incident
still in draft, and a record whose incident the CAD does not know. Read through `operations.queries` only.
An incident whose job ended before the ePCR went live (`CANDOUR_RECORDS_MATCHING_FROM`) is not raised as
having no record.

Rows that are incidents (no record, several final) are scoped by the incident's station; rows that are
records (draft, no incident) by the record's, as every other list of records."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet
from django.utils import timezone

from candour.operations.queries import attended
from candour.people.access import scope_of
from candour.records.access import VIEW_RECORDS
from candour.records.models import PatientRecord, RecordStatus
from candour.records.queries.scoping import in_scope

LONDON = zoneinfo.ZoneInfo("Europe/London")
NO_RECORD, SEVERAL_FINAL, DRAFT, NO_INCIDENT = "no_record", "several_final", "draft", "no_incident"
KINDS = {
    NO_RECORD: "Attended incidents with no record",
    SEVERAL_FINAL: "Attended incidents with more than one final record",
    DRAFT: "Records still in draft",
    NO_INCIDENT: "Records matching no incident",
}
INCIDENT_KINDS = (NO_RECORD, SEVERAL_FINAL)
FINISHED = (RecordStatus.FINAL, RecordStatus.AMENDED)


@dataclass(frozen=True)
class MatchCount:
    kind: str
    title: str
    count: int


def judged_before(now: dt.datetime | None = None) -> dt.datetime:
    """Jobs that ended, and records begun, before this moment are past the limit and judged."""
    return (now or timezone.now()) - dt.timedelta(hours=settings.CANDOUR_RECORDS_FINAL_WITHIN_HOURS)


def matching_from() -> dt.datetime | None:
    """The start of the day the ePCR went live (UK time), or None when it always was."""
    day = settings.CANDOUR_RECORDS_MATCHING_FROM
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), LONDON)


def _records_of(incident_id) -> QuerySet[PatientRecord]:
    return PatientRecord.objects.filter(incident_reference=incident_id)


def unmatched(user, kind: str, *, now: dt.datetime | None = None) -> QuerySet:
    """The rows of one kind of exception in the user's scope, oldest first: incidents for the incident
    kinds (each with `finished_at`), records for the others. Empty for a kind not known."""
    cutoff = judged_before(now)
    if kind in INCIDENT_KINDS:
        scope = scope_of(user, VIEW_RECORDS)
        if scope.is_empty:
            return PatientRecord.objects.none()
        if kind == NO_RECORD:
            lacking = attended.attended_incidents(scope, finished_before=cutoff, lacking=_records_of)
            went_live = matching_from()
            # `finished_at` is the moment the query gives each incident its job ended.
            return lacking if went_live is None else lacking.filter(finished_at__gte=went_live)
        several = (
            PatientRecord.objects.filter(status__in=FINISHED)
            .values("incident_reference")
            .annotate(finals=Count("pk"))
            .filter(finals__gt=1)
            .values("incident_reference")
        )
        return attended.attended_incidents(scope, finished_before=cutoff, among=several)
    where = in_scope(user, VIEW_RECORDS, "station")
    if where is None or kind not in KINDS:
        return PatientRecord.objects.none()
    records = PatientRecord.objects.filter(where).select_related("station")
    if kind == DRAFT:
        records = records.filter(
            status=RecordStatus.DRAFT,
            incident_reference__in=attended.attended_incident_ids(finished_before=cutoff),
        )
    else:
        records = records.filter(
            ~attended.incident_known(OuterRef("incident_reference")), started_at__lt=cutoff
        )
    return records.order_by("started_at", "record_id")


def match_counts(user, *, now: dt.datetime | None = None) -> list[MatchCount]:
    """How many of each kind of exception the user's scope holds."""
    return [MatchCount(kind, title, unmatched(user, kind, now=now).count()) for kind, title in KINDS.items()]


def records_of_incidents(user, incident_ids: list[str]) -> dict[str, list[PatientRecord]]:
    """The final records of these incidents the user may see, by incident, for a worklist's page."""
    where = in_scope(user, VIEW_RECORDS, "station")
    found: dict[str, list[PatientRecord]] = {incident_id: [] for incident_id in incident_ids}
    if where is None:
        return found
    for record in PatientRecord.objects.filter(
        where, incident_reference__in=incident_ids, status__in=FINISHED
    ).order_by("started_at"):
        found[record.incident_reference].append(record)
    return found
