"""Access monitoring: the rules that find unusual opening of records in the ePCR's access log, and the
information governance lead's review of each alert. Each rule is a setting that can be turned off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import require_reach
from candour.people.models import Person
from candour.records.access import REVIEW_ACCESS
from candour.records.models import (
    AccessAction,
    AccessAlert,
    AlertRule,
    AlertStatus,
    PatientRecord,
    RecordAccess,
)

CHUNK = 2_000
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Found:
    rule: str
    key: str
    access: RecordAccess
    access_count: int = 1


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _usual_hour(moment: dt.datetime) -> bool:
    hour = timezone.localtime(moment).hour
    return settings.CANDOUR_RECORDS_USUAL_HOURS_START <= hour < settings.CANDOUR_RECORDS_USUAL_HOURS_END


def _access_key(access: RecordAccess) -> str:
    return f"{access.staff_number}|{access.record_reference}|{access.accessed_at.isoformat()}|{access.action}"


def _hour_of(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _rules_for_one(access: RecordAccess, person: Person | None, record: PatientRecord | None) -> list[Found]:
    clinical = bool(person and person.job_role.is_clinical)
    key = _access_key(access)
    found = []
    if (
        settings.CANDOUR_RECORDS_ALERT_NOT_AUTHOR
        and record is not None
        and not clinical
        and access.staff_number not in record.authors
    ):
        found.append(Found(AlertRule.NOT_AUTHOR, key, access))
    if (
        settings.CANDOUR_RECORDS_ALERT_OWN_RECORD
        and record is not None
        and record.patient_staff_number
        and record.patient_staff_number == access.staff_number
    ):
        found.append(Found(AlertRule.OWN_RECORD, key, access))
    if settings.CANDOUR_RECORDS_ALERT_OUT_OF_HOURS and not clinical and not _usual_hour(access.accessed_at):
        found.append(Found(AlertRule.OUT_OF_HOURS, key, access))
    if settings.CANDOUR_RECORDS_ALERT_PRINT_EXPORT and access.action in (
        AccessAction.PRINT,
        AccessAction.EXPORT,
    ):
        found.append(Found(AlertRule.PRINT_EXPORT, key, access))
    return found


def _bulk(hours: set[tuple[str, dt.datetime]]) -> list[Found]:
    """People who opened more than the limit of distinct records in one clock hour."""
    limit = settings.CANDOUR_RECORDS_BULK_PER_HOUR
    found = []
    for staff_number, hour in sorted(hours):
        in_hour = RecordAccess.objects.filter(
            staff_number=staff_number, accessed_at__gte=hour, accessed_at__lt=hour + HOUR
        )
        distinct = in_hour.aggregate(records=Count("record_reference", distinct=True))["records"]
        if distinct > limit:
            first = in_hour.order_by("accessed_at").first()
            found.append(Found(AlertRule.BULK, f"{staff_number}|{hour.isoformat()}", first, distinct))
    return found


@transaction.atomic
def raise_alerts_for(*, access_ids: Iterable[int]) -> int:
    """Apply every rule that is switched on to these rows of the access log (and, for bulk access, to the
    hours they fall in); raise each alert once, however often the log is imported. Returns how many new."""
    ids = sorted(set(access_ids))
    found: list[Found] = []
    hours: set[tuple[str, dt.datetime]] = set()
    for chunk in _chunks(ids):
        accesses = list(RecordAccess.objects.filter(pk__in=chunk))
        people = {
            person.staff_number: person
            for person in Person.objects.select_related("job_role").filter(
                staff_number__in={access.staff_number for access in accesses}
            )
        }
        records = {
            record.record_id: record
            for record in PatientRecord.objects.filter(
                record_id__in={access.record_reference for access in accesses}
            ).only("record_id", "authors", "patient_staff_number", "station_id")
        }
        for access in accesses:
            found += _rules_for_one(
                access, people.get(access.staff_number), records.get(access.record_reference)
            )
            hours.add((access.staff_number, _hour_of(access.accessed_at)))
    if settings.CANDOUR_RECORDS_ALERT_BULK:
        found += _bulk(hours)
    return _write(found)


def _write(found: list[Found]) -> int:
    made = 0
    for chunk in _chunks(found):
        stored = {
            (alert.rule, alert.key): alert
            for alert in AccessAlert.objects.filter(key__in={each.key for each in chunk})
        }
        people = dict(
            Person.objects.filter(staff_number__in={each.access.staff_number for each in chunk}).values_list(
                "staff_number", "pk"
            )
        )
        stations = dict(
            Person.objects.filter(staff_number__in={each.access.staff_number for each in chunk}).values_list(
                "staff_number", "station_id"
            )
        )
        record_stations = dict(
            PatientRecord.objects.filter(
                record_id__in={each.access.record_reference for each in chunk}
            ).values_list("record_id", "station_id")
        )
        new = []
        for each in chunk:
            known = stored.get((each.rule, each.key))
            if known is not None:
                if known.status == AlertStatus.OPEN and known.access_count != each.access_count:
                    AccessAlert.objects.filter(pk=known.pk).update(access_count=each.access_count)
                continue
            staff_number = each.access.staff_number
            new.append(
                AccessAlert(
                    rule=each.rule,
                    key=each.key,
                    staff_number=staff_number,
                    person_id=people.get(staff_number),
                    record_reference="" if each.rule == AlertRule.BULK else each.access.record_reference,
                    occurred_at=each.access.accessed_at,
                    access_count=each.access_count,
                    unit_id=stations.get(staff_number) or record_stations.get(each.access.record_reference),
                )
            )
            stored[(each.rule, each.key)] = new[-1]
        AccessAlert.objects.bulk_create(new)
        made += len(new)
    if made:
        audit.record(
            action="raised_access_alerts",
            system="records access monitoring",
            summary=f"{made} unusual record access alert{'s' if made != 1 else ''} raised",
            changes={"raised": made},
        )
    return made


@transaction.atomic
def review_alert(*, by, alert: AccessAlert, justified: bool, note: str) -> AccessAlert:
    """The information governance lead's finding on one alert: justified or not, and why."""
    alert = AccessAlert.objects.select_for_update().get(pk=alert.pk)
    require_reach(by, REVIEW_ACCESS, alert)
    if alert.status != AlertStatus.OPEN:
        raise Refused(f"This alert was already reviewed as {alert.get_status_display().lower()}.")
    if not note.strip():
        raise Refused("Say why the access was or was not justified.", field="note")
    alert.status = AlertStatus.JUSTIFIED if justified else AlertStatus.NOT_JUSTIFIED
    alert.reviewed_by = by
    alert.reviewed_at = timezone.now()
    alert.review_note = note.strip()
    alert.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    audit.record(
        action="reviewed_access_alert",
        actor=by,
        target=alert,
        summary=f"Access alert on {alert.staff_number} reviewed: {alert.get_status_display().lower()}",
        changes={"status": alert.status, "rule": alert.rule, "review_note": "[changed]"},
    )
    return alert


@transaction.atomic
def refer_alert_to_hr(*, by, alert: AccessAlert) -> AccessAlert:
    """Refer an alert reviewed as not justified to HR, once: a second referral changes nothing. The referral
    names the alert and the person; the review's note stays out of the audit event, as at review."""
    alert = AccessAlert.objects.select_for_update().get(pk=alert.pk)
    require_reach(by, REVIEW_ACCESS, alert)
    if alert.status != AlertStatus.NOT_JUSTIFIED:
        raise Refused("Only an alert reviewed as not justified can be referred to HR.")
    if alert.referred_to_hr_at is not None:
        return alert
    alert.referred_to_hr_at = timezone.now()
    alert.referred_by = by
    alert.save(update_fields=["referred_to_hr_at", "referred_by", "updated_at"])
    audit.record(
        action="referred_access_alert_to_hr",
        actor=by,
        target=alert,
        summary=f"Access alert on {alert.staff_number} referred to HR",
        changes={"rule": alert.rule, "staff_number": alert.staff_number},
    )
    return alert
