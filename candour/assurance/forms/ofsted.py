"""Assurance forms: Ofsted monitoring. Validation only; the services decide and write."""

from __future__ import annotations

from django import forms

from candour.assurance.forms.framework import measure_field
from candour.assurance.models import MonitoringTheme, Progress
from candour.core.forms import DateField, bounded_text

PROGRESS_ERROR = "Choose insufficient, reasonable or significant progress"


def progress_field(label: str, **kwargs) -> forms.Field:
    return forms.ChoiceField(
        label=label,
        choices=Progress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": PROGRESS_ERROR, "invalid_choice": PROGRESS_ERROR},
        **kwargs,
    )


class MonitoringVisitForm(forms.Form):
    visited_on = DateField(label="Date of the visit", help_text="For example, 27 3 2026")
    summary = bounded_text(label="Summary (optional)", required=False, rows=4)

    def __init__(self, *args, themes: list[MonitoringTheme], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        self.fields["visited_on"].error_messages["required"] = "Enter the date of the visit"
        for theme in themes:
            self.fields[f"theme_{theme.code}"] = progress_field(theme.title)
        self.order_fields(["visited_on", *[f"theme_{theme.code}" for theme in themes], "summary"])

    @property
    def theme_fields(self):
        return [self[f"theme_{theme.code}"] for theme in self.themes]

    def visit(self) -> dict:
        data = self.cleaned_data
        return {
            "visited_on": data["visited_on"],
            "summary": data["summary"],
            "judgements": {theme: data[f"theme_{theme.code}"] for theme in self.themes},
        }


class SelfJudgementForm(forms.Form):
    progress = progress_field("Our judgement of progress")
    narrative = bounded_text(
        label="Narrative", help_text="What the judgement rests on: the evidence since the last visit.", rows=8
    )


class ThemeMeasureForm(forms.Form):
    measure_key = measure_field("Measure", required=True, blank="Choose a measure")
