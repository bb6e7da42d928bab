"""Staff voice forms. Validation only: services decide what may be written."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from candour.core.forms import MAX_TEXT_LENGTH, DateField, bounded_text
from candour.people.roles import Role
from candour.voice.models import Agreement, Pulse, QuestionKind, YesNo
from candour.voice.pulse_templates import TEMPLATES, PulseTemplate
from candour.voice.services import QUESTION_LENGTH, PulseDraft, QuestionDraft

TITLE_LENGTH = 200
ANSWER_KINDS = [
    ("", "Choose how it is answered"),
    (QuestionKind.YES_NO, "Yes or no"),
    (QuestionKind.AGREEMENT, "5-point agreement (strongly disagree to strongly agree)"),
]


class ObjectsChoiceField(forms.MultipleChoiceField):
    """Any of the given objects, as checkboxes, chosen by public id; cleans to a list of them. Only what was
    offered can be chosen, so a unit outside the lead's areas is refused here too."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, objects: list, refused: str, **kwargs):
        self.objects = {str(obj.public_id): obj for obj in objects}
        choices = [(key, str(obj)) for key, obj in self.objects.items()]
        super().__init__(
            choices=choices, required=False, error_messages={"invalid_choice": refused}, **kwargs
        )

    def clean(self, value):
        return [self.objects[key] for key in super().clean(value)]


def _question_text(number: int) -> forms.CharField:
    return forms.CharField(
        label=f"Question {number}",
        required=False,
        max_length=QUESTION_LENGTH,
        error_messages={"max_length": f"Question {number} must be {QUESTION_LENGTH} characters or fewer"},
    )


class PulseForm(forms.Form):
    """A pulse's words, questions, audience and dates. Empty question rows are ignored."""

    title = forms.CharField(
        label="Title",
        max_length=TITLE_LENGTH,
        help_text="Staff see this on their home page, for example: Feeling safe at work.",
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {TITLE_LENGTH} characters or fewer",
        },
    )
    introduction = bounded_text(
        label="Introduction (optional)",
        required=False,
        max_length=2000,
        rows=4,
        help_text="A sentence or two on why you are asking, shown above the questions.",
    )
    template = forms.CharField(widget=forms.HiddenInput, required=False)
    free_text = forms.CharField(
        label="Free-text question (optional)",
        required=False,
        max_length=QUESTION_LENGTH,
        help_text="One question people may answer in their own words, or skip. Leave it empty for none.",
        error_messages={
            "max_length": f"The free-text question must be {QUESTION_LENGTH} characters or fewer"
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles (optional)",
        help_text="Leave all unticked to ask people in every role.",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose roles from the list"},
    )
    opens_on = DateField(
        label="Opening date",
        allow_future=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the opening date"},
    )
    closes_on = DateField(
        label="Closing date",
        allow_future=True,
        help_text="The last day people can answer. For example, 10 4 2026",
        error_messages={"required": "Enter the closing date"},
    )

    def __init__(self, *args, areas: list, opens_on_was=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opens_on_was = opens_on_was
        self.slots = range(1, settings.CANDOUR_PULSE_MAX_QUESTIONS + 1)
        order = ["title", "introduction", "template"]
        for number in self.slots:
            self.fields[f"question_{number}"] = _question_text(number)
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label=f"How question {number} is answered", choices=ANSWER_KINDS, required=False
            )
            order += [f"question_{number}", f"kind_{number}"]
        self.fields["areas"] = ObjectsChoiceField(
            objects=areas,
            label="Areas (optional)",
            help_text="Leave all unticked to ask people in all your areas.",
            refused="Choose areas from the list: you can run a pulse only where your role applies",
        )
        self.show_areas = len(areas) > 1
        self.order_fields([*order, "free_text", "roles", "areas", "opens_on", "closes_on"])

    @classmethod
    def initial_from_template(cls, template: PulseTemplate | None) -> dict:
        today = timezone.localdate()
        initial = {"opens_on": today, "closes_on": today + dt.timedelta(days=14)}
        if template is None:
            return initial
        initial |= {
            "template": template.key,
            "title": template.title,
            "introduction": template.introduction,
            "roles": list(template.roles),
            "free_text": template.free_text.text if template.free_text else "",
        }
        for number, question in enumerate(template.choice_questions, start=1):
            initial |= {f"question_{number}": question.text, f"kind_{number}": question.kind}
        return initial

    @classmethod
    def initial_from_pulse(cls, pulse: Pulse) -> dict:
        initial = {
            "template": pulse.template,
            "title": pulse.title,
            "introduction": pulse.introduction,
            "roles": list(pulse.audience_roles),
            "areas": [str(area.public_id) for area in pulse.audience_areas.all()],
            "opens_on": pulse.opens_on,
            "closes_on": pulse.closes_on,
        }
        questions = list(pulse.questions.order_by("position"))
        choice = [q for q in questions if q.kind != QuestionKind.FREE_TEXT]
        for number, question in enumerate(choice, start=1):
            initial |= {f"question_{number}": question.text, f"kind_{number}": question.kind}
        initial["free_text"] = next((q.text for q in questions if q.kind == QuestionKind.FREE_TEXT), "")
        return initial

    def clean_template(self):
        key = self.cleaned_data["template"]
        if key and key not in TEMPLATES:
            raise ValidationError("Choose a template from the list")
        return key

    def clean(self):
        data = super().clean()
        seen: dict[str, int] = {}
        asked = 0
        for number in self.slots:
            text = " ".join((data.get(f"question_{number}") or "").split())
            kind = data.get(f"kind_{number}")
            if text and not kind:
                self.add_error(f"kind_{number}", f"Choose how question {number} is answered")
            elif kind and not text and f"question_{number}" not in self.errors:
                self.add_error(
                    f"question_{number}", f"Enter question {number}, or choose no way to answer it"
                )
            if text:
                asked += 1
                if text.casefold() in seen:
                    self.add_error(
                        f"question_{number}",
                        f"Question {number} is the same as question {seen[text.casefold()]}",
                    )
                seen.setdefault(text.casefold(), number)
        if not asked and "question_1" not in self.errors:
            self.add_error("question_1", "Enter at least one question")
        free_text = " ".join((data.get("free_text") or "").split())
        if free_text and free_text.casefold() in seen:
            self.add_error("free_text", "The free-text question must be different from the others")
        # The dates are judged by the service (voice.services.pulses), which names the field it refuses.
        return data

    def draft(self) -> PulseDraft:
        """The cleaned form as the services' draft."""
        data = self.cleaned_data
        questions = [
            QuestionDraft(data[f"kind_{number}"], data[f"question_{number}"])
            for number in self.slots
            if data.get(f"question_{number}")
        ]
        if data.get("free_text"):
            questions.append(QuestionDraft(QuestionKind.FREE_TEXT, data["free_text"]))
        return PulseDraft(
            title=data["title"],
            introduction=data.get("introduction") or "",
            questions=questions,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            roles=list(data.get("roles") or []),
            areas=data.get("areas") or [],
            template=data.get("template") or "",
        )


class StartPulseForm(forms.Form):
    template = forms.ChoiceField(
        label="How do you want to start?",
        widget=forms.RadioSelect,
        choices=[*((key, template.name) for key, template in TEMPLATES.items()), ("", "A blank pulse")],
        required=False,
    )


class CloseDateForm(forms.Form):
    closes_on = DateField(
        label="Closing date",
        allow_future=True,
        help_text="The last day people can answer. For example, 10 4 2026",
        error_messages={"required": "Enter the closing date"},
    )


def _answer_field(question) -> forms.Field:
    if question.kind == QuestionKind.FREE_TEXT:
        return forms.CharField(
            label=question.text,
            required=False,
            max_length=MAX_TEXT_LENGTH,
            help_text="Optional. Leave out names, and anything else that could identify you or anyone else.",
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": f"Your answer must be {MAX_TEXT_LENGTH:,} characters or fewer"},
        )
    if question.kind == QuestionKind.YES_NO:
        choices, missing = [(YesNo.YES, "Yes"), (YesNo.NO, "No")], f"Choose yes or no for “{question.text}”"
    else:
        choices, missing = Agreement.choices, f"Choose how much you agree with “{question.text}”"
    return forms.TypedChoiceField(
        label=question.text,
        choices=[(str(value), label) for value, label in choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class AnswerForm(forms.Form):
    """One pulse's questions: a radio group for each, and the free-text box if it has one."""

    def __init__(self, *args, questions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.position}"] = _answer_field(question)

    def choices(self) -> dict[int, int]:
        return {
            q.pk: self.cleaned_data[f"q{q.position}"]
            for q in self.questions
            if q.kind != QuestionKind.FREE_TEXT
        }

    def text(self) -> str:
        free = [q for q in self.questions if q.kind == QuestionKind.FREE_TEXT]
        return self.cleaned_data[f"q{free[0].position}"] if free else ""


class ChangeForm(forms.Form):
    """A "you said, we did" post."""

    you_said = bounded_text(
        label="You said",
        max_length=2000,
        rows=4,
        help_text="What staff told you, in their own words where you can. Leave out anything identifying.",
    )
    we_did = bounded_text(
        label="We did", max_length=2000, rows=5, help_text="What changed, or is changing, and when."
    )

    def __init__(self, *args, units: list, pulses: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.public_id): unit for unit in units}
        self.pulses = {str(pulse.public_id): pulse for pulse in pulses}
        self.fields["unit"] = forms.ChoiceField(
            label="Who it is for",
            widget=forms.RadioSelect,
            choices=[(key, f"Everyone in {unit.name}") for key, unit in self.units.items()],
            error_messages={
                "required": "Choose who it is for",
                "invalid_choice": "Choose who it is for from the list: you can publish only where you lead",
            },
        )
        self.fields["pulse"] = forms.ChoiceField(
            label="The pulse it answers (optional)",
            choices=[("", "None")] + [(key, pulse.title) for key, pulse in self.pulses.items()],
            required=False,
            error_messages={"invalid_choice": "Choose a pulse from the list"},
        )
        self.fields["you_said"].error_messages["required"] = "Enter what staff said"
        self.fields["we_did"].error_messages["required"] = "Enter what was done"
        self.order_fields(["unit", "pulse", "you_said", "we_did"])

    def publication(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": self.units[data["unit"]],
            "pulse": self.pulses.get(data["pulse"]),
            "you_said": data["you_said"],
            "we_did": data["we_did"],
        }


class AreaForm(forms.Form):
    """Which area's results to show (GET)."""

    def __init__(self, *args, areas: list, everyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {str(area.public_id): area for area in areas}
        choices = [(key, area.name) for key, area in self.areas.items()]
        self.fields["area"] = forms.ChoiceField(
            label="Show results for",
            choices=([("", "All areas")] if everyone else []) + choices,
            required=False,
        )

    def area(self):
        return self.areas.get(self.cleaned_data.get("area") or "") if self.is_valid() else None
