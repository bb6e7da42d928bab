"""Fleet forms: they parse what was typed; the services judge it."""

from django import forms

from candour.core.forms import DateField, bounded_text
from candour.fleet import services
from candour.fleet.models import MaintenanceKind, Outcome, Shift


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
