"""Forms for recalculating a measure's process limits and undoing it. Parsing only: the service judges."""

from __future__ import annotations

import datetime as dt

from django import forms

from candour.core.forms import PublicIdChoiceField, bounded_text


class MonthField(forms.CharField):
    """A month as the page wrote it (2026-03); cleans to its first day."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("Choose the month again from the chart") from None


class RecalculateLimitsForm(forms.Form):
    from_month = MonthField(error_messages={"required": "Choose the month again from the chart"})
    reason = bounded_text(
        label="Why the process has changed",
        rows=3,
        help_text=(
            "What changed when the shift began, such as a new pathway, a change in recording or more staff. "
            "Making Data Count recalculates limits only for a change that is understood and expected to last."
        ),
    )


class UndoRecalculationForm(forms.Form):
    def __init__(self, *args, recalculations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recalculation"] = PublicIdChoiceField(
            objects=recalculations,
            widget=forms.HiddenInput,
            refused="That recalculation has been undone already",
        )
