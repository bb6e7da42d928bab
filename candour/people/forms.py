"""Validation for sign-in, password reset and people pages. Forms parse; the services judge."""

from django import forms

from candour.core.forms import PublicIdChoiceField, bounded_text, checked_csv_upload
from candour.people.models import OrgUnit


def _email_field(label: str = "Email address") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@nhs.net",
        },
    )


class SignInForm(forms.Form):
    email = _email_field()
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


class RecoveryCodeForm(forms.Form):
    code = forms.RegexField(
        label="Recovery code",
        # 16 letters and digits, in groups or not, as it was written down.
        regex=r"^[\s-]*(?:[0-9A-Za-z][\s-]*){16}$",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={
            "required": "Enter one of your recovery codes",
            "invalid": "Enter the recovery code as it was written down, like abcd-efgh-jkmn-pqrs",
        },
    )


class ForgottenPasswordForm(forms.Form):
    email = _email_field("Your work email address")


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    password_again = forms.CharField(
        label="New password again",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The passwords do not match: enter the same password twice")
        return data


class ResetTwoFactorForm(forms.Form):
    reason = bounded_text(label="Why you are resetting it", max_length=500, rows=3)


class PeopleFilterForm(forms.Form):
    """Filters for the people directory; every choice is limited to what the viewer may see."""

    q = forms.CharField(label="Name or staff number", required=False, max_length=80)
    role = forms.ChoiceField(label="Job role", required=False)
    show = forms.ChoiceField(label="Show", required=False)
    apprentices = forms.BooleanField(label="Apprentices only", required=False)

    def __init__(self, *args, units: list[OrgUnit], job_roles: list, shows: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = PublicIdChoiceField(
            label="Area or station",
            objects=units,
            label_of=lambda unit: f"{unit.name} ({unit.get_kind_display().lower()})",
            blank="All in my scope",
            required=False,
        )
        self.order_fields(["q", "unit", "role", "show", "apprentices"])
        self.fields["role"].choices = [("", "All job roles")] + [(role.code, role.name) for role in job_roles]
        self.fields["show"].choices = [("", "Current staff"), *shows]


class RetryEmailForm(forms.Form):
    """One failed email to send again, by its id; without one, every failed email."""

    message = forms.UUIDField(required=False, error_messages={"invalid": "That email could not be found"})


class FeedUploadForm(forms.Form):
    """A file for one of the registered feeds; the import checks its rows, this only that it may be CSV."""

    file = forms.FileField(required=False, error_messages={"empty": "The file you chose is empty"})

    def __init__(self, *args, feed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = f"{feed.title} file"
        self.fields["file"].help_text = "A CSV file saved as UTF-8, with the columns listed above"

    def clean_file(self):
        return checked_csv_upload(self.cleaned_data["file"])
