"""Staff voice: pulse surveys and "you said, we did".

Answers are anonymous in the data (ADR 0011). A response holds only its pulse, the respondent's area and the
month; its key is random, and it has no timestamps. Who has answered is kept apart, as a one-way token per
(pulse, person) in `ResponseToken`, which has no link to any response. Free text is encrypted at rest.
"""

import uuid

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel
from candour.core.encryption import EncryptedTextField


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    AGREEMENT = "agreement", "5-point agreement"
    FREE_TEXT = "free_text", "Free text (optional to answer)"


class Agreement(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DISAGREE = 2, "Disagree"
    NEITHER = 3, "Neither agree nor disagree"
    AGREE = 4, "Agree"
    STRONGLY_AGREE = 5, "Strongly agree"


class YesNo(models.IntegerChoices):
    NO = 0, "No"
    YES = 1, "Yes"


class Pulse(BaseModel):
    """A short survey for an audience chosen by role and area, open between two dates (inclusive)."""

    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    template = models.CharField(max_length=50, blank=True, help_text="The template it was started from.")
    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.PROTECT, related_name="+", help_text="Whose pulse it is."
    )
    audience_roles = models.JSONField(default=list, help_text="Role values; empty means every role.")
    audience_areas = models.ManyToManyField(
        "people.OrgUnit", blank=True, related_name="+", help_text="Empty means every area under the unit."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def access_unit(self):
        return self.unit


class Question(BaseModel):
    """One question. Yes/no and agreement questions publish a measure under `measure_key` (the share answering
    yes, or agree and strongly agree); questions in different pulses with the same key form one series."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    measure_key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["pulse", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "position"], name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One person's answers to one pulse, with no link to them: a random key, their area, the month."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey("people.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month it was given; never the day or time.")

    class Meta:
        indexes = [models.Index(fields=["pulse", "area", "month"])]

    def __str__(self) -> str:
        return f"A response to pulse {self.pulse_id} in {self.month:%B %Y}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    text = EncryptedTextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"An answer to question {self.question_id}"


class ResponseToken(models.Model):
    """Proof that someone has answered a pulse: a keyed one-way hash of (pulse, person). It stops a second
    answer; it holds no link to the response, and without the server's key it names no one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Someone has answered pulse {self.pulse_id}"


class YouSaidWeDid(BaseModel):
    """What changed because staff spoke, published to the staff it concerns."""

    pulse = models.ForeignKey(Pulse, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    unit = models.ForeignKey(
        "people.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who sees it: this unit and below.",
    )
    you_said = models.TextField()
    we_did = models.TextField()
    published_on = models.DateField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_on", "-created_at"]

    @property
    def access_unit(self):
        return self.unit
