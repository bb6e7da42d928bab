"""Learning forms: training. Validation only; every choice is limited to what the viewer may see."""

from django import forms
from django.db.models import QuerySet

from candour.core.forms import DateField, checked_csv_upload
from candour.learning.compliance import Status
from candour.learning.forms.fields import PersonByStaffNumberField
from candour.learning.models import Subject, SubjectGroup
from candour.learning.queries.training import Grouping
from candour.people.models import JobRole, OrgUnit, Person

DRILL_DOWN_STATUSES = [(s.value, s.label) for s in Status if s != Status.NOT_REQUIRED]


def _role_choices(job_roles: list[JobRole]) -> list[tuple[str, str]]:
    return [("", "All job roles")] + [(role.code, role.name) for role in job_roles]


class ComplianceFilterForm(forms.Form):
    grouping = forms.ChoiceField(label="Rows", choices=Grouping.CHOICES, required=False)
    group = forms.ChoiceField(
        label="Subject group", choices=[("", "All groups"), *SubjectGroup.choices], required=False
    )
    role = forms.ChoiceField(label="Job role", required=False)
    subjects = forms.MultipleChoiceField(
        label="Which subjects",
        help_text="Leave them all unticked to see every subject.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, job_roles: list[JobRole], subjects: list[Subject], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(job_roles)
        self.fields["subjects"].choices = [(subject.code, subject.name) for subject in subjects]


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
    """Parses an entry; the service judges it (the date, the hours the subject needs, a repeat)."""

    subject = forms.ChoiceField(label="Subject", error_messages={"required": "Choose the subject"})
    completed_on = DateField(
        label="Date completed",
        allow_future=True,
        error_messages={"required": "Enter the date the training was completed"},
    )
    hours = forms.DecimalField(
        label="Hours",
        help_text="Needed for subjects that count hours, such as safeguarding children level 3. "
        "For example, 7.5",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={"invalid": "Enter the hours as a number, for example 7.5"},
    )
    provider = forms.CharField(label="Provider (optional)", max_length=120, required=False)

    def __init__(self, *args, subjects: list[Subject], people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_number"] = PersonByStaffNumberField(
            label="Staff number",
            people=people,
            refused="No one you manage training for has that staff number",
            error_messages={"required": "Enter the staff number of the person who did the training"},
        )
        self.fields["subject"].choices = [("", "Choose a subject")] + [(s.code, s.name) for s in subjects]
        self.order_fields(["staff_number", "subject", "completed_on", "hours", "provider"])


class TrainingRecordsUploadForm(forms.Form):
    file = forms.FileField(
        label="Training records file",
        help_text="A CSV file saved as UTF-8, with Candour's columns or as your learning system exports it",
        required=False,
        error_messages={"empty": "The file you chose is empty"},
    )
    choose_columns = forms.BooleanField(
        label="Let me choose which column is which, even if Candour knows this file's columns",
        required=False,
    )

    def clean_file(self):
        return checked_csv_upload(self.cleaned_data["file"])


COLUMN_LABELS = {
    "staff_number": "Staff number",
    "subject_code": "Training subject (its code or its name in Candour)",
    "completed_on": "Date completed",
    "hours": "Hours",
    "provider": "Who gave the training",
}
OPTIONAL_COLUMNS = {"hours", "provider"}


class TrainingColumnsForm(forms.Form):
    """Which of a file's own columns gives each of the feed's; only the file's columns can be chosen."""

    upload = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        offered = [(name, name) for name in header]
        for name, label in COLUMN_LABELS.items():
            optional = name in OPTIONAL_COLUMNS
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("", "Not in this file" if optional else "Choose a column"), *offered],
                required=not optional,
                error_messages={"required": f"Choose the column that gives the {label.lower()}"},
            )

    def columns(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in COLUMN_LABELS if self.cleaned_data.get(name)}
