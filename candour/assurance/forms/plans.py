"""Assurance forms: action plans. Validation only; every choice is limited to what the user may use, and the
service checks the same rules again before it writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from candour.assurance.models import ActionPlan, FindingSource, MonitoringTheme, QualityStatement
from candour.assurance.queries import plans as queries
from candour.assurance.services.plans import source_problems
from candour.assurance.status import direction_problem, milestone_problem
from candour.core.forms import DateField, bounded_text
from candour.core.measures import Direction
from candour.people.models import CoreService

TITLE_LENGTH = 200


class ObjectChoiceField(forms.ChoiceField):
    """One of the given objects, as a select (or radios), chosen by public id; cleans to the object.

    Only what was offered can be chosen, so an object outside the user's scope is refused here too."""

    def __init__(self, *, objects, label_of=str, blank: str = "", refused: str, **kwargs):
        self.objects = {str(obj.public_id): obj for obj in objects}
        choices = [(key, label_of(obj)) for key, obj in self.objects.items()]
        if blank:
            choices = [("", blank), *choices]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", refused)
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class UserChoiceField(forms.ChoiceField):
    """One of the given (user, label) pairs, chosen by the user's public id."""

    def __init__(self, *, choices_of_users, refused: str, **kwargs):
        self.users = {str(user.public_id): user for user, _ in choices_of_users}
        choices = [
            ("", "Choose a person"),
            *((str(user.public_id), label) for user, label in choices_of_users),
        ]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", refused)
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.users.get(value) if value else None


def title_field(label: str = "Title", what: str = "a title") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TITLE_LENGTH,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"The {label.lower()} must be {TITLE_LENGTH} characters or fewer",
        },
    )


def number_field(label: str, *, what: str, required: bool = True, help_text: str = "") -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a number, for example 90",
        },
    )


class MeasureChoiceField(forms.ChoiceField):
    """A registered measure's key. The list offers those that can show success; any other key is checked in
    the form's `clean_measure_key`, so that it is refused with the reason (unknown, or no direction)."""

    def valid_value(self, value) -> bool:
        return True


class PlanForm(forms.Form):
    title = title_field(what="a title for the plan")
    finding = bounded_text(
        label="The finding",
        help_text="What was found, in the words of the source: the inspection report, the monitoring visit, "
        "the flag or the risk.",
    )
    source = forms.ChoiceField(
        label="Where the finding came from",
        choices=FindingSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the finding came from"},
    )

    def __init__(self, *args, units, owners, risks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quality_statement"] = ObjectChoiceField(
            objects=QualityStatement.objects.order_by("display_order"),
            label_of=lambda s: f"{s.get_key_question_display()}: {s.title}",
            blank="Choose a quality statement",
            label="Quality statement",
            help_text="For an inspection finding or a candour-gap flag.",
            required=False,
            refused="Choose a quality statement from the list",
        )
        self.fields["core_service"] = ObjectChoiceField(
            objects=CoreService.objects.order_by("name"),
            blank="The whole trust",
            label="Core service (optional)",
            help_text="For an inspection finding or a candour-gap flag about one core service.",
            required=False,
            refused="Choose a core service from the list",
        )
        self.fields["monitoring_theme"] = ObjectChoiceField(
            objects=MonitoringTheme.objects.order_by("display_order"),
            blank="Choose a theme",
            label="Monitoring-visit theme",
            help_text="For an Ofsted monitoring-visit theme.",
            required=False,
            refused="Choose a theme from the list",
        )
        self.fields["risk"] = ObjectChoiceField(
            objects=risks,
            label_of=lambda r: f"{r.reference} {r.title}",
            blank="Choose a risk",
            label="Risk",
            help_text="For a risk on the register.",
            required=False,
            refused="Choose a risk from the list: you can only answer risks you can see",
        )
        self.fields["unit"] = ObjectChoiceField(
            objects=units,
            label_of=lambda u: f"{u.name} ({u.get_kind_display().lower()})",
            blank="Choose where the plan applies" if len(units) > 1 else "",
            label="Where the plan applies",
            help_text="Its actions' measures are read for here.",
            refused="Choose from the list: you can only set plans where you manage them",
            error_messages={"required": "Choose where the plan applies"},
        )
        self.fields["owner"] = UserChoiceField(
            choices_of_users=owners,
            label="Accountable owner",
            help_text="The leader answerable for the plan as a whole.",
            refused="Choose the owner from the list",
            error_messages={"required": "Choose the accountable owner"},
        )
        self.order_fields(
            ["title", "finding", "source", "quality_statement", "core_service", "monitoring_theme", "risk"]
        )

    def clean(self):
        data = super().clean()
        if "source" in data:
            for name, message in source_problems(
                source=data["source"],
                quality_statement=data.get("quality_statement"),
                monitoring_theme=data.get("monitoring_theme"),
                risk=data.get("risk"),
            ).items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    @staticmethod
    def initial_for(plan: ActionPlan) -> dict:
        return {
            "title": plan.title,
            "finding": plan.finding,
            "source": plan.source,
            "quality_statement": str(plan.quality_statement.public_id) if plan.quality_statement_id else "",
            "core_service": str(plan.core_service.public_id) if plan.core_service_id else "",
            "monitoring_theme": str(plan.monitoring_theme.public_id) if plan.monitoring_theme_id else "",
            "risk": str(plan.risk.public_id) if plan.risk_id else "",
            "unit": str(plan.unit.public_id),
            "owner": str(plan.owner.public_id),
        }


class ActionForm(forms.Form):
    """A SMART action: what, who, when, and the measure that shows it worked."""

    title = title_field(what="what the action is")
    description = bounded_text(
        label="Description (optional)",
        required=False,
        rows=4,
        help_text="How it will be done, and by whom beyond the owner.",
    )
    starts_on = DateField(
        label="Start date",
        allow_future=True,
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the start date"},
    )
    due_on = DateField(
        label="Due date",
        allow_future=True,
        help_text="For example, 30 9 2026",
        error_messages={"required": "Enter the due date"},
    )
    measure_key = MeasureChoiceField(
        label="Success measure",
        help_text="The registered measure that shows whether the action worked. It is read for the plan's "
        "unit each month.",
        error_messages={"required": "Choose the success measure"},
    )
    target = number_field("Target", what="target")
    baseline = number_field(
        "Baseline (optional)",
        what="baseline",
        required=False,
        help_text="The measure's value when the action starts. Leave it blank to use its latest monthly "
        "value.",
    )

    def __init__(self, *args, plan: ActionPlan, owners, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.milestones = list(milestones)
        self.measures = {measure.key: measure for measure in queries.success_measures()}
        self.fields["measure_key"].choices = [("", "Choose a measure")] + [
            (key, f"{measure.title} ({Direction(measure.direction).label.lower()}, {measure.unit})")
            for key, measure in self.measures.items()
        ]
        self.fields["owner"] = UserChoiceField(
            choices_of_users=owners,
            label="Owner",
            help_text="The person who will make it happen and keep it up to date.",
            refused="Choose the owner from the list",
            error_messages={"required": "Choose the owner"},
        )
        self.order_fields(["title", "description", "owner", "starts_on", "due_on", "measure_key"])

    def clean_measure_key(self):
        key = self.cleaned_data["measure_key"]
        measure = queries.measure_or_none(key)
        if measure is None or key.startswith(queries.PLAN_MEASURE_PREFIX):
            raise ValidationError(
                f"No measure is registered with the key “{key}”: choose a measure from the list"
            )
        if Direction(measure.direction) == Direction.NEITHER:
            raise ValidationError(
                direction_problem(
                    title=measure.title,
                    direction=measure.direction,
                    baseline=None,
                    target=0,
                    unit=measure.unit,
                )
            )
        return key

    def clean(self):
        data = super().clean()
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on:
            if due_on < starts_on:
                self.add_error("due_on", "The due date must be on or after the start date")
            else:
                for milestone in self.milestones:
                    problem = milestone_problem(
                        due_on=milestone.due_on,
                        starts_on=starts_on,
                        action_due_on=due_on,
                        title=milestone.title,
                    )
                    if problem:
                        self.add_error("due_on", problem)
        key, target = data.get("measure_key"), data.get("target")
        if key and target is not None:
            measure = queries.measure_or_none(key)
            baseline, from_month = data.get("baseline"), None
            if baseline is None:
                latest = queries.latest_value(key, self.plan.unit, timezone.localdate())
                if latest is None:
                    self.add_error(
                        "baseline",
                        f"There is no recorded value of this measure for {self.plan.unit.name} yet: "
                        "enter the baseline, the value when the action starts",
                    )
                    return data
                baseline, from_month = latest
                data["baseline"] = baseline
            problem = direction_problem(
                title=measure.title,
                direction=measure.direction,
                baseline=baseline,
                target=target,
                unit=measure.unit,
            )
            if problem:
                if from_month:
                    problem += f" (its value for {self.plan.unit.name} in {from_month:%B %Y})"
                self.add_error("target", problem)
        return data

    def action_fields(self) -> dict:
        data = self.cleaned_data
        names = ("title", "description", "owner", "starts_on", "due_on", "measure_key", "target", "baseline")
        return {name: data[name] for name in names}

    @staticmethod
    def initial_for(action) -> dict:
        return {
            "title": action.title,
            "description": action.description,
            "owner": str(action.owner.public_id),
            "starts_on": action.starts_on,
            "due_on": action.due_on,
            "measure_key": action.measure_key,
            "target": action.target,
            "baseline": action.baseline,
        }


class MilestoneForm(forms.Form):
    title = title_field(what="what the milestone is")
    due_on = DateField(
        label="Due date",
        allow_future=True,
        help_text="Between the action's start and due dates. For example, 30 6 2026",
        error_messages={"required": "Enter the milestone's due date"},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        problem = milestone_problem(
            due_on=due_on, starts_on=self.action.starts_on, action_due_on=self.action.due_on
        )
        if problem:
            raise ValidationError(problem)
        return due_on


class EvidenceForm(forms.Form):
    description = bounded_text(
        label="What the evidence shows",
        rows=4,
        help_text="For example, the attendance register for the level 3 safeguarding sessions in May. "
        "Do not include patients' or staff members' personal details.",
    )
    location = forms.CharField(
        label="Where to find it (optional)",
        max_length=500,
        required=False,
        help_text="A link, or a document's reference in the trust's records system.",
        error_messages={"max_length": "Where to find it must be 500 characters or fewer"},
    )


class CompleteForm(forms.Form):
    """Nothing to fill in for a complete action with its evidence and measure; a reason to close it anyway,
    for those who may."""

    def __init__(self, *args, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_override:
            self.fields["override_reason"] = bounded_text(
                label="Reason to close it without its evidence or target (optional)",
                required=False,
                rows=4,
                help_text="Only if the action should close even though there is no evidence, or its measure "
                "is not at target. The reason is kept with the action and shown on the plan.",
            )


class ReopenForm(forms.Form):
    reason = bounded_text(label="Why it is being reopened", rows=4)
