"""Training, briefings and apprenticeships.

Compliance is stored as dates, not statuses: each person and required subject keeps the day its
compliance runs out (`ComplianceItem.expires_on`), recomputed when records or roles change. Today's
status — compliant, due soon, expired, never completed — is then a date comparison the database does,
so the trust-wide matrix is one grouped query and nothing needs recomputing at midnight.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from candour.core.base import BaseModel
from candour.core.encryption import EncryptedTextField
from candour.core.tags import tag_colours
from candour.people.models import JobRole, OrgUnit, Person

# Training requirements and records


class SubjectGroup(models.TextChoices):
    CORE_SKILLS = "core_skills", "Core Skills Training Framework"
    SAFEGUARDING_CHILDREN = "safeguarding_children", "Safeguarding children"
    SAFEGUARDING_ADULTS = "safeguarding_adults", "Safeguarding adults"
    PREVENT = "prevent", "Prevent"


class Subject(BaseModel):
    """A training subject at a level, with its refresher period (reference data, editable per trust)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=32, choices=SubjectGroup.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    refresher_months = models.PositiveSmallIntegerField(help_text="How long a completion counts")
    required_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Hours needed within the refresher period",
    )
    display_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """A job role must hold a subject."""

    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="training_requirements")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="requirements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job_role", "subject"], name="requirement_once")]

    def __str__(self) -> str:
        return f"{self.job_role} needs {self.subject}"


class TrainingRecord(BaseModel):
    """One completion of a subject, entered by hand or imported from the learning system."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        IMPORT = "import", "Imported"
        TRANSFER = "transfer", "From a previous provider"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_records")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    provider = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "subject", "completed_on"], name="training_record_once")
        ]
        indexes = [models.Index(fields=["subject", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person} completed {self.subject} on {self.completed_on}"


class ComplianceItem(models.Model):
    """Whether a person holds a subject, kept as dates so today's status needs no recomputation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="compliance_items")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    # Copied from the person so the matrix groups without joins; kept in step by the services.
    station = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="+")
    last_completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, help_text="First day no longer compliant")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "subject"], name="compliance_item_once")]
        indexes = [
            models.Index(fields=["station", "subject", "expires_on"]),
            models.Index(fields=["subject", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.subject}"


class ReminderLog(models.Model):
    """What we last told someone, so nobody gets more than one digest a week."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Weekly digest of training due"
        MANAGER_EXPIRED = "manager_expired", "Line manager told of expiry"
        BRIEFING_CHASER = "briefing_chaser", "Briefing chaser"
        TRAINING_CHASER = "training_chaser", "Training reminder from the compliance pages"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    sent_on = models.DateField()
    about = models.CharField(max_length=80, blank=True, help_text="What it was about, e.g. a subject code")

    class Meta:
        indexes = [models.Index(fields=["person", "kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.person} on {self.sent_on}"


# Briefings


class Briefing(BaseModel):
    """Safeguarding knowledge that staff must read and acknowledge by a date."""

    title = models.CharField(max_length=160)
    body = models.TextField()
    audience_roles = models.ManyToManyField(
        JobRole, blank=True, related_name="+", help_text="Empty: every role"
    )
    audience_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", help_text="Empty: whole trust"
    )
    acknowledge_by = models.DateField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class BriefingAudience(models.Model):
    """Who a briefing went to: everyone in its audience when it was published, and anyone who joined the
    audience since (a starter, a move of station), each with the same time to acknowledge it."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="audience")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="briefings")
    # Where they worked when it reached them: past figures stay put when people move.
    station = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    joined_on = models.DateField(help_text="The day it reached them: publication, or when they joined")
    due_on = models.DateField(help_text="Their acknowledge-by date")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    last_chased_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["briefing", "person"], name="briefing_audience_once")]
        indexes = [models.Index(fields=["person", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.briefing} → {self.person}"


# Apprenticeships


class LearningProvider(BaseModel):
    name = models.CharField(max_length=160, unique=True)
    ukprn = models.CharField("UK provider reference number", max_length=8, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Apprenticeship(BaseModel):
    class Level(models.IntegerChoices):
        THREE = 3, "Level 3"
        FOUR = 4, "Level 4"

    @tag_colours(
        {
            "in_learning": "green",
            "break": "yellow",
            "withdrawn": "grey",
            "transferred": "blue",
            "completed": "white",
        }
    )
    class Status(models.TextChoices):
        IN_LEARNING = "in_learning", "In learning"
        BREAK = "break", "Break in learning"
        WITHDRAWN = "withdrawn", "Withdrawn"
        TRANSFERRED = "transferred", "Transferred"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="apprenticeships")
    standard = models.CharField(max_length=160, help_text="For example, Associate ambulance practitioner")
    standard_code = models.CharField(
        max_length=6, blank=True, help_text="The standard's reference, like ST0627"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    # What a receiving provider matches records on (see learning.learners); the date of birth is personal,
    # so it is kept encrypted, as ISO text.
    unique_learner_number = models.CharField("Unique learner number", max_length=10, blank=True)
    date_of_birth = EncryptedTextField(blank=True)
    start_date = models.DateField()
    planned_end_date = models.DateField()
    station = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )
    provider = models.ForeignKey(LearningProvider, on_delete=models.PROTECT, related_name="apprenticeships")
    contracted_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, default=37.5)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_LEARNING)
    status_changed_on = models.DateField(null=True, blank=True, help_text="When the current status began")
    transferred_on = models.DateField(null=True, blank=True)
    transferred_to = models.ForeignKey(
        LearningProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["planned_end_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__gt=models.F("start_date")),
                name="apprenticeship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred")
                | (Q(transferred_on__isnull=False) & Q(transferred_to__isnull=False)),
                name="transfer_has_date_and_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.standard} (level {self.level})"

    @property
    def access_unit(self) -> OrgUnit:
        return self.station

    @property
    def birth_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None

    @property
    def current_status(self) -> Apprenticeship.Status:
        """The status as its enum member, which carries its label and its tag's colour."""
        return self.Status(self.status)


class Placement(models.Model):
    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.CASCADE, related_name="placements")
    setting = models.CharField(max_length=160, help_text="For example, emergency department, or a station")
    station = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.setting


class OffTheJobEntry(models.Model):
    """Off-the-job training time, logged by the week it happened in."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.CASCADE, related_name="off_the_job")
    week_starting = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    activity = models.CharField(max_length=200)

    class Meta:
        ordering = ["week_starting", "id"]

    def __str__(self) -> str:
        return f"{self.hours} h, week of {self.week_starting}"


class ProgressReview(BaseModel):
    """A tripartite review: apprentice, employer (or mentor) and provider (or education lead) sign it off.
    It records progress against the standard's knowledge, skills and behaviours, the off-the-job training
    discussed against the hours planned and logged by then, and targets for the next review (whose outcomes
    that review records). Every review asks about welfare and safeguarding; a worrying answer raises a
    concern."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SURE = "not_sure", "Not sure"

    class Progress(models.TextChoices):
        AHEAD = "ahead", "Ahead of plan"
        ON_TRACK = "on_track", "On track"
        BEHIND = "behind", "Behind plan"

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    progress_summary = EncryptedTextField(blank=True)
    feels_safe = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    witnessed_uncomfortable = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    welfare_details = EncryptedTextField(blank=True)
    knows_how_to_raise = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    knows_safeguarding_contact = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    knowledge_progress = models.CharField(max_length=16, choices=Progress.choices, blank=True)
    knowledge_notes = EncryptedTextField(blank=True)
    skills_progress = models.CharField(max_length=16, choices=Progress.choices, blank=True)
    skills_notes = EncryptedTextField(blank=True)
    behaviours_progress = models.CharField(max_length=16, choices=Progress.choices, blank=True)
    behaviours_notes = EncryptedTextField(blank=True)
    off_the_job_discussion = EncryptedTextField(blank=True)
    # The hours as they stood on the day it was held, so the record says what was discussed.
    off_the_job_planned_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    off_the_job_logged_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    apprentice_signed_on = models.DateField(null=True, blank=True)
    employer_signed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_signed_on = models.DateField(null=True, blank=True)
    provider_signed_by = models.CharField(max_length=120, blank=True)
    provider_signed_on = models.DateField(null=True, blank=True)
    welfare_concern_raised = models.BooleanField(default=False)
    # The concern is speak-up's; we keep only its public id, never a foreign key into another app.
    welfare_concern_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["apprenticeship", "due_on"]

    def __str__(self) -> str:
        return f"Review of {self.apprenticeship.person} due {self.due_on}"

    @property
    def is_signed_off(self) -> bool:
        return bool(self.apprentice_signed_on and self.employer_signed_on and self.provider_signed_on)

    @property
    def access_unit(self) -> OrgUnit:
        return self.apprenticeship.station


class ReviewTarget(BaseModel):
    """A target agreed at a review, due by a date; the next review held says how it went."""

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_review = models.ForeignKey(
        ProgressReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="target_outcomes"
    )

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description


class SafeguardingShareDecision(models.Model):
    """An explicit, audited decision to share a safeguarding summary with a receiving provider."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    apprenticeship = models.ForeignKey(
        Apprenticeship, on_delete=models.PROTECT, related_name="share_decisions"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    lawful_basis = models.CharField(max_length=200)
    summary = EncryptedTextField()

    def __str__(self) -> str:
        return f"Share decision for {self.apprenticeship}"


@tag_colours({"waiting": "grey", "running": "blue", "done": "green", "failed": "red"})
class CohortPackStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Could not be made"


class CohortPack(BaseModel):
    """One zip of a cohort's transfer packs (each apprentice's PDF and bundle), made by the task worker.
    Kept encrypted, for the lead who asked only, until CANDOUR_COHORT_PACK_KEEP_DAYS have passed."""

    Status = CohortPackStatus

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(LearningProvider, on_delete=models.CASCADE, related_name="+")
    transferred_on = models.DateField()
    # Who is in it is fixed when it is asked for, so the zip and its audit trail name the same people.
    apprenticeships = models.ManyToManyField(Apprenticeship, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    made = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stored_path = models.CharField(max_length=300, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    failure = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Staff numbers of those whose pack holds a safeguarding summary, for the audit of each download.
    with_safeguarding = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Transfer packs for {self.provider} on {self.transferred_on}"

    @property
    def current_status(self) -> CohortPackStatus:
        return CohortPackStatus(self.status)
