"""Reports generated in the background: the board assurance report, a CQC evidence pack per key question and
an Ofsted readiness pack per theme. Files are written whole, then named here; a run offers no file until it
is ready."""

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel


class ReportKind(models.TextChoices):
    BOARD = "board", "Board assurance report"
    CQC_EVIDENCE = "cqc_evidence", "CQC inspection evidence pack"
    OFSTED_READINESS = "ofsted_readiness", "Ofsted monitoring-visit readiness pack"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Generating"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportRun(BaseModel):
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    key_question = models.CharField(max_length=20, blank=True)
    monitoring_theme = models.ForeignKey(
        "assurance.MonitoringTheme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    html_file = models.CharField(max_length=300, blank=True, help_text="Path under MEDIA_ROOT, once ready.")
    pdf_file = models.CharField(max_length=300, blank=True, help_text="Path under MEDIA_ROOT, once ready.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def access_unit(self):
        return self.unit
