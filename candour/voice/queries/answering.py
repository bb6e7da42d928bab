"""Pulses for the person answering: those open to them, and a pulse's questions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils import timezone

from candour.people.models import User
from candour.voice.audience import matching_place, pulses_around
from candour.voice.models import (
    Pulse,
    Question,
    ResponseToken,
)
from candour.voice.tokens import tokens_for


@dataclass(frozen=True)
class PulseForYou:
    pulse: Pulse
    answered: bool


def pulses_for(user: User, *, to_answer_only: bool = False) -> list[PulseForYou]:
    """Open pulses whose audience the user is in, those still to answer first (or only those)."""
    today = timezone.localdate()
    candidates = [
        pulse
        for pulse in pulses_around(user).filter(opens_on__lte=today, closes_on__gte=today)
        if matching_place(pulse, user)
    ]
    if not candidates:
        return []
    wanted = {
        token: pulse.pk for pulse in candidates for token in tokens_for(pulse.public_id, user.public_id)
    }
    answered = set(ResponseToken.objects.filter(token__in=list(wanted)).values_list("pulse_id", flat=True))
    found = [PulseForYou(pulse, pulse.pk in answered) for pulse in candidates]
    if to_answer_only:
        found = [item for item in found if not item.answered]
    return sorted(found, key=lambda item: (item.answered, item.pulse.closes_on, item.pulse.title))


def pulse_for_respondent(user: User, pulse_id: uuid.UUID) -> Pulse | None:
    """A pulse that has opened, whose audience the user is in."""
    pulse = pulses_around(user).filter(public_id=pulse_id, opens_on__lte=timezone.localdate()).first()
    return pulse if pulse is not None and matching_place(pulse, user) else None


def questions_of(pulse: Pulse) -> list[Question]:
    return list(pulse.questions.order_by("position"))
