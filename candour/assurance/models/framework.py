"""The CQC single assessment framework (STANDARDS.md §2): quality statements, managers' self-assessment,
evidence bound from measures, rating overrides, breaches and the ratings CQC actually published."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from candour.core.base import BaseModel


class KeyQuestion(models.TextChoices):
    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"


class Rating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class Score(models.IntegerChoices):
    SIGNIFICANT_SHORTFALLS = 1, "1: significant shortfalls"
    SOME_SHORTFALLS = 2, "2: some shortfalls"
    GOOD = 3, "3: good"
    EXCEPTIONAL = 4, "4: exceptional"


class QualityStatement(BaseModel):
    """One of the 34 quality statements; reference data loaded by a data migration."""

    code = models.SlugField(max_length=80, unique=True)
    key_question = models.CharField(max_length=20, choices=KeyQuestion.choices)
    title = models.CharField(max_length=200)
    display_order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["display_order"]

    def __str__(self) -> str:
        return self.title


class SelfAssessmentQuerySet(models.QuerySet):
    def in_force_on(self, day) -> "SelfAssessmentQuerySet":
        """The latest assessment of each (statement, core service) made on or before the day."""
        # A blank core service (the trust's own assessment) never equals another in SQL, so the two sides
        # are compared with blanks as 0, which no primary key is.
        newer = (
            self.model.objects.annotate(service_or_trust=Coalesce("core_service", 0))
            .filter(
                quality_statement=models.OuterRef("quality_statement"),
                service_or_trust=Coalesce(models.OuterRef("core_service"), 0),
                assessed_on__lte=day,
            )
            .order_by("-assessed_on", "-created_at")
        )
        return self.filter(assessed_on__lte=day, pk=models.Subquery(newer.values("pk")[:1]))


class SelfAssessment(BaseModel):
    """A responsible manager's score for one quality statement in one core service, as of one day.

    History is kept: a new judgement is a new row, and the latest on or before a day is the one in force.
    A blank core service is the trust's own assessment (trust well-led comes from it, STANDARDS.md §2).
    """

    quality_statement = models.ForeignKey(
        QualityStatement, on_delete=models.PROTECT, related_name="assessments"
    )
    core_service = models.ForeignKey(
        "people.CoreService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    narrative = models.TextField()
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="score_is_1_to_4")
        ]
        indexes = [models.Index(fields=["quality_statement", "core_service", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.quality_statement} ({self.core_service or 'trust'}): {self.score}"


class EvidenceLink(BaseModel):
    """Evidence a self-assessment cites: a registered measure, or a document (title and where to find it)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence")
    measure_key = models.CharField(max_length=120, blank=True)
    document_title = models.CharField(max_length=200, blank=True)
    document_location = models.CharField(max_length=500, blank=True, help_text="A link or a file reference.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(measure_key="") | ~Q(document_title=""),
                name="evidence_names_measure_or_document",
            )
        ]

    def __str__(self) -> str:
        return self.measure_key or self.document_title


class MeasureBinding(BaseModel):
    """Binds a registered measure to a quality statement. Its value becomes a 1 to 4 evidence score by the
    thresholds the quality lead sets: the value at which the score reaches 2, 3 and 4, read in the measure's
    improvement direction (for a lower-is-better measure the thresholds fall)."""

    quality_statement = models.ForeignKey(QualityStatement, on_delete=models.CASCADE, related_name="bindings")
    measure_key = models.CharField(max_length=120)
    score_2_from = models.FloatField()
    score_3_from = models.FloatField()
    score_4_from = models.FloatField()
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["quality_statement", "measure_key"], name="one_binding_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_key} → {self.quality_statement}"


class RatingOverride(BaseModel):
    """A departure from the aggregation's default rating, always with its reason (STANDARDS.md §2).

    A blank core service is trust level; a blank key question is the overall rating. The latest override for a
    slot is in force; one with a blank rating lifts the override and returns the slot to the default.
    """

    core_service = models.ForeignKey(
        "people.CoreService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key_question = models.CharField(max_length=20, choices=KeyQuestion.choices, blank=True)
    rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    reason = models.TextField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason")]


class RegulatoryBreach(BaseModel):
    """A breach of regulation found in a core service's key question; while open it caps that rating at RI."""

    core_service = models.ForeignKey(
        "people.CoreService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key_question = models.CharField(max_length=20, choices=KeyQuestion.choices)
    regulation = models.CharField(max_length=200, help_text="For example, Regulation 13: safeguarding.")
    description = models.TextField()
    found_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-found_on"]


class InspectionRating(BaseModel):
    """A rating CQC published. History is kept, so ratings can be compared over time.

    A blank core service is the trust; a blank key question is the overall rating.
    """

    published_on = models.DateField()
    core_service = models.ForeignKey(
        "people.CoreService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key_question = models.CharField(max_length=20, choices=KeyQuestion.choices, blank=True)
    rating = models.CharField(max_length=30, choices=Rating.choices)
    report_reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_on"]
