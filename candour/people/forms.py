"""Validation for sign-in and people pages."""

from django import forms

from candour.core.forms import PublicIdChoiceField
from candour.people.models import OrgUnit


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@nhs.net",
        },
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the 6-digit code",
            "invalid": "Enter the 6-digit code, like 123456",
        },
    )


class PeopleFilterForm(forms.Form):
    """Filters for the people directory; every choice is limited to what the viewer may see."""

    q = forms.CharField(label="Name or staff number", required=False, max_length=80)
    role = forms.ChoiceField(label="Job role", required=False)
    apprentices = forms.BooleanField(label="Apprentices only", required=False)

    def __init__(self, *args, units: list[OrgUnit], job_roles: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = PublicIdChoiceField(
            label="Area or station",
            objects=units,
            label_of=lambda unit: f"{unit.name} ({unit.get_kind_display().lower()})",
            blank="All in my scope",
            required=False,
        )
        self.order_fields(["q", "unit", "role", "apprentices"])
        self.fields["role"].choices = [("", "All job roles")] + [(role.code, role.name) for role in job_roles]
