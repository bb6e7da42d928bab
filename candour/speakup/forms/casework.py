"""Validation for case-work pages. The services decide what a case's rules allow; these check the input."""

from __future__ import annotations

from django import forms

from candour.core.forms import DateField, PublicIdChoiceField, PublicIdMultipleChoiceField, bounded_text
from candour.people.models import User
from candour.speakup.models import Category, Entry, Referral, Status, Threshold
from candour.speakup.queries import day, inbox
from candour.speakup.services import CLOSURE_REASONS

FEEDBACK_SUGGESTION = (
    "Thank you for speaking up. We have finished looking into what you told us.\n\n"
    "We would like to ask you one question: given your experience, would you speak up again? "
    "Your answer helps us make speaking up safer for everyone."
)


# Someone not offered (conflicted, off the team, or gone since the page loaded) gets the same plain answer.
NOT_OFFERED = "Choose someone from the list"


def _person(*, users: list[User], **kwargs) -> PublicIdChoiceField:
    return PublicIdChoiceField(
        objects=users, label_of=lambda user: user.display_name, refused=NOT_OFFERED, **kwargs
    )


def _people(*, users: list[User], **kwargs) -> PublicIdMultipleChoiceField:
    return PublicIdMultipleChoiceField(
        objects=users, label_of=lambda user: user.display_name, refused=NOT_OFFERED, **kwargs
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All open cases"), *Status.choices]
    )
    category = forms.ChoiceField(
        label="Main category", required=False, choices=[("", "Any category"), *Category.choices]
    )
    triage = forms.ChoiceField(
        label="Triage",
        required=False,
        choices=[
            ("", "Any"),
            (inbox.TRIAGE_OVERDUE, "Waiting for triage, overdue"),
            (inbox.TRIAGE_WAITING, "Waiting for triage, not yet due"),
        ],
    )
    messages = forms.ChoiceField(
        label="Messages",
        required=False,
        choices=[("", "Any"), (inbox.NEW_MESSAGES, "A new message from the person who raised it")],
    )


class TaskFilterForm(forms.Form):
    owner = forms.ChoiceField(
        label="Whose tasks", required=False, choices=[("", "Everyone's"), (day.MINE, "Only mine")]
    )
    due = forms.ChoiceField(
        label="Due",
        required=False,
        choices=[
            ("", "Any time"),
            (day.OVERDUE, "Overdue"),
            (day.DUE_BY_TODAY, "Today or overdue"),
            (day.DUE_THIS_WEEK, "Within 7 days, or overdue"),
        ],
    )


class TriageForm(forms.Form):
    primary_category = forms.ChoiceField(
        label="Main category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the main category"},
    )
    secondary_categories = forms.MultipleChoiceField(
        label="Other categories that apply (optional)",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threshold = forms.ChoiceField(
        label="Does it meet the harm threshold?",
        choices=Threshold.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it meets the harm threshold"},
    )

    def __init__(self, *args, workers: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _person(
            label="Case owner",
            users=workers,
            blank="Choose the case owner",
            error_messages={"required": "Choose the case owner"},
        )
        self.fields["team"] = _people(
            label="Case team (optional)",
            users=workers,
            required=False,
            help_text="The owner is always on the team. People the concern is about, and their line "
            "managers, are not listed.",
        )
        self.fields["reason"] = bounded_text(
            label="Why you decided this",
            max_length=2000,
            rows=4,
            help_text="The category and the harm threshold, and anything that weighed in them. This goes "
            "into the chronology with your decision.",
        )
        self.order_fields(
            ["primary_category", "secondary_categories", "threshold", "reason", "owner", "team"]
        )


class AddEntryForm(forms.Form):
    type = forms.ChoiceField(
        label="What are you recording?",
        choices=[
            (Entry.Type.NOTE, "A note"),
            (Entry.Type.ACTION, "An action taken"),
            (Entry.Type.DECISION, "A decision"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are recording"},
    )
    event_on = DateField(
        label="Date it happened",
        help_text="For example, 27 3 2026. This may be before today.",
        error_messages={"required": "Enter the date it happened"},
    )
    body = bounded_text(label="Details")


class CorrectEntryForm(forms.Form):
    body = bounded_text(label="Corrected text")
    reason = bounded_text(label="Reason for the correction", max_length=1000, rows=3)


class MessageReporterForm(forms.Form):
    body = bounded_text(label="Your message")


class AddTaskForm(forms.Form):
    title = forms.CharField(
        label="Task",
        max_length=200,
        error_messages={
            "required": "Enter the task",
            "max_length": "The task must be 200 characters or fewer",
        },
    )
    due_on = DateField(
        label="Due date",
        allow_future=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args, team: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _person(
            label="Who will do it",
            users=team,
            blank="Choose someone on the case team",
            error_messages={"required": "Choose who will do it"},
        )


class AddTeamMemberForm(forms.Form):
    def __init__(self, *args, candidates: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = _person(
            label="Who to add",
            users=candidates,
            blank="Choose a person",
            help_text="People the concern is about, and their line managers, are not listed.",
            error_messages={"required": "Choose who to add"},
        )


class AddReferralForm(forms.Form):
    agency = forms.ChoiceField(
        label="Referred to",
        choices=Referral.Agency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who it was referred to"},
    )
    referred_on = DateField(
        label="Date referred",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date referred"},
    )
    their_reference = forms.CharField(
        label="Their reference (optional)",
        max_length=60,
        required=False,
        error_messages={"max_length": "Their reference must be 60 characters or fewer"},
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did they decide?",
        choices=[choice for choice in Referral.Outcome.choices if choice[0] != Referral.Outcome.AWAITING],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they decided"},
    )
    outcome_on = DateField(
        label="Date of their decision",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of their decision"},
    )


class ChangeStatusForm(forms.Form):
    note = bounded_text(label="Note (optional)", required=False, max_length=1000, rows=3)

    def __init__(self, *args, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"] = forms.ChoiceField(
            label="New status",
            choices=[(status, Status(status).label) for status in moves],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the new status"},
        )
        self.order_fields(["to", "note"])


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=list(CLOSURE_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )
    outcome = bounded_text(
        label="The outcome", help_text="What was found and what was done. This stays on the case record."
    )
    feedback = bounded_text(
        label="What the person who raised it will be told",
        initial=FEEDBACK_SUGGESTION,
        help_text="Say what was found and what changed, without naming anyone they should not know "
        "about. They read this with their receipt code or their account, and are then asked whether "
        "they would speak up again.",
        rows=8,
    )
