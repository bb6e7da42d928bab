"""Action plans. A plan answers a finding; each action is SMART and its status is computed, never typed
(see `assurance.status`)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from candour.core.base import BaseModel


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", "An inspection finding"
    MONITORING_VISIT = "monitoring_visit", "A monitoring-visit theme"
    CANDOUR_GAP = "candour_gap", "A candour-gap flag"
    RISK = "risk", "A risk"


class ActionPlan(BaseModel):
    title = models.CharField(max_length=200)
    finding = models.TextField(help_text="What was found, in the words of the source.")
    source = models.CharField(max_length=30, choices=FindingSource.choices)
    quality_statement = models.ForeignKey(
        "assurance.QualityStatement", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    core_service = models.ForeignKey(
        "people.CoreService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    monitoring_theme = models.ForeignKey(
        "assurance.MonitoringTheme", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    risk = models.ForeignKey(
        "assurance.Risk", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def access_unit(self):
        return self.unit


class Action(BaseModel):
    """A SMART action: specific title, an owner, a start and due date, milestones and evidence, and a success
    measure (a registered measure key) with a target read in that measure's improvement direction.

    `baseline` is the measure's value when the action was set; with the target it defines the trajectory.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    due_on = models.DateField()
    measure_key = models.CharField(max_length=120)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_override_reason = models.TextField(
        blank=True, help_text="Why it was closed without its evidence or without the measure at target."
    )

    class Meta:
        ordering = ["due_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("starts_on")), name="due_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def access_unit(self):
        return self.plan.unit


class Milestone(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "title"]

    def __str__(self) -> str:
        return self.title


class ActionEvidence(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    description = models.TextField()
    location = models.CharField(max_length=500, blank=True, help_text="A link or a file reference.")
    added_on = models.DateField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-added_on", "-created_at"]


class ActionEscalation(BaseModel):
    """An overdue action escalated to its owner's manager; once per due date, so a new date escalates anew."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalations")
    due_on = models.DateField()
    escalated_on = models.DateField()
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "due_on"], name="escalate_once_per_due_date")
        ]
