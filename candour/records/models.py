"""Patient record assurance: the ePCR's index of records, paper records' custody, and who opened which record.

Candour assures the electronic patient care record (ePCR); it never holds clinical content. A record here is
its identifiers and, for each mandatory element, whether the record has it. The incident is kept as the
ePCR's incident reference: matching records to operations' incidents comes when that app lands (ADR 0033).
The one patient identifier kept, the NHS number for matching, is encrypted at rest and every view of it is
audited (`services.records.reveal_nhs_number`).
"""

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel
from candour.core.encryption import EncryptedTextField
from candour.core.tags import tag_colours
from candour.records.reference import PATIENT_CARE_RECORD


class ElementSet(BaseModel):
    """The mandatory elements of one record type, as one version of reference data. The newest version in
    force on a day is the one records of that day are measured against; older versions stay, so a past
    month reads as it was measured."""

    record_type = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    elements = models.JSONField(help_text="[{code, label}], in the order pages show them.")
    effective_from = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "version"], name="one_element_set_version")
        ]

    def __str__(self) -> str:
        return f"{self.record_type} v{self.version}"

    @property
    def codes(self) -> list[str]:
        return [element["code"] for element in self.elements]


@tag_colours({"draft": "yellow", "final": "green", "amended": "blue"})
class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    AMENDED = "amended", "Amended"


class Medium(models.TextChoices):
    ELECTRONIC = "electronic", "Electronic"
    PAPER = "paper", "Paper"


class PatientRecord(BaseModel):
    """One patient care record as the ePCR indexes it: never its clinical content."""

    record_id = models.CharField(max_length=60, unique=True, help_text="The ePCR's own id for the record.")
    incident_reference = models.CharField(max_length=60, db_index=True)
    record_type = models.CharField(max_length=60, default=PATIENT_CARE_RECORD)
    status = models.CharField(max_length=10, choices=RecordStatus.choices)
    started_at = models.DateTimeField(help_text="When the record was created in the ePCR or on paper.")
    finalised_at = models.DateTimeField(null=True, blank=True)
    authors = models.JSONField(default=list, help_text="Staff numbers of the record's authors.")
    station = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    medium = models.CharField(max_length=10, choices=Medium.choices)
    provider = models.CharField(max_length=120, blank=True, help_text="Blank for the trust's own crews.")
    completeness = models.JSONField(default=dict, help_text="{element code: present}, nothing more.")
    complete = models.BooleanField(default=False, help_text="Every mandatory element is present.")
    patient_staff_number = models.CharField(
        max_length=20, blank=True, help_text="When the ePCR records the patient as a member of staff."
    )
    nhs_number = EncryptedTextField(blank=True, help_text="For matching only; every view is audited.")
    lost_at = models.DateTimeField(null=True, blank=True)
    lost_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lost_concern_reference = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-started_at", "record_id"]

    def __str__(self) -> str:
        return self.record_id

    @property
    def access_unit(self):
        return self.station

    @property
    def status_member(self) -> RecordStatus:
        return RecordStatus(self.status)


class RecordAuthor(models.Model):
    """One author of one record, by staff number: the record's `authors` as rows, so a clinician's own
    records are found by an index on every database (SQLite's JSON has no `contains`). Written by the record
    index importer beside the record."""

    record_reference = models.CharField(max_length=60)
    staff_number = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff_number", "record_reference"], name="one_author_row")
        ]
        indexes = [models.Index(fields=["record_reference"], name="records_author_record")]

    def __str__(self) -> str:
        return f"{self.staff_number} wrote {self.record_reference}"


class RecordReview(BaseModel):
    """A clinical audit lead's review of one record, sent to one of its authors: which mandatory elements
    were missing and why they matter. The author acknowledges it once."""

    record = models.ForeignKey(PatientRecord, on_delete=models.PROTECT, related_name="reviews")
    clinician = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    missing = models.JSONField(default=list, help_text="The element codes the review is about.")
    why = EncryptedTextField(help_text="Why the missing elements matter, in the reviewer's words.")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinician", "acknowledged_at"], name="records_review_clinician")]

    def __str__(self) -> str:
        return f"Review of {self.record_id} for {self.clinician_id}"

    @property
    def access_unit(self):
        return self.record.station


class CustodyStep(models.IntegerChoices):
    """A paper record's journey, in the order it must happen."""

    COMPLETED_ON_SCENE = 1, "Completed on scene"
    PLACED_IN_STATION_BOX = 2, "Placed in station box"
    COLLECTED = 3, "Collected"
    RECEIVED_AT_RECORDS_OFFICE = 4, "Received at records office"
    SCANNED = 5, "Scanned"
    VERIFIED = 6, "Verified"
    DESTROYED_AFTER_SCANNING = 7, "Destroyed after scanning"


# How the feed names each step.
STEP_CODES = {
    "completed_on_scene": CustodyStep.COMPLETED_ON_SCENE,
    "placed_in_station_box": CustodyStep.PLACED_IN_STATION_BOX,
    "collected": CustodyStep.COLLECTED,
    "received_at_records_office": CustodyStep.RECEIVED_AT_RECORDS_OFFICE,
    "scanned": CustodyStep.SCANNED,
    "verified": CustodyStep.VERIFIED,
    "destroyed_after_scanning": CustodyStep.DESTROYED_AFTER_SCANNING,
}


class CustodyEvent(models.Model):
    """One step of a paper record's chain of custody: which record, what happened, who, when."""

    record_reference = models.CharField(max_length=60)
    step = models.PositiveSmallIntegerField(choices=CustodyStep.choices)
    by_staff_number = models.CharField(max_length=20)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["record_reference", "step"]
        constraints = [
            models.UniqueConstraint(fields=["record_reference", "step"], name="one_custody_step_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_reference}: {self.get_step_display()}"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    PRINT = "print", "Printed"
    EXPORT = "export", "Exported"
    AMEND = "amend", "Amended"


class RecordAccess(models.Model):
    """One line of the ePCR's access log: who opened which record, when, how and from where."""

    staff_number = models.CharField(max_length=20)
    record_reference = models.CharField(max_length=60, db_index=True)
    accessed_at = models.DateTimeField()
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    location = models.CharField(max_length=120, blank=True, help_text="The device or site.")

    class Meta:
        ordering = ["-accessed_at"]
        indexes = [models.Index(fields=["staff_number", "accessed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number", "record_reference", "accessed_at", "action"], name="one_access_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_number} {self.action} {self.record_reference}"


class AlertRule(models.TextChoices):
    NOT_AUTHOR = "not_author", "Opened a record they did not write, not in a clinical role"
    OWN_RECORD = "own_record", "Opened their own record as a patient"
    OUT_OF_HOURS = "out_of_hours", "Opened a record outside usual hours, not in a clinical role"
    BULK = "bulk", "Opened many records in one hour"
    PRINT_EXPORT = "print_export", "Printed or exported a record"


@tag_colours({"open": "blue", "justified": "green", "not_justified": "red"})
class AlertStatus(models.TextChoices):
    OPEN = "open", "To review"
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class AccessAlert(BaseModel):
    """Access that a rule found unusual, for the information governance lead to review. `key` makes a rule's
    alert once however often the log is imported: the access's row for most rules, the person and hour for
    bulk access."""

    rule = models.CharField(max_length=20, choices=AlertRule.choices)
    key = models.CharField(max_length=200)
    staff_number = models.CharField(max_length=20)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_reference = models.CharField(max_length=60, blank=True)
    occurred_at = models.DateTimeField()
    access_count = models.PositiveIntegerField(default=1)
    unit = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)
    referred_to_hr_at = models.DateTimeField(
        null=True, blank=True, help_text="When an alert reviewed as not justified was referred to HR."
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="one_alert_per_rule_and_key")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.staff_number}"

    @property
    def status_member(self) -> AlertStatus:
        return AlertStatus(self.status)

    @property
    def access_unit(self):
        return self.unit
