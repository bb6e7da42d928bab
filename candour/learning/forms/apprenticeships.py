"""Learning forms: apprenticeships. Validation only: the services decide what the rules allow."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from candour.core.forms import DateField, bounded_text
from candour.learning.models import Apprenticeship, LearningProvider, ProgressReview
from candour.learning.queries.apprenticeships import NEEDS_ATTENTION, QUESTIONS, TAG_LABELS, WORRYING
from candour.learning.services.apprenticeships import MAX_WEEKLY_HOURS, PARTIES, Party
from candour.people.models import OrgUnit, Person

Answer = ProgressReview.Answer

LAWFUL_BASES = [
    (
        "public_task_safeguarding",
        "Public task (UK GDPR Article 6(1)(e)), and safeguarding of individuals at risk "
        "(Article 9(2)(g), Data Protection Act 2018 Schedule 1 paragraph 18)",
    ),
    (
        "legal_obligation",
        "Legal obligation (UK GDPR Article 6(1)(c)), and employment obligations "
        "(Article 9(2)(b), Data Protection Act 2018 Schedule 1 paragraph 1)",
    ),
    ("vital_interests", "Vital interests (UK GDPR Articles 6(1)(d) and 9(2)(c))"),
    ("consent", "The apprentice's explicit consent (UK GDPR Articles 6(1)(a) and 9(2)(a))"),
]


def _choice(label: str, choices, *, required: bool = True, radios: bool = False, blank: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=[("", blank), *choices] if blank else choices,
        required=required,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": f"Choose {label[0].lower() + label[1:].rstrip('?')}"},
    )


def _hours_field(label: str, *, max_value: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.1"),
        max_value=max_value,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number, like 6 or 7.5",
            "min_value": f"{label} must be more than 0",
            "max_value": f"{label} must be {max_value} or fewer",
            "max_decimal_places": f"Enter the {label.lower()} to one decimal place at most, like 7.5",
            "max_digits": f"{label} must be {max_value} or fewer",
        },
    )


class PersonByStaffNumberField(forms.CharField):
    """A person found by staff number among those given; cleans to the Person (or None when optional)."""

    def __init__(self, *, people: QuerySet[Person], **kwargs):
        self.people = people
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        number = super().clean(value)
        if not number:
            return None
        person = self.people.filter(staff_number__iexact=number.strip()).first()
        if person is None:
            raise forms.ValidationError(f"No one in your area has the staff number {number.strip()}")
        return person


class ProviderChoiceField(forms.ChoiceField):
    """A learning provider chosen by its public id; cleans to the LearningProvider. The choices are read
    when a form is shown, never when this module is imported, so a provider added since is offered."""

    def __init__(self, *, blank: str = "", **kwargs):
        self.blank = blank
        super().__init__(choices=self._current_choices, **kwargs)

    def _current_choices(self) -> list[tuple[str, str]]:
        choices = [
            (str(public_id), name)
            for public_id, name in LearningProvider.objects.values_list("public_id", "name")
        ]
        return [("", self.blank), *choices] if self.blank else choices

    def clean(self, value):
        key = super().clean(value)
        return LearningProvider.objects.filter(public_id=key).first() if key else None


class StationChoiceField(forms.ChoiceField):
    """A station chosen by its public id among those given; cleans to the OrgUnit."""

    def __init__(self, *, stations: list[OrgUnit], blank: str = "", **kwargs):
        self.stations = {str(s.public_id): s for s in stations}
        choices = [(key, station.name) for key, station in self.stations.items()]
        super().__init__(choices=[("", blank), *choices] if blank else choices, **kwargs)

    def clean(self, value):
        return self.stations.get(super().clean(value))


# The caseload


class CaseloadFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False)
    provider = forms.ChoiceField(label="Learning provider", required=False)

    def __init__(self, *args, providers: list[LearningProvider], shows_welfare: bool, **kwargs):
        super().__init__(*args, **kwargs)
        tags = [(key, label) for key, label in TAG_LABELS.items() if shows_welfare or key != "welfare"]
        self.fields["show"].choices = [("", "Everyone"), (NEEDS_ATTENTION, "Needing attention"), *tags]
        self.fields["provider"].choices = [("", "Any provider")] + [
            (str(provider.public_id), provider.name) for provider in providers
        ]


# The apprenticeship


class StartApprenticeshipForm(forms.Form):
    staff_number = forms.CharField(label="Apprentice's staff number")
    standard = forms.CharField(
        label="Apprenticeship standard",
        max_length=160,
        help_text="For example, Associate ambulance practitioner",
        error_messages={"required": "Enter the apprenticeship standard"},
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=Apprenticeship.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level"},
    )
    start_date = DateField(
        label="Start date", allow_future=True, error_messages={"required": "Enter the start date"}
    )
    planned_end_date = DateField(
        label="Planned end date", allow_future=True, error_messages={"required": "Enter the planned end date"}
    )
    provider = ProviderChoiceField(
        label="Learning provider",
        blank="Choose a provider",
        error_messages={"required": "Choose the provider"},
    )
    mentor = forms.CharField(label="Mentor's staff number (optional)", required=False)
    contracted_hours_per_week = _hours_field("Contracted hours a week", max_value=Decimal(48))

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_number"] = PersonByStaffNumberField(
            label="Apprentice's staff number",
            people=people.filter(is_apprentice=True),
            error_messages={"required": "Enter the apprentice's staff number"},
        )
        self.fields["mentor"] = PersonByStaffNumberField(
            label="Mentor's staff number (optional)", people=people, required=False
        )
        self.initial.setdefault("contracted_hours_per_week", Decimal("37.5"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("planned_end_date")
        if start and end and end <= start:
            self.add_error("planned_end_date", "The planned end date must be after the start date")
        return cleaned


class EditApprenticeshipForm(forms.Form):
    station = forms.ChoiceField(label="Station placement")
    mentor = forms.CharField(label="Mentor's staff number", required=False)
    provider = ProviderChoiceField(
        label="Learning provider", error_messages={"required": "Choose the provider"}
    )
    planned_end_date = DateField(
        label="Planned end date", allow_future=True, error_messages={"required": "Enter the planned end date"}
    )
    contracted_hours_per_week = _hours_field("Contracted hours a week", max_value=Decimal(48))

    def __init__(self, *args, stations: list[OrgUnit], people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"] = StationChoiceField(
            label="Station placement", stations=stations, error_messages={"required": "Choose the station"}
        )
        self.fields["mentor"] = PersonByStaffNumberField(
            label="Mentor's staff number",
            people=people,
            required=False,
            help_text="Leave empty if the apprentice has no mentor yet",
        )


class ChangeStatusForm(forms.Form):
    to = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    effective_on = DateField(
        label="Date of the change", error_messages={"required": "Enter the date of the change"}
    )

    def __init__(self, *args, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(status, Apprenticeship.Status(status).label) for status in moves]
        self.fields["to"].error_messages = {
            "required": "Choose the new status",
            "invalid_choice": "Choose one of the statuses listed",
        }


class OffTheJobForm(forms.Form):
    week_starting = DateField(
        label="Week starting",
        help_text="Any day in the week will do; time is logged by the week, from Monday",
        error_messages={"required": "Enter the week the training happened in"},
    )
    hours = _hours_field("Hours", max_value=MAX_WEEKLY_HOURS)
    activity = forms.CharField(
        label="What the training was",
        max_length=200,
        help_text="For example, university teaching day, or simulation training",
        error_messages={
            "required": "Enter what the training was",
            "max_length": "What the training was must be 200 characters or fewer",
        },
    )


class PlacementForm(forms.Form):
    setting = forms.CharField(
        label="Setting",
        max_length=160,
        help_text="For example, emergency department, Oakridge City General Hospital",
        error_messages={
            "required": "Enter the setting",
            "max_length": "The setting must be 160 characters or fewer",
        },
    )
    station = forms.ChoiceField(label="Station (optional)", required=False)
    starts_on = DateField(
        label="Start date", allow_future=True, error_messages={"required": "Enter the start date"}
    )
    ends_on = DateField(
        label="End date", allow_future=True, error_messages={"required": "Enter the end date"}
    )

    def __init__(self, *args, stations: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"] = StationChoiceField(
            label="Station (optional)", stations=stations, blank="Not at a station", required=False
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned


# Reviews


class ScheduleReviewForm(forms.Form):
    due_on = DateField(
        label="Due by", allow_future=True, error_messages={"required": "Enter the date it is due by"}
    )


def _answer(field: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=QUESTIONS[field], choices=Answer.choices, required=False, widget=forms.RadioSelect
    )


class RecordReviewForm(forms.Form):
    """Every answer may be left for later, but the review cannot be signed off until all are recorded."""

    held_on = DateField(
        label="Date the review was held", error_messages={"required": "Enter the date the review was held"}
    )
    progress_summary = bounded_text(label="Progress since the last review", required=False)
    feels_safe = _answer("feels_safe")
    witnessed_uncomfortable = _answer("witnessed_uncomfortable")
    welfare_details = bounded_text(
        label="What they experienced or witnessed",
        required=False,
        help_text="In their words where you can. If they chose not to say, write that.",
        rows=4,
    )
    knows_how_to_raise = _answer("knows_how_to_raise")
    knows_safeguarding_contact = _answer("knows_safeguarding_contact")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("witnessed_uncomfortable") in WORRYING["witnessed_uncomfortable"]
            and not cleaned.get("welfare_details", "").strip()
        ):
            self.add_error(
                "welfare_details",
                "Enter what they experienced or witnessed, or write that they chose not to say",
            )
        return cleaned


class SignOffReviewForm(forms.Form):
    parties = forms.MultipleChoiceField(
        label="Who has signed the review?",
        choices=list(PARTIES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who has signed the review"},
    )
    employer = forms.ChoiceField(label="Signed for the employer by", required=False)
    provider_name = forms.CharField(label="Signed for the provider by", max_length=120, required=False)
    signed_on = DateField(label="Date signed", error_messages={"required": "Enter the date it was signed"})

    def __init__(self, *args, signers: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.signers = {str(person.public_id): person for person in signers}
        self.fields["employer"].choices = [("", "Choose who signed")] + [
            (key, person.full_name) for key, person in self.signers.items()
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["employer"] = self.signers.get(cleaned.get("employer") or "")
        if Party.EMPLOYER in cleaned.get("parties", []) and cleaned["employer"] is None:
            self.add_error("employer", "Choose who signed for the employer")
        return cleaned


class ApprenticeSignOffForm(forms.Form):
    """The apprentice signs their own part: that the review is a fair record."""

    agree = forms.BooleanField(
        label="I have read this review and agree it is a fair record",
        error_messages={"required": "Confirm you agree the review is a fair record"},
    )


# Moving to a new provider


class TransferForm(forms.Form):
    from_provider = ProviderChoiceField(label="Current provider", required=False, blank="Any provider")
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any level"), *Apprenticeship.Level.choices],
    )
    station = forms.ChoiceField(label="Station", required=False)
    to_provider = ProviderChoiceField(
        label="Receiving provider", required=False, blank="A new provider (enter below)"
    )
    new_provider_name = forms.CharField(label="New provider's name", max_length=160, required=False)
    new_provider_ukprn = forms.RegexField(
        label="New provider's UKPRN",
        regex=r"^\d{8}$",
        required=False,
        help_text="The 8-digit UK provider reference number",
        error_messages={"invalid": "Enter the UKPRN as 8 digits, like 10012345"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
    )
    transfer_on = DateField(
        label="Date of the transfer", error_messages={"required": "Enter the date of the transfer"}
    )

    def __init__(self, *args, stations: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"] = StationChoiceField(
            label="Station", stations=stations, blank="All stations", required=False
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_provider") is None and not cleaned.get("new_provider_name", "").strip():
            self.add_error(
                "new_provider_name", "Choose the receiving provider, or enter a new provider's name"
            )
        if cleaned.get("to_provider") and cleaned.get("to_provider") == cleaned.get("from_provider"):
            self.add_error(
                "to_provider", "The receiving provider must be different from the current provider"
            )
        return cleaned


class ShareDecisionForm(forms.Form):
    lawful_basis = _choice("Lawful basis for sharing", LAWFUL_BASES, radios=True)
    summary = bounded_text(
        label="Safeguarding summary to share",
        help_text="Only what the receiving provider needs to keep the apprentice safe. "
        "Do not name people who raised concerns.",
        rows=6,
    )
    necessary = forms.BooleanField(
        label="I have checked that sharing this is necessary and proportionate",
        error_messages={"required": "Confirm you have checked that sharing is necessary and proportionate"},
    )

    def clean_lawful_basis(self):
        return dict(LAWFUL_BASES)[self.cleaned_data["lawful_basis"]]


class ImportBundleForm(forms.Form):
    bundle = forms.FileField(
        label="Transfer bundle (zip)",
        help_text="The zip file downloaded from the previous trust's Candour",
        error_messages={"required": "Choose the transfer bundle to import", "empty": "The file is empty"},
    )

    def clean_bundle(self):
        bundle = self.cleaned_data["bundle"]
        limit = settings.CANDOUR_UPLOAD_MAX_BYTES
        if bundle.size > limit:
            raise forms.ValidationError(
                f"The file is {bundle.size / (1024 * 1024):.1f} MB; a bundle can be up to "
                f"{limit / (1024 * 1024):.0f} MB"
            )
        return bundle
