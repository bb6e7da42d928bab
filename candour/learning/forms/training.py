"""Learning forms: training. Validation only; every choice is limited to what the viewer may see."""

from decimal import Decimal

from django import forms
from django.conf import settings

from candour.core.forms import DateField
from candour.learning.compliance import Status
from candour.learning.models import Subject, SubjectGroup
from candour.learning.queries.training import Grouping
from candour.people.models import JobRole, OrgUnit

DRILL_DOWN_STATUSES = [(s.value, s.label) for s in Status if s != Status.NOT_REQUIRED]


def _role_choices(job_roles: list[JobRole]) -> list[tuple[str, str]]:
    return [("", "All job roles")] + [(role.code, role.name) for role in job_roles]


class ComplianceFilterForm(forms.Form):
    grouping = forms.ChoiceField(label="Rows", choices=Grouping.CHOICES, required=False)
    group = forms.ChoiceField(
        label="Subjects", choices=[("", "All subjects"), *SubjectGroup.choices], required=False
    )
    role = forms.ChoiceField(label="Job role", required=False)

    def __init__(self, *args, job_roles: list[JobRole], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(job_roles)


class CompliancePeopleFilterForm(forms.Form):
    unit = forms.ChoiceField(label="Area or station", required=False)
    role = forms.ChoiceField(label="Job role", required=False)
    subject = forms.ChoiceField(label="Subject", required=False)
    group = forms.ChoiceField(
        label="Subject group", choices=[("", "All groups"), *SubjectGroup.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *DRILL_DOWN_STATUSES], required=False
    )

    def __init__(
        self, *args, units: list[OrgUnit], job_roles: list[JobRole], subjects: list[Subject], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "All in my scope")] + [
            (str(unit.public_id), f"{unit.name} ({unit.get_kind_display().lower()})") for unit in units
        ]
        self.fields["role"].choices = _role_choices(job_roles)
        self.fields["subject"].choices = [("", "All subjects")] + [(s.code, s.name) for s in subjects]


class TrainingRecordForm(forms.Form):
    staff_number = forms.CharField(
        label="Staff number",
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "nhsuk-input--width-10"}),
        error_messages={"required": "Enter the staff number of the person who did the training"},
    )
    subject = forms.ChoiceField(label="Subject", error_messages={"required": "Choose the subject"})
    completed_on = DateField(
        label="Date completed", error_messages={"required": "Enter the date the training was completed"}
    )
    hours = forms.DecimalField(
        label="Hours",
        help_text="Needed for subjects that count hours, such as safeguarding children level 3. "
        "For example, 7.5",
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("999.9"),
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Enter the hours as a number, for example 7.5",
            "min_value": "Hours must be more than 0",
            "max_value": "Hours must be 999.9 or fewer",
            "max_decimal_places": "Hours can have one decimal place, for example 7.5",
        },
    )
    provider = forms.CharField(label="Provider (optional)", max_length=120, required=False)

    def __init__(self, *args, subjects: list[Subject], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "Choose a subject")] + [(s.code, s.name) for s in subjects]


class TrainingRecordsUploadForm(forms.Form):
    file = forms.FileField(
        label="Training records file",
        help_text="A CSV file saved as UTF-8, with the columns staff_number, subject_code, completed_on, "
        "hours and provider",
        required=False,
        error_messages={"empty": "The file you chose is empty"},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        # too_large: the view refused the upload unread, and says so where the file is chosen.
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        limit = settings.CANDOUR_UPLOAD_MAX_BYTES
        upload = self.cleaned_data["file"]
        if self.too_large or (upload and upload.size > limit):
            raise forms.ValidationError(too_large_message(limit))
        if not upload:
            raise forms.ValidationError("Choose the CSV file to import")
        return upload


def too_large_message(limit: int) -> str:
    return f"The file must be smaller than {limit / (1024 * 1024):.0f} MB. Split it into smaller files."
