"""Measures from staff voice: one per question series, the share favourable by month, suppressed in the
measure itself."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candour.core import measures as registry
from candour.core.measures import Direction, MeasureValue, Period
from candour.people.roles import Role
from candour.voice import services
from candour.voice.measures import question_measures
from candour.voice.models import QuestionKind
from candour.voice.services import QuestionDraft
from tests.support.factories import StationFactory
from tests.voice.conftest import fill, many

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)
NOVEMBER = Period.month(2026, 11)


def test_each_question_series_is_a_measure_titled_by_its_words(voice_trust):
    voice_trust.pulse("apprentice_safety")
    voice_trust.pulse(template="", questions=[QuestionDraft(QuestionKind.AGREEMENT, "My team supports me")])

    feel_safe = registry.get("voice.feel_safe")
    assert feel_safe.title == "I feel safe at work"
    assert feel_safe.unit == "%" and feel_safe.direction == Direction.HIGHER_IS_BETTER
    assert registry.exists("voice.my-team-supports-me")
    assert len([m for m in registry.all_measures() if m.key.startswith("voice.")]) == 4


def test_the_source_asks_the_database_once(voice_trust):
    voice_trust.pulse("apprentice_safety")
    voice_trust.pulse("staff_informed")
    with CaptureQueriesContext(connection) as queries:
        found = question_measures()

    assert len(queries.captured_queries) == 1
    assert {m.key for m in found} == {
        "voice.feel_safe",
        "voice.no_unwanted_sexual_behaviour",
        "voice.can_report_sexual_harassment",
        "voice.kept_informed",
        "voice.leaders_listen",
    }


def test_the_value_is_the_share_favourable_in_the_months_of_the_period(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    yes, no = {"voice.feel_safe": 1}, {"voice.feel_safe": 0}
    fill(pulse, many(6, voice_trust.north, NOV, yes) + many(2, voice_trust.north, NOV, no))
    fill(pulse, many(10, voice_trust.south, OCT, no))
    measure = registry.get("voice.feel_safe")

    assert measure.value_for(voice_trust.trust, NOVEMBER) == MeasureValue(75.0, 6, 8)
    assert measure.value_for(voice_trust.north, NOVEMBER) == MeasureValue(75.0, 6, 8)
    assert measure.value_for(voice_trust.trust, Period(OCT, dt.date(2026, 12, 1))) == MeasureValue(
        pytest.approx(100 * 6 / 18), 6, 18
    )


def test_fewer_than_five_answers_give_no_value(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    fill(pulse, many(4, voice_trust.north, NOV, {"voice.feel_safe": 1}))
    measure = registry.get("voice.feel_safe")

    assert measure.value_for(voice_trust.trust, NOVEMBER).value is None
    assert measure.value_for(voice_trust.north, NOVEMBER) == MeasureValue(None)


def test_an_area_is_withheld_when_the_trust_and_the_other_areas_would_give_a_small_one_away(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    yes = {"voice.feel_safe": 1}
    fill(pulse, many(9, voice_trust.north, NOV, yes) + many(6, voice_trust.south, NOV, yes))
    fill(pulse, many(3, voice_trust.west, NOV, {"voice.feel_safe": 0}))
    measure = registry.get("voice.feel_safe")

    assert measure.value_for(voice_trust.trust, NOVEMBER).value == pytest.approx(100 * 15 / 18)
    assert measure.value_for(voice_trust.north, NOVEMBER).value == 100
    assert measure.value_for(voice_trust.west, NOVEMBER).value is None
    assert measure.value_for(voice_trust.south, NOVEMBER).value is None


def test_a_station_has_no_value_because_answers_are_kept_by_area(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    fill(pulse, many(8, voice_trust.north, NOV, {"voice.feel_safe": 1}))

    assert registry.get("voice.feel_safe").value_for(voice_trust.n1, NOVEMBER) == MeasureValue(None)


def test_another_trusts_answers_are_not_counted(voice_trust, make_user):
    other_station = StationFactory()
    other_lead = make_user(Role.QUALITY_LEAD, other_station.parent.parent)
    other = services.create_pulse(by=other_lead, draft=voice_trust.draft("apprentice_safety"))
    fill(other, many(8, other_station.parent, NOV, {"voice.feel_safe": 0}))
    mine = voice_trust.pulse("apprentice_safety")
    fill(mine, many(5, voice_trust.north, NOV, {"voice.feel_safe": 1}))

    assert registry.get("voice.feel_safe").value_for(voice_trust.trust, NOVEMBER) == MeasureValue(100.0, 5, 5)
