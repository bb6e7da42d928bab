"""Pulses: a lead creates, changes and closes them; a closed pulse's tokens are forgotten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import Scope, scope_of
from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from candour.voice.access import RUN_PULSES
from candour.voice.models import (
    Agreement,
    Pulse,
    Question,
    QuestionKind,
    ResponseToken,
    YesNo,
)
from candour.voice.pulse_templates import TEMPLATES, template_key_for

QUESTION_LENGTH = 300
MEASURE_KEY_LENGTH = 120
CLOSES_BEFORE_OPENING = "The closing date must be the same as or after the opening date"
CHOICES = {QuestionKind.YES_NO: set(YesNo.values), QuestionKind.AGREEMENT: set(Agreement.values)}


class PulseRefused(Refused):
    """A pulse, or a change to one, that cannot be made as asked."""


@dataclass(frozen=True)
class QuestionDraft:
    kind: str
    text: str


@dataclass(frozen=True)
class PulseDraft:
    """What a lead asks for: the pulse's words, questions, audience and dates."""

    title: str
    introduction: str
    questions: list[QuestionDraft]
    opens_on: dt.date
    closes_on: dt.date
    roles: list[str] = field(default_factory=list)
    areas: list[OrgUnit] = field(default_factory=list)
    template: str = ""


# Pulses


def lead_scope(by: User) -> Scope:
    scope = scope_of(by, RUN_PULSES)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def pulse_unit_for(scope: Scope, areas: list[OrgUnit]) -> tuple[OrgUnit, list[OrgUnit]]:
    """Whose pulse it is (the lead's trust, or their one area), and the areas to store (none: all of it)."""
    outside = [area.name for area in areas if area.kind != OrgUnit.Kind.AREA or not scope.covers(area)]
    if outside:
        raise PulseRefused(f"You cannot run a pulse there: {', '.join(outside)} is outside your areas")
    trusts = list(OrgUnit.objects.filter(pk__in=scope.unit_ids, kind=OrgUnit.Kind.TRUST))
    if len(trusts) == 1:
        return trusts[0], areas
    scope_areas = list(OrgUnit.objects.filter(pk__in=scope.area_ids).order_by("name"))
    if not scope_areas:
        raise PulseRefused("Pulses go to whole areas, and your role applies only at a station")
    if len(scope_areas) == 1:
        return scope_areas[0], []
    chosen = areas or scope_areas
    parents = {area.parent_id for area in chosen}
    if len(parents) != 1:
        raise PulseRefused("Choose areas in one trust")
    return OrgUnit.objects.get(pk=parents.pop()), chosen


def _measure_keys(questions: list[QuestionDraft]) -> list[str]:
    """Each question's series: the template's key when asked as a template asks it, else one from its text
    (kept apart from a question with the same words answered another way)."""
    keys: list[str] = []
    for question in questions:
        if question.kind == QuestionKind.FREE_TEXT:
            keys.append("")
            continue
        key = template_key_for(question.kind, question.text)
        if not key:
            key = f"voice.{slugify(question.text)}"[: MEASURE_KEY_LENGTH - 12].rstrip("-")
            if Question.objects.filter(measure_key=key).exclude(kind=question.kind).exists():
                key = f"{key}-{slugify(question.kind)}"
        base, number = key, 2
        while key in keys:
            key, number = f"{base}-{number}", number + 1
        keys.append(key)
    return keys


def _check(draft: PulseDraft, *, today: dt.date, opens_on_was: dt.date | None = None) -> None:
    problems = []
    if not draft.title.strip():
        problems.append(Refused("Enter a title", field="title"))
    choice_questions = [q for q in draft.questions if q.kind != QuestionKind.FREE_TEXT]
    free_text = [q for q in draft.questions if q.kind == QuestionKind.FREE_TEXT]
    if not choice_questions:
        problems.append(Refused("Add at least one yes or no, or agreement, question", field="question_1"))
    if len(choice_questions) > settings.CANDOUR_PULSE_MAX_QUESTIONS:
        problems.append(
            Refused(
                f"A pulse can have at most {settings.CANDOUR_PULSE_MAX_QUESTIONS} questions to choose from"
            )
        )
    if len(free_text) > 1:
        problems.append(Refused("A pulse can have at most one free-text box", field="free_text"))
    texts = [" ".join(q.text.split()).casefold() for q in draft.questions]
    if any(not text for text in texts):
        problems.append(Refused("Enter the words of every question"))
    if len(set(texts)) != len(texts):
        problems.append(Refused("Each question must be different"))
    if any(len(q.text) > QUESTION_LENGTH for q in draft.questions):
        problems.append(Refused(f"Each question must be {QUESTION_LENGTH} characters or fewer"))
    if any(q.kind not in QuestionKind.values for q in draft.questions):
        problems.append(Refused("Choose how each question is answered"))
    if any(role not in Role.values for role in draft.roles):
        problems.append(Refused("Choose roles from the list", field="roles"))
    if draft.template and draft.template not in TEMPLATES:
        problems.append(Refused("Choose a template from the list", field="template"))
    if draft.opens_on != opens_on_was and draft.opens_on < today:
        problems.append(Refused("The opening date must be today or in the future", field="opens_on"))
    if draft.closes_on < draft.opens_on:
        problems.append(
            Refused("The closing date must be the same as or after the opening date", field="closes_on")
        )
    elif draft.closes_on < today:
        problems.append(Refused("The closing date must be today or in the future", field="closes_on"))
    if problems:
        raise PulseRefused.several(problems)


def write_questions(pulse: Pulse, questions: list[QuestionDraft]) -> None:
    """Store a pulse's questions in order, free text last, each with its series' measure key."""
    ordered = sorted(questions, key=lambda q: q.kind == QuestionKind.FREE_TEXT)  # free text last
    Question.objects.bulk_create(
        [
            Question(
                pulse=pulse, position=position, kind=q.kind, text=" ".join(q.text.split()), measure_key=key
            )
            for position, (q, key) in enumerate(zip(ordered, _measure_keys(ordered), strict=True), start=1)
        ]
    )


def describe_pulse(pulse: Pulse) -> dict:
    """A pulse as its audit events record it."""
    return {
        "title": pulse.title,
        "template": pulse.template,
        "roles": sorted(pulse.audience_roles),
        "areas": sorted(area.code for area in pulse.audience_areas.all()),
        "opens_on": pulse.opens_on,
        "closes_on": pulse.closes_on,
        "questions": [f"{q.get_kind_display()}: {q.text}" for q in pulse.questions.all()],
    }


@transaction.atomic
def create_pulse(*, by: User, draft: PulseDraft) -> Pulse:
    """Set up a pulse for an audience within the lead's areas."""
    scope = lead_scope(by)
    _check(draft, today=timezone.localdate())
    unit, areas = pulse_unit_for(scope, draft.areas)
    pulse = Pulse.objects.create(
        title=draft.title.strip(),
        introduction=draft.introduction.strip(),
        template=draft.template,
        unit=unit,
        audience_roles=sorted(set(draft.roles)),
        opens_on=draft.opens_on,
        closes_on=draft.closes_on,
        created_by=by,
    )
    pulse.audience_areas.set(areas)
    write_questions(pulse, draft.questions)
    audit.record(
        action="created_pulse", actor=by, target=pulse, summary=pulse.title, changes=describe_pulse(pulse)
    )
    return pulse


def _editable(by: User, pulse: Pulse) -> Scope:
    scope = lead_scope(by)
    if not scope.covers(pulse.unit):
        raise PermissionDenied
    return scope


@transaction.atomic
def update_pulse(*, by: User, pulse: Pulse, draft: PulseDraft) -> Pulse:
    """Change a pulse's words, questions, audience or dates: only until the first answer arrives."""
    scope = _editable(by, pulse)
    pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if pulse.responses.exists():
        raise PulseRefused("People have answered this pulse, so only its closing date can change")
    _check(draft, today=timezone.localdate(), opens_on_was=pulse.opens_on)
    unit, areas = pulse_unit_for(scope, draft.areas)
    before = describe_pulse(pulse)
    pulse.title, pulse.introduction = draft.title.strip(), draft.introduction.strip()
    pulse.unit, pulse.audience_roles = unit, sorted(set(draft.roles))
    pulse.opens_on, pulse.closes_on = draft.opens_on, draft.closes_on
    pulse.save()
    pulse.audience_areas.set(areas)
    pulse.questions.all().delete()
    write_questions(pulse, draft.questions)
    after = describe_pulse(pulse)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    audit.record(action="changed_pulse", actor=by, target=pulse, summary=pulse.title, changes=changes)
    return pulse


@transaction.atomic
def change_close_date(*, by: User, pulse: Pulse, closes_on: dt.date) -> Pulse:
    """Move the closing date of a pulse that has not yet closed: earlier (to today at the soonest) or later.
    A closed pulse stays closed: who answered it is forgotten once it closes (see `forget_tokens`)."""
    _editable(by, pulse)
    pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
    today = timezone.localdate()
    if pulse.closes_on < today:
        raise PulseRefused("This pulse has closed and cannot be reopened. Start a new pulse instead")
    if closes_on < pulse.opens_on:
        raise PulseRefused(
            "The closing date must be the same as or after the opening date", field="closes_on"
        )
    if closes_on < today:
        raise PulseRefused("The closing date must be today or in the future", field="closes_on")
    was = pulse.closes_on
    if closes_on != was:
        pulse.closes_on = closes_on
        pulse.save(update_fields=["closes_on", "updated_at"])
        action = "closed_pulse" if closes_on == today else "changed_pulse_close_date"
        audit.record(
            action=action,
            actor=by,
            target=pulse,
            summary=pulse.title,
            changes={"closes_on": [was, closes_on]},
        )
    return pulse


def close_pulse(*, by: User, pulse: Pulse) -> Pulse:
    """Take no answers after today."""
    if pulse.opens_on > timezone.localdate():
        raise PulseRefused("This pulse has not opened yet: change its dates instead")
    return change_close_date(by=by, pulse=pulse, closes_on=timezone.localdate())


@transaction.atomic
def forget_tokens(*, today: dt.date) -> int:
    """Delete the tokens of pulses that have closed: nothing can be answered any more, and without them no
    one, not even with the server's key and the database, can tell who answered."""
    deleted, _ = ResponseToken.objects.filter(pulse__closes_on__lt=today).delete()
    if deleted:
        audit.record(action="forgot_pulse_tokens", system="voice tokens", changes={"tokens": deleted})
    return deleted
