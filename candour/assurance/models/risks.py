"""The risk register: 5 by 5 likelihood times consequence, scored inherent, current and target."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from candour.core.base import BaseModel

_ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
SCORED = ("inherent", "current", "target")


def _one_to_five(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"risk_{name}_is_1_to_5"
    )


class Risk(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Cause, event and effect.")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inherent_likelihood = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    inherent_consequence = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    current_likelihood = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    current_consequence = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    target_likelihood = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    target_consequence = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    controls = models.TextField()
    opened_on = models.DateField()
    review_due_on = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    linked_actions = models.ManyToManyField("assurance.Action", blank=True, related_name="risks")

    class Meta:
        ordering = ["reference"]
        constraints = [
            _one_to_five(f"{stage}_{axis}") for stage in SCORED for axis in ("likelihood", "consequence")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def access_unit(self):
        return self.unit

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_consequence

    @property
    def current_score(self) -> int:
        return self.current_likelihood * self.current_consequence

    @property
    def target_score(self) -> int:
        return self.target_likelihood * self.target_consequence


class RiskReview(BaseModel):
    """The owner's review of a risk: the current scores it found, when it is next due, and what they noted.

    The risk keeps its latest scores; reviews keep their history, so the register shows how a risk moved."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    current_likelihood = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    current_consequence = models.PositiveSmallIntegerField(validators=_ONE_TO_FIVE)
    next_review_on = models.DateField()
    note = models.TextField()

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_likelihood__gte=1, current_likelihood__lte=5),
                name="review_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(current_consequence__gte=1, current_consequence__lte=5),
                name="review_consequence_1_to_5",
            ),
        ]

    @property
    def current_score(self) -> int:
        return self.current_likelihood * self.current_consequence
