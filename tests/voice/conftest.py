"""Fixtures for the staff voice tests: a small trust with three areas, its leads, and a way to fill a pulse
with answers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
import time_machine

from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from candour.voice import services
from candour.voice.models import Pulse, QuestionKind
from candour.voice.pulse_templates import TEMPLATES
from tests.support.factories import AreaFactory, StationFactory, TrustFactory, make_user

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _on_a_known_day():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class VoiceTrust:
    """Northshire: areas North (stations n1, n2), South (s1) and West (w1); a quality lead over the trust,
    and an operations manager who reads results for North only."""

    trust: OrgUnit
    north: OrgUnit
    south: OrgUnit
    west: OrgUnit
    n1: OrgUnit
    n2: OrgUnit
    s1: OrgUnit
    w1: OrgUnit
    lead: User
    north_manager: User

    def draft(self, start_from: str = "staff_informed", **changes) -> services.PulseDraft:
        """A draft from a template, open from today for two weeks."""
        chosen = TEMPLATES[start_from]
        fields = {
            "title": chosen.title,
            "introduction": chosen.introduction,
            "questions": [services.QuestionDraft(q.kind, q.text) for q in chosen.questions],
            "opens_on": TODAY,
            "closes_on": TODAY + dt.timedelta(days=14),
            "roles": list(chosen.roles),
            "template": chosen.key,
        }
        return services.PulseDraft(**(fields | changes))

    def pulse(self, start_from: str = "staff_informed", **changes) -> Pulse:
        return services.create_pulse(by=self.lead, draft=self.draft(start_from, **changes))


@pytest.fixture
def voice_trust(db) -> VoiceTrust:
    trust = TrustFactory(name="Northshire Ambulance Service")
    north = AreaFactory(name="North", parent=trust)
    south = AreaFactory(name="South", parent=trust)
    west = AreaFactory(name="West", parent=trust)
    n1, n2 = StationFactory(name="N1", parent=north), StationFactory(name="N2", parent=north)
    s1, w1 = StationFactory(name="S1", parent=south), StationFactory(name="W1", parent=west)
    return VoiceTrust(
        trust=trust,
        north=north,
        south=south,
        west=west,
        n1=n1,
        n2=n2,
        s1=s1,
        w1=w1,
        lead=make_user(Role.QUALITY_LEAD, trust),
        north_manager=make_user(Role.OPERATIONS_MANAGER, north),
    )


def fill(pulse: Pulse, answers: list[tuple[OrgUnit | None, dt.date, dict[str, int]]], text: str = "") -> None:
    """Answers from made-up people, through the bulk writer: (area, month, {measure_key: choice}); questions
    not named are answered yes, or neither agree nor disagree."""
    questions = [q for q in pulse.questions.all() if q.measure_key]
    neutral = {q.pk: 1 if q.kind == QuestionKind.YES_NO else 3 for q in questions}
    by_key = {q.measure_key: q.pk for q in questions}
    services.record_answers_in_bulk(
        pulse=pulse,
        given=[
            services.GivenAnswers(
                uuid.uuid4(),
                area.pk if area else None,
                month,
                neutral | {by_key[key]: choice for key, choice in choices.items()},
                text,
            )
            for area, month, choices in answers
        ],
    )


def many(count: int, area, month: dt.date, choices: dict[str, int]) -> list:
    return [(area, month, choices)] * count
