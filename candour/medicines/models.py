"""Controlled drugs registers (Misuse of Drugs Regulations 2001, regs 19 and 20; STANDARDS.md §5).

A register is kept per premises (a station safe, a hub, a vehicle's locked cabinet, a drug pouch), with a
separate part per drug, strength and form. Its entries are append-only in the database itself (migration
0002): nothing updates or deletes one, and a correction is a new dated entry that refers to the one it
corrects. Each entry's effect on the balance (`change`) and the balance after it are worked out by the one
writer, `services.registers`, from the entries before it, never typed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from candour.core.base import BaseModel


class Premises(BaseModel):
    """Somewhere controlled drugs are held, belonging to a unit of the organisation (a station or an area)."""

    class Kind(models.TextChoices):
        SAFE = "safe", "Station safe"
        HUB = "hub", "Hub"
        VEHICLE = "vehicle", "Vehicle cabinet"
        POUCH = "pouch", "Drug pouch"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # The due time of the last missed check escalated to the medicines lead, so each is escalated once.
    missed_check_escalated_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "premises"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="premises_name_unique_in_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def access_unit(self):
        return self.unit


class Schedule(models.TextChoices):
    """The Misuse of Drugs Regulations 2001 schedules (STANDARDS.md §5)."""

    TWO = "2", "Schedule 2"
    THREE = "3", "Schedule 3"
    FOUR_I = "4-1", "Schedule 4 part I"
    FOUR_II = "4-2", "Schedule 4 part II"
    FIVE = "5", "Schedule 5"


class Form(models.TextChoices):
    AMPOULE = "ampoule", "Ampoule for injection"
    VIAL = "vial", "Vial for injection"
    ORAL_SOLUTION = "oral_solution", "Oral solution"
    OROMUCOSAL = "oromucosal", "Oromucosal solution (prefilled syringe)"
    NASAL_SPRAY = "nasal_spray", "Nasal spray"
    TABLET = "tablet", "Tablet"


class ControlledDrug(BaseModel):
    """Reference data: one drug at one strength in one form, as a register part is headed. Whether a register
    is kept is the trust's to say (many register Schedule 3 drugs such as midazolam locally)."""

    name = models.CharField(max_length=80)
    strength = models.CharField(max_length=60, help_text="For example 10 mg in 1 ml")
    form = models.CharField(max_length=20, choices=Form.choices)
    unit_name = models.CharField(max_length=30, help_text="What one is counted as: ampoule, vial, tablet")
    schedule = models.CharField(max_length=4, choices=Schedule.choices)
    register_required = models.BooleanField()

    class Meta:
        ordering = ["name", "strength", "form"]
        constraints = [
            models.UniqueConstraint(fields=["name", "strength", "form"], name="controlled_drug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.strength} {self.get_form_display().lower()}"


class RegisterPart(BaseModel):
    """The part of a premises' register for one drug, strength and form. Its row is the lock every writer
    takes before it reads the balance, so two writers to one part go one after the other."""

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="parts")
    drug = models.ForeignKey(ControlledDrug, on_delete=models.PROTECT, related_name="parts")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["premises__name", "drug__name", "drug__strength"]
        constraints = [models.UniqueConstraint(fields=["premises", "drug"], name="one_part_per_drug")]

    def __str__(self) -> str:
        return f"{self.premises}: {self.drug}"

    @property
    def access_unit(self):
        return self.premises.unit


class EntryKind(models.TextChoices):
    RECEIVED = "received", "Received"
    ADMINISTERED = "administered", "Administered"
    SUPPLIED = "supplied", "Supplied"
    TRANSFERRED_IN = "transferred_in", "Transferred in"
    TRANSFERRED_OUT = "transferred_out", "Transferred out"
    RETURNED = "returned", "Returned to pharmacy"
    WASTED = "wasted", "Wasted (denatured)"
    DESTROYED = "destroyed", "Destroyed"
    CORRECTION = "correction", "Correction"


# The sign of each kind's effect on the balance; a correction's effect is the adjustment it records.
INCOMING = frozenset({EntryKind.RECEIVED, EntryKind.TRANSFERRED_IN})
OUTGOING = frozenset(
    {
        EntryKind.ADMINISTERED,
        EntryKind.SUPPLIED,
        EntryKind.TRANSFERRED_OUT,
        EntryKind.RETURNED,
        EntryKind.WASTED,
        EntryKind.DESTROYED,
    }
)
WITNESSED = frozenset({EntryKind.TRANSFERRED_OUT, EntryKind.WASTED, EntryKind.DESTROYED})


class RegisterEntry(models.Model):
    """One line of a register part. Never changed or removed (the database refuses); `sequence` numbers the
    part's lines in the order they were written, and is unique, so no two writers can both be line n."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    part = models.ForeignKey(RegisterPart, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    occurred_on = models.DateField(help_text="The day the drugs moved")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(
        help_text="How many units moved (a correction: how many it adjusts)"
    )
    change = models.IntegerField(help_text="The effect on the balance, worked out by the service")
    balance_after = models.PositiveIntegerField()
    # Received from, or returned to.
    party_name = models.CharField(max_length=200, blank=True)
    party_address = models.CharField(max_length=300, blank=True)
    # Administered or supplied.
    incident_reference = models.CharField(max_length=40, blank=True, help_text="The patient's incident")
    authority = models.CharField(
        max_length=200, blank=True, help_text="The authority to administer or supply"
    )
    dose = models.CharField(max_length=60, blank=True, help_text="The dose given or denatured, e.g. 5 mg")
    # Received: the pack's batch and expiry. A transfer carries the batch and expiry of the stock it moved
    # (its first-expiring lot, worked out by the service); a destruction or return may name the batch it
    # took. See `medicines.lots` for how stock left per batch is worked out.
    batch = models.CharField(max_length=40, blank=True, help_text="The batch (lot) number on the pack")
    expires_on = models.DateField(null=True, blank=True, help_text="The expiry date on the pack")
    collected_by = models.CharField(max_length=200, blank=True)
    id_requested = models.BooleanField(null=True)
    id_shown = models.BooleanField(null=True)
    # Transfers: both sides carry the same transfer id, and each names the other premises.
    transfer_id = models.UUIDField(null=True, blank=True, db_index=True)
    other_premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    witness_confirmed_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    remarks = models.TextField(blank=True)

    class Meta:
        ordering = ["part", "sequence"]
        verbose_name_plural = "register entries"
        # Where each part's balance last stood at zero, found without reading the part's other entries
        # (medicines.lots reads only the entries after it).
        indexes = [
            models.Index(fields=["part", "balance_after", "sequence"], name="entry_part_balance"),
            # Reconciliation looks up the lines of the incidents a patient record export names.
            models.Index(fields=["incident_reference"], name="entry_incident"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["part", "sequence"], name="one_entry_per_line"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="balance_never_below_zero"),
            models.CheckConstraint(
                condition=Q(kind="correction", corrects__isnull=False)
                | (~Q(kind="correction") & Q(corrects__isnull=True)),
                name="only_corrections_correct",
            ),
            models.CheckConstraint(
                condition=Q(is_late=False) | ~Q(late_reason=""), name="late_entry_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part}, line {self.sequence}: {self.get_kind_display()} {self.quantity}"

    @property
    def access_unit(self):
        return self.part.premises.unit


class StockCheck(BaseModel):
    """A blind count of a premises' stock: the person counting says what is there without being shown what
    the register says, and only then is the count compared with the balance (kept on each line)."""

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="stock_checks")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField()

    class Meta:
        ordering = ["-counted_at"]

    def __str__(self) -> str:
        return f"Stock check of {self.premises}"

    @property
    def access_unit(self):
        return self.premises.unit


class StockCount(BaseModel):
    """One part's line of a stock check: what was counted, and what the register's balance was then."""

    stock_check = models.ForeignKey(StockCheck, on_delete=models.PROTECT, related_name="counts")
    part = models.ForeignKey(RegisterPart, on_delete=models.PROTECT, related_name="counts")
    counted = models.PositiveIntegerField()
    expected = models.PositiveIntegerField(help_text="The register's balance when the count was recorded")

    class Meta:
        ordering = ["part__drug__name", "part__drug__strength"]
        constraints = [models.UniqueConstraint(fields=["stock_check", "part"], name="one_count_per_part")]

    @property
    def difference(self) -> int:
        return self.counted - self.expected


class DiscrepancyCategory(models.TextChoices):
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"
    RECORDING_ERROR = "recording_error", "Recording error"
    BREAKAGE = "breakage", "Breakage"
    UNEXPLAINED_LOSS = "unexplained_loss", "Unexplained loss"
    SUSPECTED_DIVERSION = "suspected_diversion", "Suspected diversion"
    OTHER = "other", "Other"


class Discrepancy(BaseModel):
    """A difference between a count and the register, opened by the check that found it and investigated
    until it is resolved with an outcome."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    count = models.OneToOneField(StockCount, on_delete=models.PROTECT, related_name="discrepancy")
    category = models.CharField(
        max_length=24, choices=DiscrepancyCategory.choices, default=DiscrepancyCategory.NOT_YET_KNOWN
    )
    notes = models.TextField(blank=True, help_text="The investigation so far")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(
        null=True, blank=True, help_text="When it went to the CD accountable officer, still open"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "discrepancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | (Q(status="resolved", resolved_at__isnull=False) & ~Q(outcome="")),
                name="resolved_discrepancy_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Discrepancy in {self.count.part}"

    @property
    def access_unit(self):
        return self.count.part.premises.unit


# The categories a discrepancy must be reported onward for before it is resolved.
REPORTED_ONWARD = frozenset({DiscrepancyCategory.UNEXPLAINED_LOSS, DiscrepancyCategory.SUSPECTED_DIVERSION})


class OnwardBody(models.TextChoices):
    """Who an unexplained loss or suspected diversion is reported to (local policy; not verified against
    national guidance: docs/adr/0031)."""

    POLICE = "police", "Police"
    CDLIN = "cdlin", "Controlled drugs local intelligence network (CDLIN)"
    NHSE_CDAO = "nhse_cdao", "NHS England controlled drugs accountable officer"
    HOME_OFFICE = "home_office", "Home Office Drugs and Firearms Licensing Unit"


class OnwardReport(BaseModel):
    """A report of an unexplained loss or suspected diversion to a body outside the trust, recorded by the
    CD accountable officer, with its outcome once it is known."""

    discrepancy = models.ForeignKey(Discrepancy, on_delete=models.PROTECT, related_name="onward_reports")
    body = models.CharField(max_length=20, choices=OnwardBody.choices)
    reported_on = models.DateField()
    reference = models.CharField(max_length=80, help_text="The body's reference for the report")
    outcome = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reported_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_recorded_at__isnull=True)
                | (~Q(outcome="") & Q(outcome_recorded_at__isnull=False)),
                name="onward_report_outcome_dated",
            )
        ]

    def __str__(self) -> str:
        return f"Report to {self.get_body_display()} of {self.discrepancy}"

    @property
    def access_unit(self):
        return self.discrepancy.count.part.premises.unit


class PatientRecordMedicine(BaseModel):
    """A medicines entry of a patient record, as the ePCR's medicines export gives it: a dose given (or
    drawn up and wasted) at an incident by a clinician. Reconciliation matches each with the register line
    that records the same dose (`matched_entry`), so an administration no patient record accounts for is
    an exception. The ePCR's drug name is kept as it writes it, and matched to a drug by name."""

    incident_reference = models.CharField(max_length=40)
    drug = models.CharField(max_length=80, help_text="The drug as the ePCR names it")
    dose = models.CharField(max_length=60, blank=True)
    quantity = models.PositiveIntegerField(help_text="How many units (ampoules, vials) the dose took")
    given_at = models.DateTimeField()
    clinician_staff_number = models.CharField(max_length=20)
    wasted = models.BooleanField(help_text="Drawn up and denatured, not given")
    matched_entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="patient_record"
    )

    class Meta:
        ordering = ["given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident_reference", "drug", "given_at", "clinician_staff_number", "wasted"],
                name="one_patient_record_medicine",
            )
        ]

    def __str__(self) -> str:
        return f"{self.drug} at {self.incident_reference}"
