"""Fleet forms: they parse what was typed; the services judge it."""

import datetime as dt

from django import forms
from django.utils import timezone

from candour.core.forms import DateField, bounded_text
from candour.fleet import services
from candour.fleet.models import CleanType, FunctionalRisk, MaintenanceKind, Outcome, Shift


class ResultForm(forms.Form):
    """A maintenance result, as the engineer's or examiner's report gives it."""

    asset_tag = forms.CharField(
        label="Asset tag",
        max_length=50,
        help_text="As on the label, for example STR-0042",
        error_messages={"required": "Enter the asset tag"},
    )
    kind = forms.ChoiceField(
        label="What was done",
        choices=[("", "Choose one"), *MaintenanceKind.choices],
        error_messages={"required": "Choose what was done", "invalid_choice": "Choose what was done"},
    )
    # The service says what is wrong with a future date, so the form lets one through to it.
    done_on = DateField(
        label="Date it was done",
        allow_future=True,
        help_text="For example 27 3 2026",
        error_messages={"required": "Enter the date it was done"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose the outcome"},
    )
    advisories = bounded_text(label="Advisories", required=False, rows=3)
    defects = bounded_text(label="Defects found", required=False, rows=3)
    danger_to_people = forms.BooleanField(
        label="A LOLER defect that is or could become a danger to people (takes it out of service now)",
        required=False,
    )
    usage_reading = forms.IntegerField(
        label="Reading at the time (miles, hours or cycles)",
        required=False,
        min_value=0,
        help_text="Leave blank if the asset has no counter",
        error_messages={"invalid": "Enter the reading as a whole number", "min_value": "Enter 0 or more"},
    )
    next_due_on = DateField(
        label="Next due, if the report gives a date",
        allow_future=True,
        required=False,
        help_text="Leave blank to count the schedule's interval from the date it was done",
    )
    examiner = forms.CharField(label="Engineer or examiner", max_length=200, required=False)

    def result(self) -> services.Result:
        data = self.cleaned_data
        return services.Result(
            asset_tag=data["asset_tag"],
            kind=data["kind"],
            done_on=data["done_on"],
            outcome=data["outcome"],
            usage_reading=data["usage_reading"],
            advisories=data["advisories"],
            defects=data["defects"],
            danger_to_people=data["danger_to_people"],
            next_due_on=data["next_due_on"],
            examiner=data["examiner"],
        )


class QuarantineForm(forms.Form):
    reason = bounded_text(label="Why it is taken out of service", rows=3, max_length=2000)
    clears_with = forms.ChoiceField(
        label="What puts it back in service",
        required=False,
        choices=[],
        help_text="A passing result of this kind lifts the quarantine",
        error_messages={"invalid_choice": "Choose one from the list"},
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clears_with"].choices = [("", "Any passing result"), *kinds]


YES_NO = [("yes", "Yes"), ("no", "No")]


class VehicleCheckForm(forms.Form):
    """The daily check: the shift, and for each question of the vehicle type's checklist yes or no, a note
    for a no, and whether it makes the vehicle unsafe."""

    shift = forms.ChoiceField(
        label="Which shift is starting",
        choices=Shift.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the shift: day or night", "invalid_choice": "Choose the shift"},
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Choose yes or no"},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="If no, what is wrong",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "Keep the note to 2,000 characters or fewer"},
            )
            self.fields[f"unsafe_{item.pk}"] = forms.BooleanField(
                label="This makes the vehicle unsafe to use (it goes off road)", required=False
            )

    def sections(self) -> list[tuple[str, list]]:
        """The questions grouped by section, each as (answer, note, unsafe) bound fields."""
        grouped: dict[str, list] = {}
        for item in self.items:
            fields = (self[f"item_{item.pk}"], self[f"note_{item.pk}"], self[f"unsafe_{item.pk}"])
            grouped.setdefault(item.get_section_display(), []).append(fields)
        return list(grouped.items())

    def answers(self) -> dict[int, services.Answer]:
        data = self.cleaned_data
        return {
            item.pk: services.Answer(
                ok={"yes": True, "no": False}.get(data[f"item_{item.pk}"]),
                note=data[f"note_{item.pk}"],
                unsafe=data[f"unsafe_{item.pk}"],
            )
            for item in self.items
        }


class ClearDefectForm(forms.Form):
    how = bounded_text(label="How it was put right", rows=3, max_length=2000)


class NoticeForm(forms.Form):
    """A field safety notice or recall, as the manufacturer or the MHRA issued it."""

    reference = forms.CharField(
        label="Reference",
        max_length=50,
        help_text="The manufacturer's or MHRA's reference, for example FSN-2026-014",
        error_messages={"required": "Enter the notice's reference"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the title"})
    make = forms.CharField(
        label="Make it applies to", max_length=100, error_messages={"required": "Enter the make"}
    )
    model = forms.CharField(
        label="Model it applies to", max_length=100, error_messages={"required": "Enter the model"}
    )
    action_required = bounded_text(label="Action required", rows=4, max_length=4000)
    # The service says what is wrong with a future date, so the form lets one through to it.
    issued_on = DateField(
        label="Date issued",
        allow_future=True,
        help_text="For example 27 3 2026",
        error_messages={"required": "Enter the date it was issued"},
    )


class ActionNoticeForm(forms.Form):
    actioned_on = DateField(
        label="Date it was actioned",
        allow_future=True,
        help_text="For example 27 3 2026",
        error_messages={"required": "Enter the date it was actioned"},
    )
    note = bounded_text(label="What was done", rows=3, max_length=2000)


class CleanForm(forms.Form):
    """A clean of a vehicle, made for a phone: the type, the date and time it was done, and a note."""

    clean_type = forms.ChoiceField(
        label="Type of clean",
        choices=CleanType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of clean", "invalid_choice": "Choose the type of clean"},
    )
    # The service says what is wrong with a future time, so the form lets one through to it.
    done_on = DateField(
        label="Date it was done",
        allow_future=True,
        help_text="For example 27 3 2026",
        error_messages={"required": "Enter the date it was done"},
    )
    done_time = forms.TimeField(
        label="Time it was finished",
        help_text="For example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter the time it was finished", "invalid": "Enter a time like 14:30"},
    )
    note = bounded_text(label="Note", required=False, rows=2)

    def done_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["done_on"], data["done_time"]))


AUDIT_ROWS = 12
SWAB_ROWS = 4


class AuditForm(forms.Form):
    """A cleanliness audit: where, its functional risk category, each element passed or failed (a failed one
    with its action and owner), and any ATP swab readings. Blank rows are left out."""

    where = forms.ChoiceField(
        label="What was audited", error_messages={"required": "Choose what was audited"}
    )
    functional_risk = forms.ChoiceField(
        label="Functional risk category",
        choices=[("", "Choose one"), *FunctionalRisk.choices],
        error_messages={"required": "Choose the functional risk category"},
    )
    audited_on = DateField(
        label="Date of the audit",
        allow_future=True,
        error_messages={"required": "Enter the date of the audit"},
    )

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [("", "Choose one"), *places]
        for row in range(1, AUDIT_ROWS + 1):
            self.fields[f"element_{row}"] = forms.CharField(
                label=f"Element {row}", max_length=200, required=False
            )
            self.fields[f"result_{row}"] = forms.ChoiceField(
                label=f"Element {row} result",
                choices=[("", "Not scored"), ("pass", "Pass"), ("fail", "Fail")],
                required=False,
            )
            self.fields[f"action_{row}"] = forms.CharField(
                label=f"Element {row} action", max_length=2000, required=False
            )
            self.fields[f"owner_{row}"] = forms.CharField(
                label=f"Element {row} action owner", max_length=200, required=False
            )
        for row in range(1, SWAB_ROWS + 1):
            self.fields[f"swab_{row}"] = forms.CharField(
                label=f"Swab {row} surface", max_length=200, required=False
            )
            self.fields[f"rlu_{row}"] = forms.IntegerField(
                label=f"Swab {row} reading (RLU)",
                min_value=0,
                required=False,
                error_messages={"invalid": "Enter the reading as a whole number"},
            )

    def clean(self):
        data = super().clean()
        for row in range(1, SWAB_ROWS + 1):
            surface, reading = data.get(f"swab_{row}", ""), data.get(f"rlu_{row}")
            if surface and surface.strip() and reading is None and f"rlu_{row}" not in self.errors:
                self.add_error(f"rlu_{row}", f"Enter the reading of the swab of {surface.strip()}")
            elif reading is not None and not (surface or "").strip():
                self.add_error(f"swab_{row}", f"Enter the surface swabbed for the reading of {reading} RLU")
        return data

    def element_rows(self):
        return [
            (self[f"element_{row}"], self[f"result_{row}"], self[f"action_{row}"], self[f"owner_{row}"])
            for row in range(1, AUDIT_ROWS + 1)
        ]

    def swab_rows(self):
        return [(self[f"swab_{row}"], self[f"rlu_{row}"]) for row in range(1, SWAB_ROWS + 1)]

    def elements(self) -> list[services.Element]:
        data = self.cleaned_data
        found = []
        for row in range(1, AUDIT_ROWS + 1):
            result = data[f"result_{row}"]
            if not data[f"element_{row}"].strip():
                continue
            found.append(
                services.Element(
                    name=data[f"element_{row}"],
                    passed=None if not result else result == "pass",
                    action=data[f"action_{row}"],
                    action_owner=data[f"owner_{row}"],
                )
            )
        return found

    def swabs(self) -> list[services.Swab]:
        data = self.cleaned_data
        return [
            services.Swab(data[f"swab_{row}"], data[f"rlu_{row}"])
            for row in range(1, SWAB_ROWS + 1)
            if data[f"swab_{row}"].strip() and data[f"rlu_{row}"] is not None
        ]
