"""Ofsted monitoring visits for the trust as an apprenticeship provider (STANDARDS.md §3): themes, the
judgements a visit gave, our own self-judgements, and the measures that evidence each theme."""

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel


class Progress(models.TextChoices):
    INSUFFICIENT = "insufficient", "Insufficient progress"
    REASONABLE = "reasonable", "Reasonable progress"
    SIGNIFICANT = "significant", "Significant progress"


class MonitoringTheme(BaseModel):
    """A monitoring-visit theme; reference data loaded by a data migration, editable by trusts."""

    code = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    display_order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["display_order"]

    def __str__(self) -> str:
        return self.title


class MonitoringVisit(BaseModel):
    visited_on = models.DateField()
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"Monitoring visit {self.visited_on:%-d %B %Y}"


class ThemeJudgement(BaseModel):
    """A judgement of progress on one theme: Ofsted's at a visit, or ours (no visit) between visits."""

    theme = models.ForeignKey(MonitoringTheme, on_delete=models.PROTECT, related_name="judgements")
    visit = models.ForeignKey(
        MonitoringVisit, null=True, blank=True, on_delete=models.CASCADE, related_name="judgements"
    )
    progress = models.CharField(max_length=20, choices=Progress.choices)
    narrative = models.TextField(blank=True)
    judged_on = models.DateField()
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-judged_on", "-created_at"]

    @property
    def is_self_judgement(self) -> bool:
        return self.visit_id is None


class ThemeMeasure(BaseModel):
    """A registered measure that evidences a monitoring theme in its readiness pack."""

    theme = models.ForeignKey(MonitoringTheme, on_delete=models.CASCADE, related_name="measures")
    measure_key = models.CharField(max_length=120)

    class Meta:
        ordering = ["measure_key"]
        constraints = [models.UniqueConstraint(fields=["theme", "measure_key"], name="one_theme_measure")]
