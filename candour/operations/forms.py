"""Operations forms. Parsing only: services decide what may be written."""

from django import forms

from candour.core.forms import bounded_text
from candour.operations.models import HarmGrade
from candour.operations.services.recordings import CLOSING_REASONS


class HarmReviewForm(forms.Form):
    patient_outcome = bounded_text(
        label="What happened to the patient",
        help_text="The outcome for the patient, from the clinical record and the hospital.",
        max_length=4_000,
    )
    harm_grade = forms.ChoiceField(
        label="What harm did the wait cause?",
        choices=HarmGrade.choices,
        widget=forms.RadioSelect,
        help_text="Moderate harm or worse is also raised as a patient safety concern.",
        error_messages={"required": "Select the harm the wait caused"},
    )
    panel_decision = bounded_text(label="The panel's decision", max_length=4_000)
    learning = bounded_text(
        label="Learning",
        help_text="What the trust will do differently, or that nothing was found.",
        max_length=4_000,
    )


class CloseRecordingExceptionForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why can it be closed?",
        choices=[(reason.value, reason.label) for reason in CLOSING_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the exception can be closed"},
    )
    note = bounded_text(
        label="What you found",
        help_text="Where the recording is, what the recorder's supplier said, or why nothing was wrong.",
        max_length=2_000,
        rows=4,
    )
