"""Learning forms: apprenticeships. Validation only: the services decide what the rules allow."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from candour.core.forms import DateField, PublicIdChoiceField, PublicIdMultipleChoiceField, bounded_text
from candour.learning.forms.fields import PersonByStaffNumberField
from candour.learning.models import Apprenticeship, LearningProvider, ProgressReview, ReviewTarget
from candour.learning.queries.apprenticeships import NEEDS_ATTENTION, QUESTIONS, Tag
from candour.learning.services.apprenticeships import PARTIES, NewTarget
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


def _hours_field(label: str) -> forms.DecimalField:
    """Hours as a number; the service judges how many are allowed."""
    return forms.DecimalField(
        label=label,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number, like 6 or 7.5",
        },
    )


def _provider_field(providers: list[LearningProvider], **kwargs) -> PublicIdChoiceField:
    return PublicIdChoiceField(objects=providers, **kwargs)


def _station_field(stations: list[OrgUnit], **kwargs) -> PublicIdChoiceField:
    return PublicIdChoiceField(objects=stations, label_of=lambda station: station.name, **kwargs)


IDENTIFIERS = ["unique_learner_number", "date_of_birth", "standard_code"]
PAGE_ORDER_START = [
    "staff_number",
    "standard",
    "level",
    "start_date",
    "planned_end_date",
    "provider",
    "mentor",
    "contracted_hours_per_week",
]


class LearnerIdentifiersForm(forms.Form):
    """What a receiving provider matches records on; the service checks each one."""

    unique_learner_number = forms.CharField(
        label="Unique learner number (optional)",
        max_length=20,
        required=False,
        help_text="The 10-digit number from the Learning Records Service",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
    )
    date_of_birth = DateField(label="Date of birth (optional)", allow_future=True, required=False)
    standard_code = forms.CharField(
        label="Standard code (optional)",
        max_length=10,
        required=False,
        help_text="The standard's reference from the Institute for Apprenticeships and Technical Education, "
        "like ST0627",
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "nhsuk-input--width-10"}),
    )

    def clean_unique_learner_number(self):
        # People copy it with spaces, as it is often printed in groups.
        return self.cleaned_data["unique_learner_number"].replace(" ", "")


# The caseload


class CaseloadFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False)
    provider = forms.ChoiceField(label="Learning provider", required=False)

    def __init__(self, *args, providers: list[LearningProvider], shows_welfare: bool, **kwargs):
        super().__init__(*args, **kwargs)
        tags = [(tag.value, tag.label) for tag in Tag if shows_welfare or tag != Tag.WELFARE]
        self.fields["show"].choices = [("", "Everyone"), (NEEDS_ATTENTION, "Needing attention"), *tags]
        self.fields["provider"] = _provider_field(
            providers, label="Learning provider", blank="Any provider", required=False
        )


# The apprenticeship


class StartApprenticeshipForm(LearnerIdentifiersForm):
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
    provider = forms.ChoiceField(label="Learning provider")
    mentor = forms.CharField(label="Mentor's staff number (optional)", required=False)
    contracted_hours_per_week = _hours_field("Contracted hours a week")

    def __init__(self, *args, people: QuerySet[Person], providers: list[LearningProvider], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = _provider_field(
            providers,
            label="Learning provider",
            blank="Choose a provider",
            error_messages={"required": "Choose the provider"},
        )
        self.fields["staff_number"] = PersonByStaffNumberField(
            label="Apprentice's staff number",
            people=people.filter(is_apprentice=True),
            error_messages={"required": "Enter the apprentice's staff number"},
        )
        self.fields["mentor"] = PersonByStaffNumberField(
            label="Mentor's staff number (optional)", people=people, required=False
        )
        self.initial.setdefault("contracted_hours_per_week", Decimal("37.5"))
        self.order_fields([*PAGE_ORDER_START, *IDENTIFIERS])


class EditApprenticeshipForm(LearnerIdentifiersForm):
    station = forms.ChoiceField(label="Station placement")
    mentor = forms.CharField(label="Mentor's staff number", required=False)
    provider = forms.ChoiceField(label="Learning provider")
    planned_end_date = DateField(
        label="Planned end date", allow_future=True, error_messages={"required": "Enter the planned end date"}
    )
    contracted_hours_per_week = _hours_field("Contracted hours a week")

    def __init__(
        self,
        *args,
        stations: list[OrgUnit],
        people: QuerySet[Person],
        providers: list[LearningProvider],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["station"] = _station_field(
            stations, label="Station placement", error_messages={"required": "Choose the station"}
        )
        self.fields["provider"] = _provider_field(
            providers, label="Learning provider", error_messages={"required": "Choose the provider"}
        )
        self.order_fields(
            ["station", "mentor", "provider", "planned_end_date", "contracted_hours_per_week", *IDENTIFIERS]
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
        label="Date of the change",
        allow_future=True,
        error_messages={"required": "Enter the date of the change"},
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
        allow_future=True,
        help_text="Any day in the week will do; time is logged by the week, from Monday",
        error_messages={"required": "Enter the week the training happened in"},
    )
    hours = _hours_field("Hours")
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
        self.fields["station"] = _station_field(
            stations, label="Station (optional)", blank="Not at a station", required=False
        )


# Reviews


class ScheduleReviewForm(forms.Form):
    due_on = DateField(
        label="Due by", allow_future=True, error_messages={"required": "Enter the date it is due by"}
    )


def _answer(field: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=QUESTIONS[field], choices=Answer.choices, required=False, widget=forms.RadioSelect
    )


def _progress(area: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=f"Progress against the standard's {area}",
        choices=ProgressReview.Progress.choices,
        required=False,
        widget=forms.RadioSelect,
    )


def _notes(area: str) -> forms.CharField:
    return bounded_text(
        label=f"What shows it, and what comes next ({area})",
        required=False,
        help_text="Which of the standard's " + area + " were evidenced since the last review",
        rows=3,
    )


# Rows for new targets on the page: enough for a review, without needing JavaScript to add more.
TARGET_ROWS = 3


class RecordReviewForm(forms.Form):
    """Every answer may be left for later, but the review cannot be signed off until all are recorded.
    Target rows left empty are ignored; how earlier targets went is asked for each one still open."""

    held_on = DateField(
        label="Date the review was held",
        allow_future=True,
        error_messages={"required": "Enter the date the review was held"},
    )
    progress_summary = bounded_text(label="Progress since the last review", required=False)
    knowledge_progress = _progress("knowledge")
    knowledge_notes = _notes("knowledge")
    skills_progress = _progress("skills")
    skills_notes = _notes("skills")
    behaviours_progress = _progress("behaviours")
    behaviours_notes = _notes("behaviours")
    off_the_job_discussion = bounded_text(
        label="What was discussed about off-the-job training",
        required=False,
        help_text="How the hours compare with the plan, and what was agreed",
        rows=3,
    )
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

    def __init__(self, *args, open_targets: list[ReviewTarget], **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, TARGET_ROWS + 1):
            self.fields[f"target_{number}_description"] = forms.CharField(
                label=f"Target {number}", max_length=300, required=False
            )
            self.fields[f"target_{number}_due_on"] = DateField(
                label=f"Target {number} due by", allow_future=True, required=False
            )
        self.open_targets = open_targets
        for target in open_targets:
            self.fields[f"outcome_{target.public_id}"] = forms.ChoiceField(
                label=f"{target.description} (due by {target.due_on:%-d %B %Y})",
                choices=ReviewTarget.Outcome.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        # In the page's order, so the error summary lists problems top to bottom.
        welfare = ["feels_safe", "witnessed_uncomfortable", "welfare_details"]
        welfare += ["knows_how_to_raise", "knows_safeguarding_contact"]
        self.order_fields(
            [name for name in self.fields if name not in welfare and not name.startswith("target_")]
            + [name for name in self.fields if name.startswith("target_")]
            + welfare
        )

    def target_rows(self):
        """The target rows' fields, in pairs, for the page."""
        return [
            (self[f"target_{number}_description"], self[f"target_{number}_due_on"])
            for number in range(1, TARGET_ROWS + 1)
        ]

    def outcome_fields(self):
        return [self[f"outcome_{target.public_id}"] for target in self.open_targets]

    def review(self) -> dict:
        """The cleaned form as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        rows = [
            (data.pop(f"target_{number}_description").strip(), data.pop(f"target_{number}_due_on"))
            for number in range(1, TARGET_ROWS + 1)
        ]
        data["targets"] = [NewTarget(text, due_on) for text, due_on in rows if text or due_on]
        data["outcomes"] = {
            target.public_id: data.pop(f"outcome_{target.public_id}") for target in self.open_targets
        }
        return data


class SignOffReviewForm(forms.Form):
    parties = forms.MultipleChoiceField(
        label="Who has signed the review?",
        choices=list(PARTIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    employer = forms.ChoiceField(label="Signed for the employer by", required=False)
    provider_name = forms.CharField(label="Signed for the provider by", max_length=120, required=False)
    signed_on = DateField(
        label="Date signed", allow_future=True, error_messages={"required": "Enter the date it was signed"}
    )

    def __init__(self, *args, signers: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"] = PublicIdChoiceField(
            objects=signers,
            label_of=lambda person: person.full_name,
            label="Signed for the employer by",
            blank="Choose who signed",
            required=False,
        )
        self.order_fields(["parties", "employer", "provider_name", "signed_on"])


class ApprenticeSignOffForm(forms.Form):
    """The apprentice signs their own part: that the review is a fair record."""

    agree = forms.BooleanField(
        label="I have read this review and agree it is a fair record",
        error_messages={"required": "Confirm you agree the review is a fair record"},
    )


# Moving to a new provider


class TransferForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any level"), *Apprenticeship.Level.choices],
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
        label="Date of the transfer",
        allow_future=True,
        error_messages={"required": "Enter the date of the transfer"},
    )

    def __init__(self, *args, stations: list[OrgUnit], providers: list[LearningProvider], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_provider"] = _provider_field(
            providers, label="Current provider", blank="Any provider", required=False
        )
        self.fields["station"] = _station_field(
            stations, label="Station", blank="All stations", required=False
        )
        self.fields["to_provider"] = _provider_field(
            providers, label="Receiving provider", blank="A new provider (enter below)", required=False
        )
        self.order_fields(
            [
                "from_provider",
                "level",
                "station",
                "to_provider",
                "new_provider_name",
                "new_provider_ukprn",
                "transfer_on",
            ]
        )


class ConfirmTransferForm(forms.Form):
    """Who of the cohort found moves: everyone, until the lead unticks someone."""

    def __init__(self, *args, cohort: list[Apprenticeship], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["apprentices"] = PublicIdMultipleChoiceField(
            objects=cohort,
            label_of=lambda a: (
                f"{a.person.full_name} ({a.person.staff_number}): {a.standard}, level {a.level}, "
                f"with {a.provider.name}, at {a.station.name}"
            ),
            label="Who moves",
            help_text="Untick anyone who is not moving.",
            required=False,
        )
        self.initial.setdefault("apprentices", list(self.fields["apprentices"].objects))


class CancelTransferForm(forms.Form):
    """Nothing to fill in: pressing the button is the whole answer."""


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
