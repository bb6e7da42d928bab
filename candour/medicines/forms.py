"""Medicines forms. Parsing only: the services decide what may be written and say why not."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from candour.core.forms import DateField, PublicIdChoiceField, bounded_text
from candour.medicines.models import DiscrepancyCategory, EntryKind, OnwardBody, Premises
from candour.medicines.services import Movement

SINGLE_KIND_CHOICES = [
    (EntryKind.RECEIVED, "Received from a pharmacy or supplier"),
    (EntryKind.ADMINISTERED, "Administered to a patient"),
    (EntryKind.SUPPLIED, "Supplied for a patient (collected by someone)"),
    (EntryKind.RETURNED, "Returned to pharmacy"),
    (EntryKind.WASTED, "Wasted: a part-used dose or a dropped ampoule, denatured (witnessed)"),
    (EntryKind.DESTROYED, "Destroyed: expired or unusable stock (authorised witness)"),
]
YES_NO = [("", "Not a supply"), ("yes", "Yes"), ("no", "No")]


def _line(label: str, *, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _count(label: str, *, minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a whole number",
            "min_value": f"The {label.lower()} must be {minimum} or more",
            "max_value": f"The {label.lower()} must be 100,000 or fewer",
        },
    )


def _drug_field(drugs) -> PublicIdChoiceField:
    return PublicIdChoiceField(
        objects=drugs,
        label="Drug, strength and form",
        blank="Choose a drug",
        error_messages={"required": "Choose the drug, strength and form"},
    )


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class WitnessFields(forms.Form):
    """The witness signs in here themselves: their email address, password and, when their role needs one,
    their sign-in code."""

    witness_email = forms.CharField(
        label="Witness's email address", max_length=254, required=False, help_text="The witness types this"
    )
    witness_password = forms.CharField(
        label="Witness's password", max_length=200, required=False, widget=forms.PasswordInput
    )
    witness_code = _line(
        "Witness's sign-in code",
        max_length=20,
        help_text="Only if the witness signs in with a code from an app",
    )

    def witness_sign_in(self) -> dict:
        data = self.cleaned_data
        return {
            "email": data["witness_email"],
            "password": data["witness_password"],
            "code": data["witness_code"],
        }


WITNESS = ["witness_email", "witness_password", "witness_code"]


class EntryForm(WitnessFields):
    field_order = ["drug", "kind", "quantity", "occurred_on", "party_name", "party_address", "batch"]
    field_order += ["expires_on"]
    field_order += ["incident_reference", "authority", "dose", "collected_by", "id_requested", "id_shown"]
    field_order += [*WITNESS, "late_reason", "remarks"]

    kind = forms.ChoiceField(
        label="What happened",
        choices=SINGLE_KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened to the drugs"},
    )
    quantity = _count("Quantity")
    occurred_on = DateField(label="Date", help_text="The day the drugs moved. For example, 27 3 2026")
    party_name = _line("Received from, or returned to", help_text="The pharmacy or supplier's name")
    party_address = _line("Their address", max_length=300)
    batch = _line(
        "Batch number",
        max_length=40,
        help_text="As printed on the pack. For a destruction or a return, the batch that went, if known",
    )
    expires_on = DateField(
        label="Expiry date",
        required=False,
        allow_future=True,
        help_text="As printed on the pack, for stock received. For example, 31 8 2027",
    )
    incident_reference = _line("Patient's incident reference", max_length=40)
    authority = _line("Authority", help_text="For example, the paramedic's exemption or the prescriber")
    dose = _line("Dose given or denatured", max_length=60, help_text="For example, 5 mg")
    collected_by = _line("Collected by", help_text="Only for a supply someone collected")
    id_requested = forms.ChoiceField(
        label="Was the person collecting asked for ID?", choices=YES_NO, required=False
    )
    id_shown = forms.ChoiceField(label="Did they show ID?", choices=YES_NO, required=False)
    late_reason = bounded_text(label="Why this is recorded late", required=False, max_length=1000, rows=2)
    remarks = bounded_text(label="Remarks", required=False, max_length=1000, rows=2)

    def __init__(self, *args, drugs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"] = _drug_field(drugs)
        self.order_fields(self.field_order)
        self.fields["occurred_on"].initial = timezone.localdate()

    def movement(self) -> Movement:
        data = self.cleaned_data
        return Movement(
            kind=data["kind"],
            quantity=data["quantity"],
            occurred_on=data["occurred_on"],
            party_name=data["party_name"],
            party_address=data["party_address"],
            incident_reference=data["incident_reference"],
            authority=data["authority"],
            dose=data["dose"],
            collected_by=data["collected_by"],
            batch=data["batch"],
            expires_on=data["expires_on"],
            id_requested=_yes_no(data["id_requested"]),
            id_shown=_yes_no(data["id_shown"]),
            late_reason=data["late_reason"],
            remarks=data["remarks"],
        )


class TransferForm(WitnessFields):
    late_reason = bounded_text(label="Why this is recorded late", required=False, max_length=1000, rows=2)
    remarks = bounded_text(label="Remarks", required=False, max_length=1000, rows=2)

    def __init__(self, *args, drugs, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            "drug": _drug_field(drugs),
            "to_premises": PublicIdChoiceField(
                objects=destinations,
                label="Transferred to",
                blank="Choose where the drugs went",
                error_messages={"required": "Choose where the drugs went"},
            ),
            "quantity_sent": _count("Quantity sent", minimum=1),
            "quantity_received": _count("Quantity received", minimum=1),
            "occurred_on": DateField(label="Date", help_text="For example, 27 3 2026"),
        }
        self.fields = {**fields, **self.fields}
        self.order_fields([*fields, *WITNESS, "late_reason", "remarks"])
        self.fields["occurred_on"].initial = timezone.localdate()

    def transfer(self) -> dict:
        data = self.cleaned_data
        names = ("drug", "to_premises", "quantity_sent", "quantity_received", "occurred_on", "late_reason")
        return {name: data[name] for name in (*names, "remarks")}


class CorrectionForm(forms.Form):
    adjustment = forms.IntegerField(
        label="Change to the balance",
        min_value=-100_000,
        max_value=100_000,
        help_text="What the balance was out by: -1 if there was one fewer, 0 if only a detail was wrong",
        error_messages={
            "required": "Enter the change to the balance (0 if none)",
            "invalid": "Enter a whole number, such as -1, 0 or 2",
        },
    )
    reason = bounded_text(label="What was wrong, and what is right", max_length=1000, rows=3)
    incident_reference = _line(
        "The right incident reference",
        max_length=40,
        help_text="Only if the line names the wrong incident: its patient record match moves to this one",
    )


class DateRangeForm(forms.Form):
    """The dates a register page or its download covers (both optional; inclusive)."""

    starts_on = DateField(label="From", required=False)
    ends_on = DateField(label="To", required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("The end date must be on or after the start date")
        return data

    def dates(self) -> tuple:
        if not self.is_valid():
            return None, None
        return self.cleaned_data["starts_on"], self.cleaned_data["ends_on"]


class PremisesForm(forms.Form):
    kind = forms.ChoiceField(
        label="What it is",
        choices=Premises.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the premises are"},
    )
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="As it is known on station, for example Ashby safe or Pouch 7",
        error_messages={
            "required": "Enter the name of the premises",
            "max_length": "Enter 120 characters or fewer",
        },
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "unit": PublicIdChoiceField(
                objects=units,
                label="Station or area",
                blank="Choose where it is",
                error_messages={"required": "Choose the station or area it belongs to"},
            ),
            **self.fields,
        }


class PartForm(forms.Form):
    def __init__(self, *args, drugs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"] = _drug_field(drugs)


class StockCountForm(forms.Form):
    """A blind count: one box per part being counted, named by the part, and nothing of the balance."""

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = list(parts)
        for part in self.parts:
            field = _count(f"{part.drug.unit_name.capitalize()}s of {part.drug} counted")
            self.fields[str(part.public_id)] = field

    def counted(self) -> dict:
        return {part: self.cleaned_data[str(part.public_id)] for part in self.parts}


class DiscrepancyForm(forms.Form):
    category = forms.ChoiceField(
        label="What kind of discrepancy",
        choices=DiscrepancyCategory.choices,
        error_messages={"required": "Choose what kind of discrepancy this is"},
    )
    notes = bounded_text(label="Investigation notes", max_length=4000, required=False, rows=5)
    resolve = forms.BooleanField(
        label="The investigation is finished: resolve the discrepancy", required=False
    )
    outcome = bounded_text(
        label="Outcome", max_length=2000, required=False, rows=3, help_text="Needed to resolve it"
    )


class OnwardReportForm(forms.Form):
    body = forms.ChoiceField(
        label="Reported to",
        choices=OnwardBody.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who it was reported to"},
    )
    reported_on = DateField(label="Date reported", help_text="For example, 27 3 2026")
    reference = forms.CharField(
        label="Their reference",
        max_length=80,
        help_text="The reference or log number the body gave the report",
        error_messages={
            "required": "Enter the reference the body gave the report (or a log number)",
            "max_length": "Enter the reference in 80 characters or fewer",
        },
    )
    outcome = bounded_text(
        label="Outcome", max_length=2000, required=False, rows=3, help_text="If it is known already"
    )


class OnwardOutcomeForm(forms.Form):
    outcome = bounded_text(label="What came of the report", max_length=2000, rows=4)
