"""Answers: one per person, written so that nothing joins the answer to the person (ADR 0011)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from candour.core.forms import MAX_TEXT_LENGTH
from candour.core.refusals import Refused
from candour.people.models import User
from candour.voice.audience import matching_place
from candour.voice.models import (
    Answer,
    Pulse,
    Question,
    QuestionKind,
    Response,
    ResponseToken,
)
from candour.voice.services.pulses import CHOICES
from candour.voice.tokens import token_for, tokens_for


class AnswerRefused(Refused):
    """An answer that cannot be taken: already given, the pulse closed, or answers missing."""


class AlreadyAnswered(AnswerRefused):
    def __init__(self):
        super().__init__("You have already answered this pulse. Each person can answer once.")


class PulseClosed(AnswerRefused):
    def __init__(self, pulse: Pulse):
        super().__init__(f"This pulse closed on {pulse.closes_on:%-d %B %Y}. Your answers were not saved.")


# Answers


def is_open(pulse: Pulse, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return pulse.opens_on <= today <= pulse.closes_on


def has_answered(pulse: Pulse, user: User) -> bool:
    return ResponseToken.objects.filter(
        pulse=pulse, token__in=tokens_for(pulse.public_id, user.public_id)
    ).exists()


def _answers(
    pulse: Pulse, questions: list[Question], choices: dict[int, int | None], text: str
) -> list[Answer]:
    missing = [q.text for q in questions if q.kind != QuestionKind.FREE_TEXT and choices.get(q.pk) is None]
    if missing:
        raise AnswerRefused.several([Refused(f"Answer “{text_}”") for text_ in missing])
    invalid = [q.text for q in questions if q.kind in CHOICES and choices[q.pk] not in CHOICES[q.kind]]
    if invalid:
        raise AnswerRefused.several([Refused(f"Choose one of the answers to “{text_}”") for text_ in invalid])
    if len(text) > MAX_TEXT_LENGTH:
        raise AnswerRefused(f"Your comments must be {MAX_TEXT_LENGTH:,} characters or fewer", field="text")
    answers = [Answer(question=q, choice=choices[q.pk]) for q in questions if q.kind in CHOICES]
    free_text = next((q for q in questions if q.kind == QuestionKind.FREE_TEXT), None)
    if free_text and text.strip():
        answers.append(Answer(question=free_text, text=text.strip()))
    return answers


@transaction.atomic
def answer_pulse(*, by: User, pulse: Pulse, choices: dict[int, int | None], text: str = "") -> None:
    """Take one person's answers, anonymously, once. `choices` maps each question's id to the value chosen;
    `text` is the free-text answer, if any."""
    if not is_open(pulse):
        raise PulseClosed(pulse)
    place = matching_place(pulse, by)
    if place is None:
        raise PermissionDenied
    if has_answered(pulse, by):
        raise AlreadyAnswered
    answers = _answers(pulse, list(pulse.questions.all()), choices, text)
    try:
        # Two submissions at once: the unique token lets one through and refuses the other.
        with transaction.atomic():
            ResponseToken.objects.create(pulse=pulse, token=token_for(pulse.public_id, by.public_id))
    except IntegrityError:
        raise AlreadyAnswered from None
    response = Response.objects.create(
        pulse=pulse, area_id=place.area_id, month=timezone.localdate().replace(day=1)
    )
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)


@dataclass(frozen=True)
class GivenAnswers:
    """One person's answers for `record_answers_in_bulk`: who (their sign-in's public id, or their person's
    when they have no sign-in), where and when they counted, and what they said."""

    respondent_public_id: uuid.UUID
    area_id: int | None
    month: dt.date
    choices: dict[int, int]
    text: str = ""


@transaction.atomic
def record_answers_in_bulk(*, pulse: Pulse, given: Iterable[GivenAnswers]) -> int:
    """Write many people's answers at once (the demo, an import), with the same guarantees as `answer_pulse`:
    a token per person, each response joined to nothing, tokens and responses written in separate random
    orders so that neither order matches the other."""
    questions = list(pulse.questions.all())
    tokens, responses, answers = [], [], []
    for one in given:
        tokens.append(ResponseToken(pulse=pulse, token=token_for(pulse.public_id, one.respondent_public_id)))
        response = Response(pulse=pulse, area_id=one.area_id, month=one.month.replace(day=1))
        responses.append(response)
        for answer in _answers(pulse, questions, one.choices, one.text):
            answer.response = response
            answers.append(answer)
    shuffle = secrets.SystemRandom().shuffle
    for rows in (tokens, responses, answers):
        shuffle(rows)
    ResponseToken.objects.bulk_create(tokens, batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)
