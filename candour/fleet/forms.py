"""Fleet forms: they parse what was typed; the services judge it."""

from django import forms

from candour.core.forms import DateField, bounded_text
from candour.fleet import services
from candour.fleet.models import MaintenanceKind, Outcome


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
