"""Learning forms: briefings. Validation only; the service decides who the audience is."""

from __future__ import annotations

from django import forms

from candour.core.forms import DateField, PublicIdMultipleChoiceField, bounded_text

TITLE_LENGTH = 160


class PublishBriefingForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_LENGTH,
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {TITLE_LENGTH} characters or fewer",
        },
    )
    body = bounded_text(
        label="What staff need to know",
        help_text="Plain text. Each line becomes a paragraph. It is shown only in Candour, never in emails.",
        rows=12,
    )
    acknowledge_by = DateField(
        label="Acknowledge-by date",
        allow_future=True,
        help_text="Staff are asked to read it and confirm they understood it by this date. "
        "For example, 27 3 2026",
        error_messages={"required": "Enter the acknowledge-by date"},
    )

    def __init__(self, *args, roles: list, areas: list, stations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = PublicIdMultipleChoiceField(
            required=False,
            objects=roles,
            label="Job roles (optional)",
            help_text="Leave all unticked to send it to every job role.",
            refused="Choose job roles from the list",
        )
        self.fields["areas"] = PublicIdMultipleChoiceField(
            required=False,
            objects=areas,
            label="Areas (optional)",
            help_text="Everyone at every station in the area.",
            refused="Choose areas from the list: you can publish only where your role applies",
        )
        self.fields["stations"] = PublicIdMultipleChoiceField(
            required=False,
            objects=stations,
            label="Stations (optional)",
            label_of=lambda station: f"{station.name} ({station.parent.name})",
            help_text="Leave all areas and stations unticked to send it to everywhere you cover.",
            refused="Choose stations from the list: you can publish only where your role applies",
        )
        # In the page's order, so the error summary lists problems top to bottom.
        self.order_fields(["title", "body", "roles", "areas", "stations", "acknowledge_by"])

    def publication(self) -> dict:
        """The cleaned form as the service's keyword arguments."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "roles": data["roles"],
            "units": data["areas"] + data["stations"],
            "acknowledge_by": data["acknowledge_by"],
        }
