"""Assurance forms: the risk register. Validation only; the service checks the same score rules again."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from candour.assurance.forms.plans import ObjectChoiceField, UserChoiceField, title_field
from candour.assurance.risk_scoring import CONSEQUENCE, LIKELIHOOD, score_problems
from candour.core.forms import DateField, bounded_text

STAGE_HINTS = {
    "inherent": "With no controls in place.",
    "current": "With the controls in place today.",
    "target": "Once the planned controls and actions are in place.",
}


SCORE_FIELDS = tuple(f"{stage}_{axis}" for stage in STAGE_HINTS for axis in ("likelihood", "consequence"))


def score_field(stage: str, axis: str) -> forms.TypedChoiceField:
    names = LIKELIHOOD if axis == "likelihood" else CONSEQUENCE
    return forms.TypedChoiceField(
        label=f"{stage.capitalize()} {axis}",
        choices=[("", f"Choose the {axis}")] + [(str(n), f"{n}: {name}") for n, name in names.items()],
        coerce=int,
        empty_value=None,
        help_text=STAGE_HINTS[stage],
        error_messages={
            "required": f"Choose the {stage} {axis} from 1 to 5",
            "invalid_choice": f"Choose the {stage} {axis} from 1 to 5",
        },
    )


def _apply_score_problems(form: forms.Form, scores: dict) -> None:
    for name, message in score_problems(scores).items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, message)


class RiskForm(forms.Form):
    title = title_field(what="a title for the risk")
    description = bounded_text(
        label="Description",
        rows=5,
        help_text="The cause, the event and its effect: “Because ..., there is a risk that ..., which would "
        "lead to ...”.",
    )
    controls = bounded_text(label="Controls in place", rows=5, help_text="What reduces the risk today.")
    inherent_likelihood = score_field("inherent", "likelihood")
    inherent_consequence = score_field("inherent", "consequence")
    current_likelihood = score_field("current", "likelihood")
    current_consequence = score_field("current", "consequence")
    target_likelihood = score_field("target", "likelihood")
    target_consequence = score_field("target", "consequence")
    review_due_on = DateField(
        label="Next review date",
        allow_future=True,
        help_text="For example, 30 6 2026",
        error_messages={"required": "Enter the next review date"},
    )

    def __init__(self, *args, units, owners, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = ObjectChoiceField(
            objects=units,
            label_of=lambda u: u.name if u.kind != "station" else f"{u.name} ({u.parent.name})",
            blank="Choose where the risk is held" if len(units) > 1 else "",
            label="Where the risk is held",
            refused="Choose from the list: you can hold risks only where you manage them",
            error_messages={"required": "Choose where the risk is held"},
        )
        self.fields["owner"] = UserChoiceField(
            choices_of_users=owners,
            label="Owner",
            help_text="The person who keeps it under review.",
            refused="Choose the owner from the list",
            error_messages={"required": "Choose the owner"},
        )
        self.actions = {str(action.public_id): action for action in actions}
        self.fields["linked_actions"] = forms.MultipleChoiceField(
            label="Actions that reduce it (optional)",
            choices=[(key, f"{action.title} ({action.plan.title})") for key, action in self.actions.items()],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose actions from the list: you can link only actions you see"
            },
        )
        self.order_fields(["title", "description", "unit", "owner", "controls"])

    def clean_linked_actions(self):
        return [self.actions[key] for key in self.cleaned_data["linked_actions"]]

    def clean(self):
        data = super().clean()
        _apply_score_problems(self, {name: data[name] for name in SCORE_FIELDS if name in data})
        return data

    def clean_review_due_on(self):
        day = self.cleaned_data["review_due_on"]
        if day < timezone.localdate():
            raise ValidationError("The next review date must be today or in the future")
        return day

    @staticmethod
    def initial_for(risk) -> dict:
        initial = {
            name: getattr(risk, name) for name in ("title", "description", "controls", "review_due_on")
        }
        for stage in ("inherent", "current", "target"):
            for axis in ("likelihood", "consequence"):
                initial[f"{stage}_{axis}"] = str(getattr(risk, f"{stage}_{axis}"))
        initial["unit"] = str(risk.unit.public_id)
        initial["owner"] = str(risk.owner.public_id)
        initial["linked_actions"] = [str(a.public_id) for a in risk.linked_actions.all()]
        return initial


class ReviewForm(forms.Form):
    current_likelihood = score_field("current", "likelihood")
    current_consequence = score_field("current", "consequence")
    next_review_on = DateField(
        label="Next review date",
        allow_future=True,
        help_text="For example, 30 9 2026",
        error_messages={"required": "Enter the next review date"},
    )
    note = bounded_text(
        label="What the review found", rows=5, help_text="How the controls are working, and what changed."
    )

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.risk = risk

    def clean_next_review_on(self):
        day = self.cleaned_data["next_review_on"]
        if day <= timezone.localdate():
            raise ValidationError("The next review date must be after today")
        return day

    def clean(self):
        data = super().clean()
        scores = {
            "inherent_likelihood": self.risk.inherent_likelihood,
            "inherent_consequence": self.risk.inherent_consequence,
        }
        if data.get("current_likelihood") and data.get("current_consequence"):
            scores |= {name: data[name] for name in ("current_likelihood", "current_consequence")}
            _apply_score_problems(self, scores)
        return data
