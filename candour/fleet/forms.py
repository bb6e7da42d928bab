"""Fleet forms: they parse what was typed; the services judge it."""

import datetime as dt

from django import forms
from django.utils import timezone

from candour.core.forms import DateField, PublicIdChoiceField, bounded_text
from candour.fleet import services
from candour.fleet.models import BariatricOutcome, CleanType, FunctionalRisk, MaintenanceKind, Outcome, Shift


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


# Bariatric provision


def _whole(label: str, *, unit: str, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=f"In {unit}",
        error_messages={
            "invalid": f"Enter the {label.lower()} as a whole number of {unit}",
            "min_value": f"Enter the {label.lower()} as 0 or more",
            "required": f"Enter the {label.lower()}",
        },
    )


class CapabilityForm(forms.Form):
    """What a vehicle or piece of equipment can take, from its manufacturer's rating."""

    safe_working_load_kg = _whole("Safe working load", unit="kg")
    max_patient_width_cm = _whole("Widest patient it takes", unit="cm")


class CapabilitySearchForm(forms.Form):
    """The patient to find a vehicle or equipment for (a GET form: blank shows everything)."""

    weight_kg = _whole("Patient's weight", unit="kg")
    width_cm = _whole("Patient's width", unit="cm")


class PartnerForm(forms.Form):
    name = forms.CharField(
        label="Provider", max_length=200, error_messages={"required": "Enter the provider's name"}
    )
    capacity = forms.IntegerField(
        label="Bariatric vehicles or crews it can send at once",
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many bariatric vehicles or crews it can send",
            "invalid": "Enter how many it can send as a whole number",
            "min_value": "Enter how many it can send: at least 1",
        },
    )
    safe_working_load_kg = _whole("Safe working load", unit="kg")
    contact = forms.CharField(
        label="How to reach it",
        max_length=200,
        help_text="A phone number or the desk to call",
        error_messages={"required": "Enter how to reach the provider"},
    )


def _time(label: str, *, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text="For example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a time like 14:30"},
    )


# The moments of a request: (date field, time field, what it is in a message).
MOMENTS = {
    "requested_at": ("requested_on", "requested_time", "request"),
    "assigned_at": ("assigned_on", "assigned_time", "resource being assigned"),
    "on_scene_at": ("on_scene_on", "on_scene_time", "resource being on scene"),
}


class BariatricRequestForm(forms.Form):
    """An incident's bariatric request: where, when it was asked for, and as much as is known of how it
    went. A new request names the station and incident; an update gives only what followed."""

    station = PublicIdChoiceField(
        objects=[],
        label="Station the incident is at",
        blank="Choose one",
        error_messages={"required": "Choose the station the incident is at"},
    )
    incident_reference = forms.CharField(
        label="Incident number",
        max_length=40,
        help_text="As the CAD gives it",
        error_messages={"required": "Enter the incident number"},
    )
    # The service says what is wrong with a future time, so the form lets one through to it.
    requested_on = DateField(
        label="Date it was requested",
        allow_future=True,
        error_messages={"required": "Enter the date it was requested"},
    )
    requested_time = _time("Time it was requested", required=True)
    resource = forms.ChoiceField(label="Resource assigned", required=False, choices=[])
    assigned_on = DateField(label="Date it was assigned", allow_future=True, required=False)
    assigned_time = _time("Time it was assigned")
    on_scene_on = DateField(label="Date it was on scene", allow_future=True, required=False)
    on_scene_time = _time("Time it was on scene")
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Not known yet"), *BariatricOutcome.choices],
        error_messages={"invalid_choice": "Choose the outcome from the list"},
    )
    note = bounded_text(label="Note", required=False, rows=3, max_length=2000)

    def __init__(self, *args, stations=None, vehicles, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = stations is not None
        if self.creating:
            self.fields["station"] = PublicIdChoiceField(
                objects=stations,
                label_of=lambda station: station.name,
                label="Station the incident is at",
                blank="Choose one",
                error_messages={"required": "Choose the station the incident is at"},
            )
        else:
            for name in ("station", "incident_reference", "requested_on", "requested_time"):
                del self.fields[name]
        self.vehicles = {f"vehicle:{vehicle.public_id}": vehicle for vehicle in vehicles}
        self.partners = {f"partner:{partner.public_id}": partner for partner in partners}
        self.fields["resource"].choices = [
            ("", "None yet"),
            *(
                (key, f"{vehicle.call_sign} ({vehicle.station.name})")
                for key, vehicle in self.vehicles.items()
            ),
            *((key, f"{partner.name} (partner)") for key, partner in self.partners.items()),
        ]
        self.fields["resource"].error_messages["invalid_choice"] = "Choose the resource from the list"

    def clean(self):
        data = super().clean()
        for day_field, time_field, what in MOMENTS.values():
            if day_field not in self.fields:
                continue
            day, time = data.get(day_field), data.get(time_field)
            if day and time is None and time_field not in self.errors:
                self.add_error(time_field, f"Enter the time of the {what}")
            elif time is not None and not day and day_field not in self.errors:
                self.add_error(day_field, f"Enter the date of the {what}")
        return data

    def moment(self, name: str) -> dt.datetime | None:
        day_field, time_field, _ = MOMENTS[name]
        day, time = self.cleaned_data.get(day_field), self.cleaned_data.get(time_field)
        if not day or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def progress(self) -> services.Progress:
        resource = self.cleaned_data["resource"]
        return services.Progress(
            assigned_at=self.moment("assigned_at"),
            on_scene_at=self.moment("on_scene_at"),
            vehicle=self.vehicles.get(resource),
            partner=self.partners.get(resource),
            outcome=self.cleaned_data["outcome"],
            note=self.cleaned_data["note"],
        )

    @staticmethod
    def initial_for(request) -> dict:
        """An existing request's progress as the form's starting values."""
        initial = {"outcome": request.outcome, "note": request.note}
        if request.vehicle_id:
            initial["resource"] = f"vehicle:{request.vehicle.public_id}"
        elif request.partner_id:
            initial["resource"] = f"partner:{request.partner.public_id}"
        for name, (day_field, time_field, _) in MOMENTS.items():
            when = getattr(request, name)
            if when is not None:
                local = timezone.localtime(when)
                initial[day_field], initial[time_field] = local.date(), local.strftime("%H:%M")
        return initial


class ReviewForm(forms.Form):
    note = bounded_text(label="What the review found", rows=4, max_length=4000)
