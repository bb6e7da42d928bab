"""Records: seeing a record's NHS number (always audited) and marking a paper record lost, which raises an
information governance concern through speak-up."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import require_reach
from candour.records.access import MANAGE_CUSTODY, REVEAL_NHS_NUMBER
from candour.records.models import Medium, PatientRecord
from candour.speakup import services as speakup


@transaction.atomic
def reveal_nhs_number(*, by, record: PatientRecord) -> str:
    """The record's NHS number, with the view of it audited: who saw whose number, and when."""
    require_reach(by, REVEAL_NHS_NUMBER, record)
    audit.record(
        action="viewed_nhs_number",
        actor=by,
        target=record,
        summary=f"NHS number of record {record.record_id} shown",
    )
    return record.nhs_number


@transaction.atomic
def mark_lost(*, by, record: PatientRecord, circumstances: str) -> PatientRecord:
    """Record that a paper record cannot be found, and raise it as a patient safety and quality concern:
    a lost record is an information governance incident. The concern names the record and where it was
    last seen, never the patient or what the record says."""
    record = PatientRecord.objects.select_for_update().get(pk=record.pk)
    require_reach(by, MANAGE_CUSTODY, record)
    if record.medium != Medium.PAPER:
        raise Refused("Only a paper record can be lost; an electronic one stays in the ePCR.")
    if record.lost_at is not None:
        raise Refused(f"Record {record.record_id} was already marked lost ({record.lost_concern_reference}).")
    if not circumstances.strip():
        raise Refused("Say where the record was last seen and who has looked for it.", field="circumstances")
    last = record_last_step(record)
    narrative = (
        f"Paper patient record {record.record_id} (incident {record.incident_reference}) cannot be found. "
        f"Last step of its custody: {last}. {circumstances.strip()}"
    )
    raised = speakup.raise_concern(
        by=by,
        kind=speakup.Kind.PATIENT_SAFETY,
        identity=speakup.Identity.OPEN,
        subject_type=speakup.Subject.PROCESS,
        narrative=narrative,
        station=record.station,
        occurred_on=timezone.localdate(),
    )
    record.lost_at = timezone.now()
    record.lost_by = by
    record.lost_concern_reference = raised.concern.reference
    record.save(update_fields=["lost_at", "lost_by", "lost_concern_reference", "updated_at"])
    audit.record(
        action="marked_record_lost",
        actor=by,
        target=record,
        summary=f"Paper record {record.record_id} marked lost; concern {raised.concern.reference} raised",
        changes={"concern": raised.concern.reference},
    )
    return record


def record_last_step(record: PatientRecord) -> str:
    from candour.records.models import CustodyEvent

    last = CustodyEvent.objects.filter(record_reference=record.record_id).order_by("-step").first()
    if last is None:
        return "none recorded"
    return f"{last.get_step_display().lower()} on {timezone.localtime(last.occurred_at):%d/%m/%Y %H:%M}"
