"""Records forms. Parsing only: services decide what may be written."""

from django import forms

from candour.core.forms import bounded_text

JUSTIFIED, NOT_JUSTIFIED = "justified", "not_justified"


class ReviewAlertForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was this access justified?",
        choices=[(JUSTIFIED, "Yes, it was justified"), (NOT_JUSTIFIED, "No, it was not justified")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was justified"},
    )
    note = bounded_text(label="Why", help_text="What you found out, and from whom.", max_length=2_000)

    @property
    def justified(self) -> bool:
        return self.cleaned_data["outcome"] == JUSTIFIED


class MarkLostForm(forms.Form):
    circumstances = bounded_text(
        label="Where it was last seen and who has looked for it",
        help_text="Do not write anything about the patient or their care.",
        max_length=2_000,
    )
