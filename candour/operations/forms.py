"""Operations forms. Parsing only: services decide what may be written."""

from django import forms

from candour.core.forms import bounded_text
from candour.operations.services.recordings import CLOSING_REASONS


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
