"""Fleet and equipment: vehicles, the medical devices and lifting equipment they carry or stations keep,
each asset's maintenance schedules, and the results recorded against them.

Every maintained thing is an `Asset`: a vehicle is an asset of kind "vehicle" with a `Vehicle` beside it
holding what only vehicles have. Each schedule keeps its next due date and usage (worked out by the
services when a result is recorded), so "what is overdue" reads schedules and assets only, never the
history of results (ADR 0032).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from candour.core.base import BaseModel
from candour.core.tags import tag_colours


class VehicleType(models.TextChoices):
    EMERGENCY_AMBULANCE = "emergency_ambulance", "Emergency ambulance"
    RAPID_RESPONSE_CAR = "rapid_response_car", "Rapid response car"
    PATIENT_TRANSPORT = "patient_transport", "Patient transport"
    BARIATRIC = "bariatric", "Bariatric ambulance"
    HART = "hart", "HART vehicle"


@tag_colours({"in_service": "green", "off_road": "red"})
class VehicleStatus(models.TextChoices):
    IN_SERVICE = "in_service", "In service"
    OFF_ROAD = "off_road", "Off road"


class AssetKind(models.TextChoices):
    VEHICLE = "vehicle", "Vehicle"
    MEDICAL_DEVICE = "medical_device", "Medical device"
    LIFTING_EQUIPMENT = "lifting_equipment", "Lifting equipment"


@tag_colours({"in_service": "green", "quarantined": "red"})
class AssetStatus(models.TextChoices):
    IN_SERVICE = "in_service", "In service"
    QUARANTINED = "quarantined", "Quarantined"


class UsageUnit(models.TextChoices):
    MILES = "miles", "miles"
    HOURS = "hours", "hours of use"
    CYCLES = "cycles", "cycles"


class MaintenanceKind(models.TextChoices):
    PLANNED_PREVENTIVE = "ppm", "Planned preventive maintenance"
    CALIBRATION = "calibration", "Calibration"
    ELECTRICAL_SAFETY = "electrical_safety", "Electrical safety test"
    LOLER = "loler", "LOLER thorough examination"
    VEHICLE_SERVICE = "vehicle_service", "Vehicle service"
    MOT = "mot", "MOT"


def in_a_sentence(kind: str) -> str:
    """A kind's label inside a sentence: lower case, but LOLER and MOT keep their capitals."""
    label = MaintenanceKind(kind).label
    return label if label.split()[0].isupper() else label[0].lower() + label[1:]


# Kinds of maintenance only vehicles have.
VEHICLE_ONLY_KINDS = frozenset({MaintenanceKind.VEHICLE_SERVICE, MaintenanceKind.MOT})


@tag_colours({"pass": "green", "pass_with_advisories": "yellow", "fail": "red"})
class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    PASS_WITH_ADVISORIES = "pass_with_advisories", "Pass with advisories"
    FAIL = "fail", "Fail with defects"


PASSING = frozenset({Outcome.PASS, Outcome.PASS_WITH_ADVISORIES})


class LolerCategory(models.TextChoices):
    LIFTS_PEOPLE = "lifts_people", "Equipment that lifts people"
    ACCESSORY = "accessory", "Lifting accessory"
    OTHER = "other", "Other lifting equipment"


class LolerInterval(models.Model):
    """Reference data: the longest interval between LOLER thorough examinations for each category
    (LOLER 1998 reg 9(3)(a): 6 months for equipment lifting people and for accessories, 12 otherwise)."""

    category = models.CharField(max_length=20, choices=LolerCategory.choices, unique=True)
    months = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["months", "category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: every {self.months} months"


class AssetQuerySet(models.QuerySet):
    def for_scope(self, scope) -> AssetQuerySet:
        return self.filter(station_id__in=scope.unit_ids)

    def overdue(self, today: dt.date) -> AssetQuerySet:
        """Assets with any schedule past due. Two lists, each led by its own index (schedules past their due
        date; schedules due by use, which are few), so the work grows with what is overdue, not with the
        register: a join of every schedule of every asset in scope cost the trust-scale "what is overdue"
        page most of its time (ADR 0038)."""
        schedules = MaintenanceSchedule.objects
        by_date = schedules.filter(next_due_on__lt=today).values("asset_id")
        by_use = schedules.filter(
            next_due_usage__isnull=False, asset__usage_reading__gte=F("next_due_usage")
        ).values("asset_id")
        return self.filter(Q(pk__in=by_date) | Q(pk__in=by_use))

    def with_overdue(self, today: dt.date) -> AssetQuerySet:
        """Each asset marked `is_overdue` when any of its schedules is past due (in the database)."""
        return self.annotate(
            is_overdue=Exists(MaintenanceSchedule.objects.overdue(today).filter(asset=OuterRef("pk")))
        )


class Asset(BaseModel):
    """A maintained thing: a vehicle, a medical device or a piece of lifting equipment. Equipment is on a
    vehicle or in a station's store; `station` is always where it belongs (the vehicle's base station, or
    the store's), kept by the services so a station's assets are found by one column."""

    kind = models.CharField(max_length=20, choices=AssetKind.choices)
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    serial_number = models.CharField(max_length=100)
    asset_tag = models.CharField(max_length=50, unique=True)
    on_vehicle = models.ForeignKey(
        "fleet.Vehicle", null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    store = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    loler_category = models.CharField(max_length=20, choices=LolerCategory.choices, blank=True)
    usage_unit = models.CharField(max_length=10, choices=UsageUnit.choices, blank=True)
    usage_reading = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_SERVICE)
    quarantine_reason = models.TextField(blank=True)
    quarantine_kind = models.CharField(
        max_length=20,
        choices=MaintenanceKind.choices,
        blank=True,
        help_text="The kind of result that clears the quarantine; blank means any passing result.",
    )
    quarantined_on = models.DateField(null=True, blank=True)
    # What it can take (bariatric provision): the manufacturer's safe working load and the widest patient.
    safe_working_load_kg = models.PositiveIntegerField(null=True, blank=True)
    max_patient_width_cm = models.PositiveIntegerField(null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        indexes = [models.Index(fields=["station", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="vehicle", on_vehicle__isnull=True, store__isnull=True)
                    | (~Q(kind="vehicle") & Q(on_vehicle__isnull=False, store__isnull=True))
                    | (~Q(kind="vehicle") & Q(on_vehicle__isnull=True, store__isnull=False))
                ),
                name="fleet_asset_is_on_a_vehicle_or_in_a_store",
            ),
            models.CheckConstraint(
                condition=Q(kind="lifting_equipment") | Q(loler_category=""),
                name="fleet_only_lifting_equipment_has_a_loler_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} {self.make} {self.model}"

    @property
    def access_unit(self):
        return self.station

    @property
    def status_choice(self) -> AssetStatus:
        return AssetStatus(self.status)

    @property
    def is_quarantined(self) -> bool:
        return self.status == AssetStatus.QUARANTINED

    @property
    def location(self) -> str:
        if self.kind == AssetKind.VEHICLE:
            return f"Based at {self.station.name}"
        if self.on_vehicle_id:
            return f"On {self.on_vehicle.call_sign}"
        return f"{self.store.name} store"


def bariatric_load_kg() -> int:
    """The least safe working load that makes lifting equipment, and the vehicle carrying it, bariatric."""
    return settings.CANDOUR_FLEET_BARIATRIC_SWL_KG


def bariatric_review_after() -> dt.timedelta:
    """A wait longer than this, from the request to a suitable resource on scene, is reviewed."""
    return dt.timedelta(minutes=settings.CANDOUR_FLEET_BARIATRIC_WAIT_REVIEW_MINUTES)


class VehicleQuerySet(models.QuerySet):
    def for_scope(self, scope) -> VehicleQuerySet:
        return self.filter(station_id__in=scope.unit_ids)

    def bariatric_capable(self) -> VehicleQuerySet:
        """Carrying lifting equipment rated to the trust's bariatric safe working load."""
        return self.filter(
            Exists(
                Asset.objects.filter(
                    on_vehicle=OuterRef("pk"),
                    kind=AssetKind.LIFTING_EQUIPMENT,
                    safe_working_load_kg__gte=bariatric_load_kg(),
                )
            )
        )

    def with_flag(self, today: dt.date) -> VehicleQuerySet:
        """Each vehicle marked `is_flagged` when it, or any equipment on it, is overdue, or its deep clean is
        overdue (in the database)."""
        overdue = MaintenanceSchedule.objects.overdue(today)
        return self.annotate(
            is_flagged=Exists(overdue.filter(asset_id=OuterRef("asset_id")))
            | Exists(overdue.filter(asset__on_vehicle=OuterRef("pk")))
            | Exists(CleanDue.objects.deep_overdue(today).filter(vehicle=OuterRef("pk")))
        )


class Vehicle(BaseModel):
    """A vehicle of the fleet, based at a station; its own service and MOT schedules are its asset's."""

    asset = models.OneToOneField(Asset, on_delete=models.PROTECT, related_name="vehicle")
    call_sign = models.CharField(max_length=20, unique=True)
    registration = models.CharField(max_length=10, unique=True)
    vehicle_type = models.CharField(max_length=30, choices=VehicleType.choices)
    station = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=VehicleStatus.choices, default=VehicleStatus.IN_SERVICE)
    off_road_reason = models.TextField(blank=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        ordering = ["call_sign"]

    def __str__(self) -> str:
        return f"{self.call_sign} ({self.registration})"

    @property
    def status_choice(self) -> VehicleStatus:
        return VehicleStatus(self.status)

    @property
    def access_unit(self):
        return self.station


class ScheduleQuerySet(models.QuerySet):
    def overdue(self, today: dt.date) -> ScheduleQuerySet:
        """Past its due date, or used beyond its due usage: whichever comes first."""
        return self.filter(
            Q(next_due_on__lt=today)
            | Q(next_due_usage__isnull=False, asset__usage_reading__gte=F("next_due_usage"))
        )


class MaintenanceSchedule(BaseModel):
    """One kind of maintenance an asset needs, every so many months and/or every so much use, whichever
    comes first. The due date and usage move on only when a passing result is recorded."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField(max_length=20, choices=MaintenanceKind.choices)
    interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    usage_interval = models.PositiveIntegerField(null=True, blank=True)
    last_done_on = models.DateField(null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True)
    next_due_usage = models.PositiveIntegerField(null=True, blank=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["next_due_on", "kind"]
        indexes = [
            models.Index(fields=["next_due_on"]),
            # Only schedules due by use have a due usage: a partial index the overdue query can lead with.
            models.Index(
                fields=["next_due_usage"],
                condition=Q(next_due_usage__isnull=False),
                name="fleet_schedule_due_by_use",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["asset", "kind"], name="fleet_one_schedule_per_kind"),
            models.CheckConstraint(
                condition=Q(interval_months__isnull=False) | Q(usage_interval__isnull=False),
                name="fleet_schedule_has_an_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.asset.asset_tag}"

    @property
    def access_unit(self):
        return self.asset.station

    def is_overdue(self, today: dt.date) -> bool:
        by_date = self.next_due_on is not None and self.next_due_on < today
        reading = self.asset.usage_reading
        by_use = self.next_due_usage is not None and reading is not None and reading >= self.next_due_usage
        return by_date or by_use


class MaintenanceResult(BaseModel):
    """What a service, test or examination found, recorded against the asset's schedule."""

    schedule = models.ForeignKey(MaintenanceSchedule, on_delete=models.CASCADE, related_name="results")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="results")
    done_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    usage_reading = models.PositiveIntegerField(null=True, blank=True)
    advisories = models.TextField(blank=True)
    defects = models.TextField(blank=True)
    danger_to_people = models.BooleanField(
        default=False, help_text="A LOLER report's defect that is or could become a danger to people."
    )
    next_due_on = models.DateField(null=True, blank=True, help_text="When this result says it is next due.")
    examiner = models.CharField(max_length=200, blank=True)
    # Empty when the result came in with the maintenance history a system job imported.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-done_on", "-created_at"]
        indexes = [models.Index(fields=["asset", "-done_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="fail") | ~Q(defects=""), name="fleet_a_fail_names_its_defects"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.done_on}"

    @property
    def outcome_choice(self) -> Outcome:
        return Outcome(self.outcome)

    @property
    def access_unit(self):
        return self.asset.station


# Vehicle daily inspection


class Shift(models.TextChoices):
    DAY = "day", "Day shift"
    NIGHT = "night", "Night shift"


class ChecklistItem(models.Model):
    """Reference data: one question of the daily check for a type of vehicle (see `fleet.reference`)."""

    class Section(models.TextChoices):
        VEHICLE = "vehicle", "Vehicle"
        EQUIPMENT = "equipment", "Equipment present and in date"
        DRUGS = "drugs", "Drugs"
        CLEANLINESS = "cleanliness", "Cleanliness"

    vehicle_type = models.CharField(max_length=30, choices=VehicleType.choices)
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=20, choices=Section.choices)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["vehicle_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle_type", "position"], name="fleet_one_item_per_position")
        ]

    def __str__(self) -> str:
        return self.text


class VehicleCheck(BaseModel):
    """A crew's daily inspection of a vehicle at the start of a shift: one per vehicle, day and shift."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="checks")
    shift_date = models.DateField()
    shift = models.CharField(max_length=10, choices=Shift.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-shift_date", "-shift"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "shift_date", "shift"], name="fleet_one_check_per_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vehicle.call_sign} {self.get_shift_display().lower()} check on {self.shift_date}"

    @property
    def access_unit(self):
        return self.vehicle.station


class CheckAnswer(models.Model):
    vehicle_check = models.ForeignKey(VehicleCheck, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vehicle_check", "item"], name="fleet_one_answer_per_item"),
            models.CheckConstraint(condition=Q(ok=True) | ~Q(note=""), name="fleet_a_no_has_a_note"),
        ]

    def __str__(self) -> str:
        return f"{self.item.text}: {'yes' if self.ok else 'no'}"


@tag_colours({"open": "orange", "cleared": "green"})
class DefectStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLEARED = "cleared", "Cleared"


class DefectQuerySet(models.QuerySet):
    def open(self) -> DefectQuerySet:
        return self.filter(status=DefectStatus.OPEN)


class Defect(BaseModel):
    """Something wrong with a vehicle, found at its daily check: work for the fleet team. One marked unsafe
    keeps the vehicle off road until it is cleared."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="defects")
    vehicle_check = models.ForeignKey(
        VehicleCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="defects"
    )
    item = models.CharField(max_length=200)
    note = models.TextField()
    unsafe = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=DefectStatus.choices, default=DefectStatus.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_on = models.DateField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    how_cleared = models.TextField(blank=True)

    objects = DefectQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["vehicle", "status"])]

    def __str__(self) -> str:
        return f"{self.vehicle.call_sign}: {self.item}"

    @property
    def access_unit(self):
        return self.vehicle.station

    @property
    def status_choice(self) -> DefectStatus:
        return DefectStatus(self.status)


# Field safety notices and recalls


class SafetyNotice(BaseModel):
    """A manufacturer's field safety notice or recall, recorded by the trust's fleet lead. It applies to
    every asset of the trust of its make and model, those on the register now and those added later, and
    each is tracked until it is actioned (see `AffectedAsset`)."""

    trust = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=50, help_text="The manufacturer's or MHRA's reference")
    title = models.CharField(max_length=200)
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    action_required = models.TextField()
    issued_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-issued_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "reference"], name="fleet_one_notice_per_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def access_unit(self):
        return self.trust


class AffectedAssetQuerySet(models.QuerySet):
    def outstanding(self) -> AffectedAssetQuerySet:
        return self.filter(actioned_on__isnull=True)

    def actioned(self) -> AffectedAssetQuerySet:
        return self.filter(actioned_on__isnull=False)


class AffectedAsset(BaseModel):
    """One asset a safety notice applies to: outstanding until someone records that it was actioned."""

    notice = models.ForeignKey(SafetyNotice, on_delete=models.PROTECT, related_name="affected")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="notices")
    actioned_on = models.DateField(null=True, blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    objects = AffectedAssetQuerySet.as_manager()

    class Meta:
        ordering = ["asset__asset_tag"]
        indexes = [models.Index(fields=["asset", "actioned_on"])]
        constraints = [
            models.UniqueConstraint(fields=["notice", "asset"], name="fleet_a_notice_applies_once"),
            models.CheckConstraint(
                condition=Q(actioned_on__isnull=True, actioned_by__isnull=True)
                | Q(actioned_on__isnull=False, actioned_by__isnull=False),
                name="fleet_an_action_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.reference} on {self.asset.asset_tag}"

    @property
    def access_unit(self):
        return self.asset.station

    @property
    def is_actioned(self) -> bool:
        return self.actioned_on is not None


# Cleanliness


class CleanType(models.TextChoices):
    BETWEEN_PATIENTS = "between_patients", "Between patients"
    INTERIM = "interim", "Interim clean"
    DEEP = "deep", "Deep clean"
    DECONTAMINATION = "decontamination", "Decontamination after an infectious patient"


# The clean types that fall due, and those a clean of each type counts as done (a decontamination or a
# deep clean resets the interim clock; only a deep clean resets the deep clean's).
DUE_TYPES = (CleanType.INTERIM, CleanType.DEEP)
RESETS = {
    CleanType.BETWEEN_PATIENTS: (),
    CleanType.INTERIM: (CleanType.INTERIM,),
    CleanType.DECONTAMINATION: (CleanType.INTERIM,),
    CleanType.DEEP: (CleanType.INTERIM, CleanType.DEEP),
}


class VehicleClean(BaseModel):
    """A clean of a vehicle, as the crew or the fleet team recorded it."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="cleans")
    clean_type = models.CharField(max_length=20, choices=CleanType.choices)
    done_at = models.DateTimeField()
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-done_at"]
        indexes = [models.Index(fields=["vehicle", "-done_at"])]

    def __str__(self) -> str:
        return f"{self.get_clean_type_display()} of {self.vehicle.call_sign}"

    @property
    def access_unit(self):
        return self.vehicle.station


class CleanDueQuerySet(models.QuerySet):
    def overdue(self, now: dt.datetime) -> CleanDueQuerySet:
        return self.filter(next_due_at__lt=now)

    def deep_overdue(self, today: dt.date) -> CleanDueQuerySet:
        """Deep cleans due before today began (due today is not yet overdue): an index lookup."""
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        return self.filter(clean_type=CleanType.DEEP, next_due_at__lt=start)


class CleanDue(BaseModel):
    """When a vehicle's interim or deep clean is next due, moved on by the services as cleans are recorded
    (as a maintenance schedule keeps its date, ADR 0032), so "overdue" never reads the history of cleans.
    Every vehicle has its deep clean row from the moment it is registered, due then: a vehicle never deep
    cleaned is overdue from the next day."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="cleans_due")
    clean_type = models.CharField(max_length=20, choices=CleanType.choices)
    # Empty for a deep clean never recorded: it fell due when the vehicle was put on the register.
    last_done_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField()

    objects = CleanDueQuerySet.as_manager()

    class Meta:
        ordering = ["clean_type"]
        indexes = [models.Index(fields=["clean_type", "next_due_at"])]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "clean_type"], name="fleet_one_clean_due_per_type"),
            models.CheckConstraint(
                condition=Q(clean_type__in=["interim", "deep"]), name="fleet_only_timed_cleans_fall_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_clean_type_display()} of {self.vehicle.call_sign} due {self.next_due_at}"


class FunctionalRisk(models.TextChoices):
    FR1 = "FR1", "FR1"
    FR2 = "FR2", "FR2"
    FR3 = "FR3", "FR3"
    FR4 = "FR4", "FR4"
    FR5 = "FR5", "FR5"
    FR6 = "FR6", "FR6"


class CleanlinessAudit(BaseModel):
    """A cleanliness audit of a vehicle or of a station, in the style of the National Standards of
    Healthcare Cleanliness 2025: elements passed or failed, a score (% passed) against the functional risk
    category's target, and a star rating. Stored only when submitted, so every failed element has an
    action with an owner."""

    station = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="cleanliness_audits"
    )
    functional_risk = models.CharField(max_length=3, choices=FunctionalRisk.choices)
    audited_on = models.DateField()
    audited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score_percent = models.DecimalField(max_digits=5, decimal_places=1)
    target_percent = models.PositiveSmallIntegerField()
    stars = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-audited_on", "-created_at"]
        indexes = [models.Index(fields=["station", "-audited_on"])]

    def __str__(self) -> str:
        where = self.vehicle.call_sign if self.vehicle_id else self.station.name
        return f"Cleanliness audit of {where} on {self.audited_on}"

    @property
    def access_unit(self):
        return self.station

    @property
    def meets_target(self) -> bool:
        return self.score_percent >= self.target_percent


class AuditElement(models.Model):
    audit = models.ForeignKey(CleanlinessAudit, on_delete=models.CASCADE, related_name="elements")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    passed = models.BooleanField()
    action = models.TextField(blank=True)
    action_owner = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=True) | (~Q(action="") & ~Q(action_owner="")),
                name="fleet_a_failed_element_has_an_owned_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {'pass' if self.passed else 'fail'}"


class SwabResult(models.Model):
    """An ATP swab of a surface: its reading in relative light units, passed when at or under the limit."""

    audit = models.ForeignKey(CleanlinessAudit, on_delete=models.CASCADE, related_name="swabs")
    surface = models.CharField(max_length=200)
    value_rlu = models.PositiveIntegerField()
    passed = models.BooleanField()

    class Meta:
        ordering = ["surface"]

    def __str__(self) -> str:
        return f"{self.surface}: {self.value_rlu} RLU"


# Bariatric provision


class PartnerProvider(BaseModel):
    """A named provider the trust may call on for a bariatric patient, and what it can send."""

    trust = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField(help_text="Bariatric vehicles or crews it can send at once")
    safe_working_load_kg = models.PositiveIntegerField(null=True, blank=True)
    contact = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "name"], name="fleet_one_partner_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def access_unit(self):
        return self.trust


@tag_colours({"conveyed": "green", "treated_at_scene": "green", "no_resource": "red", "cancelled": "grey"})
class BariatricOutcome(models.TextChoices):
    CONVEYED = "conveyed", "Conveyed"
    TREATED_AT_SCENE = "treated_at_scene", "Treated at scene"
    NO_RESOURCE = "no_resource", "No suitable resource arrived"
    CANCELLED = "cancelled", "Cancelled: no longer needed"


def waited_beyond(now: dt.datetime, limit: dt.timedelta) -> Q:
    """A bariatric request that waited longer than the limit: on scene after it, or nobody there yet (or
    ever) once it has passed, unless the request was cancelled."""
    return Q(wait_seconds__gt=int(limit.total_seconds())) | (
        Q(on_scene_at__isnull=True, requested_at__lt=now - limit) & ~Q(outcome=BariatricOutcome.CANCELLED)
    )


class BariatricRequestQuerySet(models.QuerySet):
    def for_scope(self, scope) -> BariatricRequestQuerySet:
        return self.filter(station_id__in=scope.station_ids)

    def beyond(self, now: dt.datetime, limit: dt.timedelta) -> BariatricRequestQuerySet:
        return self.filter(waited_beyond(now, limit))


class BariatricRequest(BaseModel):
    """A request for a bariatric resource at an incident: when it was asked for, when a suitable resource
    (one of the trust's vehicles or a partner's) was assigned and on scene, and the outcome. The wait is
    from the request to on scene, kept by the service. A wait beyond the trust's limit is reviewed."""

    trust = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    incident_reference = models.CharField(max_length=40, help_text="the CAD's incident number")
    requested_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    on_scene_at = models.DateTimeField(null=True, blank=True)
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="bariatric_requests"
    )
    partner = models.ForeignKey(
        PartnerProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    outcome = models.CharField(max_length=20, choices=BariatricOutcome.choices, blank=True)
    note = models.TextField(blank=True)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    objects = BariatricRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["station", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "incident_reference"], name="fleet_one_bariatric_request_per_incident"
            ),
            models.CheckConstraint(
                condition=Q(vehicle__isnull=True) | Q(partner__isnull=True),
                name="fleet_a_bariatric_resource_is_ours_or_a_partners",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="fleet_a_review_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Bariatric request for incident {self.incident_reference}"

    @property
    def access_unit(self):
        return self.station

    @property
    def resource(self) -> str:
        if self.vehicle_id:
            return self.vehicle.call_sign
        if self.partner_id:
            return self.partner.name
        return ""

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
