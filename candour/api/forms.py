"""Parsing the administrators' integration forms. Forms parse; the services judge."""

from django import forms

from candour.api.scopes import KeyScope
from candour.core.forms import DateField, PublicIdMultipleChoiceField


class IntegrationForm(forms.Form):
    name = forms.CharField(
        label="Name of the system",
        max_length=120,
        help_text="As the trust knows it, for example Learning Hub or ESR",
        error_messages={"required": "Enter the name of the system"},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=120,
        help_text="The team or person answerable for the system",
        error_messages={"required": "Enter who owns the system"},
    )
    contact = forms.EmailField(
        label="Contact email address",
        max_length=254,
        help_text="Whom to tell when its key is about to expire or is revoked",
        error_messages={
            "required": "Enter a contact email address",
            "invalid": "Enter an email address like integrations@nhs.net",
        },
    )


class IssueKeyForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="What the key may do",
        choices=KeyScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the key may do"},
    )
    expires_on = DateField(
        label="Expiry date",
        allow_future=True,
        required=False,
        help_text="The key works until the end of this day. Leave it blank for the usual length.",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"] = PublicIdMultipleChoiceField(
            objects=units,
            label="Units whose measures it may read",
            help_text="Each unit and everything under it. Only for a key that reads measures.",
            required=False,
        )
