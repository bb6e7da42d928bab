"""Records forms. Parsing only: services decide what may be written."""

from django import forms

from candour.core.forms import DateField, PublicIdChoiceField, bounded_text

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


class SendReviewForm(forms.Form):
    """To which of the record's authors, which of its missing elements, and why they matter."""

    def __init__(self, *args, authors, missing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"] = PublicIdChoiceField(
            objects=authors,
            label_of=lambda person: f"{person.full_name} ({person.staff_number})",
            label="Who is the review for?",
            widget=forms.RadioSelect,
            error_messages={"required": "Select who the review is for"},
        )
        self.fields["missing"] = forms.MultipleChoiceField(
            label="What was missing",
            choices=missing,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Select at least one element the record was missing",
                "invalid_choice": "Select only elements the record was missing",
            },
        )
        self.fields["why"] = bounded_text(
            label="Why it matters",
            help_text="What the missing elements mean for the patient's care. Nothing about the patient.",
            max_length=2_000,
        )


class PublishElementSetForm(forms.Form):
    """A record type's mandatory elements, one a line as `code: label`, and the day they take effect."""

    elements = bounded_text(
        label="Mandatory elements",
        help_text=(
            "One element a line: its code as the ePCR sends it, a colon, then its label, for example "
            "news2: NEWS2 score. The order here is the order pages show them."
        ),
        max_length=6_000,
        rows=12,
    )
    effective_from = DateField(
        label="In force from",
        allow_future=True,
        help_text="Records made on this day and after are measured against it. For example 1 4 2027",
        error_messages={"required": "Enter the day this version takes effect"},
    )

    def clean_elements(self) -> list[dict[str, str]]:
        elements = []
        for number, line in enumerate(self.cleaned_data["elements"].splitlines(), start=1):
            if not line.strip():
                continue
            code, colon, label = line.partition(":")
            if not colon or not code.strip() or not label.strip():
                raise forms.ValidationError(
                    f"Line {number} is not an element: write its code, a colon, then its label, for example "
                    "news2: NEWS2 score"
                )
            elements.append({"code": code.strip(), "label": label.strip()})
        return elements


def element_lines(elements: list[dict[str, str]]) -> str:
    """A set's elements as the form writes them, to start the next version from."""
    return "\n".join(f"{element['code']}: {element['label']}" for element in elements)
