"""Validation for raising a concern and following it up. The words here are what a reporter reads: plain,
short, and honest about who will know what."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from candour.core.forms import DateField, PublicIdChoiceField, bounded_text
from candour.core.nhs_number import NHSNumberField
from candour.people.models import OrgUnit, Person
from candour.speakup.models import Behaviour, Identity, Kind, PatientDetails, SpeakUpAgain, Subject

KIND_HINTS = {
    Kind.LOW_LEVEL: "A colleague did something that made you uneasy, even if it seems small or you are "
    "not sure it matters.",
    Kind.EXPERIENCED: "Sexual safety, harassment, bullying, inappropriate attitudes or behaviour, or "
    "discrimination, towards you or someone else.",
    Kind.PATIENT_SAFEGUARDING: "For crews: an adult or child you attended may be at risk of abuse or "
    "neglect.",
    Kind.PATIENT_SAFETY: "Something that puts patients at risk or makes their care worse, such as delays, "
    "equipment or records.",
    Kind.WORKER_WELLBEING: "Something that puts staff at risk or harms their health or wellbeing.",
    Kind.PREVENT: "Someone may be being drawn into terrorism or extremism.",
}

IDENTITY_HINTS = {
    Identity.OPEN: "Your name is shared with the people working on your concern.",
    Identity.CONFIDENTIAL: "Only the freedom to speak up guardian or the safeguarding team know it was you.",
    Identity.ANONYMOUS: "Your name is not kept with your concern, and nothing Candour stores links it to "
    "you. You get a code to follow it up, shown once, straight after you send: write it down or print it. We "
    "cannot contact you except through the code.",
}

# What the reporter said about being an apprentice; "rather not say" is recorded as not known.
APPRENTICE_ANSWERS = {"yes": True, "no": False, "rather_not_say": None}

# Fields in the order they appear on the page, so the error summary lists problems in that order too.
PAGE_ORDER = [
    "behaviour",
    "subject_type",
    "colleague",
    "colleague_description",
    "patient_is_child",
    "patient_name",
    "nhs_number",
    "patient_date_of_birth",
    "patient_address",
    "station",
    "occurred_on",
    "occurred_on_is_approximate",
    "narrative",
    "nature_of_risk",
    "consent",
    "local_authority_called",
    "local_authority_reference",
    "identity",
    "reporter_is_apprentice",
]
PATIENT_FIELDS = [
    "patient_is_child",
    "patient_name",
    "nhs_number",
    "patient_date_of_birth",
    "patient_address",
    "nature_of_risk",
    "consent",
    "local_authority_called",
    "local_authority_reference",
]


def _radios(label: str, choices, required_message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


class StartConcernForm(forms.Form):
    kind = _radios("What kind of concern is it?", Kind.choices, "Select what kind of concern it is")

    def __init__(self, *args, anonymous_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if anonymous_only:  # a crew's patient referral must be answerable, so it is never anonymous
            self.fields["kind"].choices = [c for c in Kind.choices if c[0] != Kind.PATIENT_SAFEGUARDING]


class RaiseConcernForm(forms.Form):
    """One form for every kind of concern; fields that do not belong to the kind are left out."""

    behaviour = _radios(
        "What did you experience or witness?", Behaviour.choices, "Select what you experienced or witnessed"
    )
    subject_type = _radios("Who or what is it about?", Subject.choices, "Select who or what it is about")
    colleague = forms.CharField(
        label="Their staff number or name",
        help_text="For example, N012345 or Sam Jones",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "Their staff number or name must be 100 characters or fewer"},
    )
    colleague_description = bounded_text(
        label="Describe them",
        help_text="If you do not know their name: for example, their job, station or shift",
        required=False,
        max_length=1000,
        rows=3,
    )

    patient_is_child = _radios(
        "Is the patient an adult or a child?",
        [("adult", "An adult"), ("child", "A child (under 18)")],
        "Select whether the patient is an adult or a child",
    )
    patient_name = forms.CharField(
        label="Patient's name",
        help_text="If you do not know it, write 'not known'",
        max_length=200,
        error_messages={
            "required": "Enter the patient's name",
            "max_length": "Patient's name must be 200 characters or fewer",
        },
    )
    nhs_number = NHSNumberField(
        label="NHS number (optional)", help_text="10 numbers, for example 943 476 5919", required=False
    )
    patient_date_of_birth = DateField(
        label="Date of birth", help_text="Optional. For example, 15 3 1984", required=False
    )
    patient_address = bounded_text(
        label="Where the patient lives",
        help_text="Their address. If they have no fixed address, say so and where you found them.",
        max_length=500,
        rows=3,
    )
    consent = _radios(
        "Did the patient agree to the referral?",
        PatientDetails.Consent.choices,
        "Select whether the patient agreed to the referral",
    )
    local_authority_called = _radios(
        "Have you already phoned the local authority about this patient?",
        [("yes", "Yes"), ("no", "No")],
        "Select whether you have already phoned the local authority",
        help_text="For example, the council's adult or children's social care duty team",
    )
    local_authority_reference = forms.CharField(
        label="If you phoned them: their reference (optional)",
        required=False,
        max_length=60,
        error_messages={"max_length": "Their reference must be 60 characters or fewer"},
    )

    occurred_on = DateField(
        label="Date it happened",
        help_text="Optional. For example, 27 3 2026. If you only know roughly, give your best guess and tick "
        "'The date is approximate'.",
        required=False,
    )
    occurred_on_is_approximate = forms.BooleanField(label="The date is approximate", required=False)

    identity = _radios("How do you want to be known?", Identity.choices, "Select how you want to be known")
    reporter_is_apprentice = forms.ChoiceField(
        label="If you stay anonymous: are you an apprentice? (optional)",
        help_text="This helps the trust see whether apprentices feel able to speak up. On its own it does "
        "not identify you. If you give your name, we do not ask: we know already.",
        choices=[("yes", "Yes"), ("no", "No"), ("rather_not_say", "I'd rather not say")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select yes, no or I'd rather not say"},
    )

    def __init__(
        self,
        *args,
        kind: str,
        stations: QuerySet[OrgUnit],
        colleagues: QuerySet[Person],
        anonymous_only: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.colleagues = colleagues
        # Sent without signing in: the form never says whether a name or staff number is on the staff list,
        # which would tell anyone on the internet who works here.
        self.anonymous_only = anonymous_only
        self.fields["station"] = PublicIdChoiceField(
            objects=stations,
            label="Where did it happen? (optional)",
            help_text="The station it happened at, or is about",
            blank="Not at a station, or I'd rather not say",
            required=False,
            refused="Select a station from the list",
        )
        # Built here rather than on the class so the limit follows the setting as it is now.
        limit = settings.CANDOUR_CONCERN_MAX_CHARACTERS
        self.fields["narrative"] = bounded_text(
            label="What happened",
            help_text="In your own words: what you saw or heard, and who was there. If you want to stay "
            "anonymous, leave out details that only you would know.",
            max_length=limit,
        )
        self.fields["nature_of_risk"] = bounded_text(
            label="The risk to the patient",
            help_text="Who or what puts them at risk, and how. Say if children or other adults are at risk "
            "too.",
            max_length=limit,
        )
        leave_out = set()
        if kind != Kind.EXPERIENCED:
            leave_out.add("behaviour")
        if kind in (Kind.LOW_LEVEL, Kind.PATIENT_SAFEGUARDING):
            leave_out.add("subject_type")  # a low-level concern is about a colleague; a referral, a patient
        if kind == Kind.PATIENT_SAFEGUARDING:
            # A crew's referral must be answerable, so it cannot be anonymous.
            leave_out |= {"colleague", "colleague_description", "reporter_is_apprentice"}
            self.fields["identity"].choices = [c for c in Identity.choices if c[0] != Identity.ANONYMOUS]
            self.fields["identity"].help_text = (
                "A patient referral cannot be anonymous: the safeguarding team may need to ask you about it "
                "quickly to keep the patient safe."
            )
            self.fields["narrative"].help_text = "What you saw or heard, and who was there."
        else:
            leave_out |= set(PATIENT_FIELDS)
        if anonymous_only:
            leave_out.add("identity")
            self.fields["colleague"].help_text = "For example, their name or staff number, if you know it"
        for name in leave_out:
            del self.fields[name]
        self.order_fields(PAGE_ORDER)

    @property
    def is_patient_referral(self) -> bool:
        return self.kind == Kind.PATIENT_SAFEGUARDING

    def clean(self):
        data = super().clean()
        if self.kind == Kind.LOW_LEVEL:
            data["subject_type"] = Subject.COLLEAGUE
        elif self.is_patient_referral:
            data["subject_type"] = Subject.PATIENT
        data["subject_person"] = None
        if data.get("subject_type") == Subject.COLLEAGUE:
            data["subject_person"] = self._colleague(data)
        else:
            data["colleague_description"] = ""
        if not data.get("occurred_on"):
            data["occurred_on_is_approximate"] = False
        if self.anonymous_only:
            data["identity"] = Identity.ANONYMOUS
        if data.get("identity") == Identity.ANONYMOUS:
            data["reporter_is_apprentice"] = APPRENTICE_ANSWERS.get(data.get("reporter_is_apprentice"))
        else:
            data["reporter_is_apprentice"] = None
        if data.get("local_authority_called") != "yes":
            data["local_authority_reference"] = ""
        return data

    def _colleague(self, data) -> Person | None:
        """The colleague named by staff number or full name, among the trust's current staff."""
        typed = " ".join(data.get("colleague", "").split())
        if not typed:
            if not data.get("colleague_description") and "colleague_description" not in self.errors:
                self.add_error("colleague", "Enter your colleague's staff number or name, or describe them")
            return None
        matches = list(
            self.colleagues.annotate(typed_name=Concat("given_name", Value(" "), "family_name")).filter(
                Q(staff_number__iexact=typed) | Q(typed_name__iexact=typed)
            )[:2]
        )
        if self.anonymous_only:
            # Linked when exactly one colleague matches (so patterns are still seen), and kept as typed
            # either way; whether it matched is never shown.
            description = data.get("colleague_description", "")
            data["colleague_description"] = f"{typed}\n{description}".strip() if description else typed
            return matches[0] if len(matches) == 1 else None
        if not matches:
            self.add_error(
                "colleague",
                "We could not find a colleague with that staff number or name. Check it, or describe them "
                "instead",
            )
            return None
        if len(matches) > 1:
            self.add_error(
                "colleague",
                "More than one colleague has that name. Enter their staff number, or describe them instead",
            )
            return None
        return matches[0]


class ReceiptCodeForm(forms.Form):
    # No length or format rule here: a malformed code gets the same answer as a wrong one, from the service.
    code = forms.CharField(
        label="Your code",
        help_text="The code you were given when you raised your concern. It looks like 7KQM-2HXD-…",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your code"},
    )


class ReplyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = bounded_text(
            label="Your message",
            help_text="Answer a question or tell us more.",
            max_length=settings.CANDOUR_CONCERN_MAX_CHARACTERS,
            rows=5,
        )


class SpeakUpAgainForm(forms.Form):
    answer = _radios(
        "Given your experience, would you speak up again?", SpeakUpAgain.choices, "Select an answer"
    )
