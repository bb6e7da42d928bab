"""Assurance forms: the CQC framework. Validation only; the services decide and write.

Choices come from reference data and the measures registry, so a tampered value (a score of 5, a measure
key that is not registered) gets a message that says what went wrong, and nothing is written.
"""

from __future__ import annotations

from django import forms

from candour.assurance.models import KeyQuestion, Rating, Score, SelfAssessment
from candour.assurance.queries.framework import TRUST_SLUG
from candour.assurance.services.framework import DocumentEvidence
from candour.core.forms import DateField, bounded_text
from candour.core.measures import Direction, all_measures
from candour.people.models import CoreService

MEASURE_ROWS = 3
DOCUMENT_ROWS = 3
SCORE_ERROR = "Choose a score from 1 (significant shortfalls) to 4 (exceptional)"
UNKNOWN_MEASURE = "No measure is registered with the key %(value)r: choose one from the list"
DIRECTION_WORDS = {
    Direction.HIGHER_IS_BETTER: "higher is better",
    Direction.LOWER_IS_BETTER: "lower is better",
    Direction.NEITHER: "neither higher nor lower is better",
}


def measure_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [
        (m.key, f"{m.title} ({m.unit}, {DIRECTION_WORDS[Direction(m.direction)]})") for m in all_measures()
    ]


def measure_field(
    label: str, *, required: bool, blank: str | None = None, help_text: str = ""
) -> forms.Field:
    """A choice of registered measure. The registry is read each time the choices are, never at import: a
    measure defined by data (a survey question) lives in the database and may appear at any time."""
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=lambda: measure_choices(blank=blank),
        help_text=help_text,
        error_messages={"required": "Choose a measure", "invalid_choice": UNKNOWN_MEASURE},
    )


def where_choices() -> list[tuple[str, str]]:
    return [(service.slug, service.name) for service in CoreService.objects.all()] + [
        (TRUST_SLUG, "The trust")
    ]


def where_field(label: str = "Core service, or the trust") -> forms.Field:
    return forms.ChoiceField(
        label=label,
        choices=where_choices(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a core service, or the trust",
            "invalid_choice": "Choose from the list",
        },
    )


def core_service_of(slug: str) -> CoreService | None:
    return None if slug == TRUST_SLUG else CoreService.objects.get(slug=slug)


class SelfAssessmentForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Score",
        coerce=int,
        choices=[(str(value), label) for value, label in Score.choices],
        widget=forms.RadioSelect,
        help_text="As CQC scores a quality statement: 3 is good; 4 is exceptional.",
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )
    narrative = bounded_text(
        label="Narrative",
        help_text="What the score rests on: what you have seen, what the measures say, what people told you.",
        rows=8,
    )

    def __init__(self, data=None, *, current: SelfAssessment | None = None, links=()):
        """Unbound, it is prefilled from the assessment in force (`current`, with its evidence links)."""
        measures = [link.measure_key for link in links if link.measure_key]
        documents = [link for link in links if not link.measure_key]
        initial = {}
        if current is not None:
            initial = {"score": str(current.score), "narrative": current.narrative}
            initial |= {f"measure_{n}": key for n, key in enumerate(measures, start=1)}
            for n, link in enumerate(documents, start=1):
                initial[f"document_{n}_title"] = link.document_title
                initial[f"document_{n}_location"] = link.document_location
        super().__init__(data, initial=initial)
        self.measure_rows = max(MEASURE_ROWS, len(measures) + 1)
        self.document_rows = max(DOCUMENT_ROWS, len(documents) + 1)
        for n in range(1, self.measure_rows + 1):
            self.fields[f"measure_{n}"] = measure_field(f"Measure {n}", required=False, blank="No measure")
        for n in range(1, self.document_rows + 1):
            self.fields[f"document_{n}_title"] = forms.CharField(
                label=f"Document {n} title",
                required=False,
                max_length=200,
                error_messages={"max_length": "The title must be 200 characters or fewer"},
            )
            self.fields[f"document_{n}_location"] = forms.CharField(
                label=f"Document {n} link or reference",
                required=False,
                max_length=500,
                error_messages={"max_length": "The link or reference must be 500 characters or fewer"},
            )

    @property
    def measure_fields(self):
        return [self[f"measure_{n}"] for n in range(1, self.measure_rows + 1)]

    @property
    def document_fields(self):
        return [
            (n, self[f"document_{n}_title"], self[f"document_{n}_location"])
            for n in range(1, self.document_rows + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, self.document_rows + 1):
            if (
                data.get(f"document_{n}_location", "").strip()
                and not data.get(f"document_{n}_title", "").strip()
            ):
                self.add_error(f"document_{n}_title", f"Enter a title for document {n}, or remove its link")
        return data

    def assessment(self) -> dict:
        """The cleaned form as the service's keyword arguments."""
        data = self.cleaned_data
        return {
            "score": data["score"],
            "narrative": data["narrative"],
            "measure_keys": [
                data[f"measure_{n}"] for n in range(1, self.measure_rows + 1) if data.get(f"measure_{n}")
            ],
            "documents": [
                DocumentEvidence(data[f"document_{n}_title"], data[f"document_{n}_location"])
                for n in range(1, self.document_rows + 1)
                if data.get(f"document_{n}_title", "").strip()
            ],
        }


class ThresholdField(forms.FloatField):
    def __init__(self, score: int, **kwargs):
        label = f"Value at which the score reaches {Score(score).label}"
        super().__init__(
            label=label,
            error_messages={
                "required": f"Enter the value for a score of {score}",
                "invalid": f"Enter the value for a score of {score} as a number, for example 85",
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
            **kwargs,
        )


class BindMeasureForm(forms.Form):
    measure_key = measure_field(
        "Measure",
        required=True,
        blank="Choose a measure",
        help_text="The trust's value each month becomes a score of 1 to 4 by the thresholds below.",
    )
    score_2_from = ThresholdField(2)
    score_3_from = ThresholdField(3)
    score_4_from = ThresholdField(4)

    def binding(self) -> dict:
        return dict(self.cleaned_data)


OVERALL = "overall"
LIFT = "lift"


class OverrideForm(forms.Form):
    where = forms.ChoiceField(label="Core service, or the trust")
    key_question = forms.ChoiceField(
        label="Rating to override",
        choices=[*KeyQuestion.choices, (OVERALL, "Overall")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a key question, or overall",
            "invalid_choice": "Choose a key question, or overall",
        },
    )
    rating = forms.ChoiceField(
        label="Rating",
        choices=[*Rating.choices, (LIFT, "Lift the override: the rules' rating stands")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a rating, or lift the override",
            "invalid_choice": "Choose a rating, or lift the override",
        },
    )
    reason = bounded_text(
        label="Reason", help_text="Why the rating departs from the rules, or why it no longer does."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"] = where_field()
        self.order_fields(["where", "key_question", "rating", "reason"])

    def override(self) -> dict:
        data = self.cleaned_data
        return {
            "core_service": core_service_of(data["where"]),
            "key_question": "" if data["key_question"] == OVERALL else data["key_question"],
            "rating": "" if data["rating"] == LIFT else data["rating"],
            "reason": data["reason"],
        }


class BreachForm(forms.Form):
    where = forms.ChoiceField(label="Core service, or the trust")
    key_question = forms.ChoiceField(
        label="Key question",
        choices=KeyQuestion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the key question", "invalid_choice": "Choose the key question"},
    )
    regulation = forms.CharField(
        label="Regulation",
        max_length=200,
        help_text="For example, Regulation 13: safeguarding service users from abuse and improper treatment.",
        error_messages={"required": "Enter the regulation", "max_length": "Enter 200 characters or fewer"},
    )
    description = bounded_text(label="What was found")
    found_on = DateField(label="Date found", help_text="For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"] = where_field()
        self.order_fields(["where", "key_question", "regulation", "description", "found_on"])
        self.fields["found_on"].error_messages["required"] = "Enter the date found"

    def breach(self) -> dict:
        data = dict(self.cleaned_data)
        data["core_service"] = core_service_of(data.pop("where"))
        return data


class ResolveBreachForm(forms.Form):
    resolved_on = DateField(label="Date resolved", help_text="For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].error_messages["required"] = "Enter the date resolved"


class InspectionRatingsForm(forms.Form):
    published_on = DateField(label="Date published", help_text="For example, 27 3 2026")
    where = forms.ChoiceField(label="Rated")
    report_reference = forms.CharField(
        label="Report reference",
        required=False,
        max_length=200,
        help_text="CQC's reference or the report's link.",
        error_messages={"max_length": "Enter 200 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"] = where_field("Rated")
        self.fields["published_on"].error_messages["required"] = "Enter the date published"
        for key_question, label in [*KeyQuestion.choices, (OVERALL, "Overall")]:
            self.fields[f"rating_{key_question}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "Not rated in this report"), *Rating.choices],
                error_messages={"invalid_choice": f"Choose the {label.lower()} rating from the list"},
            )

    @property
    def rating_fields(self):
        return [self[f"rating_{kq}"] for kq in [*KeyQuestion.values, OVERALL]]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.chosen_ratings():
            self.add_error("rating_safe", "Choose at least one rating")
        return data

    def chosen_ratings(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            ("" if kq == OVERALL else kq): data[f"rating_{kq}"]
            for kq in [*KeyQuestion.values, OVERALL]
            if data.get(f"rating_{kq}")
        }

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {
            "published_on": data["published_on"],
            "core_service": core_service_of(data["where"]),
            "ratings": self.chosen_ratings(),
            "report_reference": data["report_reference"],
        }
