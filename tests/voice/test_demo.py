"""The demo trust's staff voice: three pulses over recent months, the same for the same seed."""

import datetime as dt
import random

import time_machine
from django.db import transaction
from django.db.models import Count

from candour.core import measures as registry
from candour.core.demo import SCALES, DemoContext
from candour.core.measures import Period
from candour.people import demo as people_demo
from candour.people.demo import demo_email
from candour.people.models import OrgUnit, User
from candour.voice import demo
from candour.voice.models import Answer, Pulse, Response, ResponseToken, YouSaidWeDid
from candour.voice.queries import pulses_for, results

TODAY = dt.date(2026, 11, 22)


def _build(seed: int) -> None:
    """Only the parts staff voice stands on, so this stays fast whatever else the demo grows."""
    context = DemoContext(seed, SCALES["demo"], TODAY, random.Random(seed), "northmoor-demo-password")
    people_demo.build(context)
    demo.build(context)


def _fingerprint():
    rows = Answer.objects.values_list(
        "question__measure_key", "response__area__name", "response__month", "choice"
    )
    return sorted(
        rows.annotate(n=Count("pk")).values_list("question__measure_key", "response__month", "choice", "n")
    )


def test_the_same_seed_builds_the_same_answers(db):
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        with transaction.atomic():
            _build(7)
            first = _fingerprint()
            transaction.set_rollback(True)
        _build(7)

        assert _fingerprint() == first


def test_the_demo_has_three_pulses_with_trends_a_gap_in_one_area_and_two_posts(db):
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        _build(2026)

        pulses = {pulse.title: pulse for pulse in Pulse.objects.all()}
        assert len(pulses) == 3
        staff_then, staff_now = (
            pulses["Kept informed and heard"],
            pulses["Kept informed and heard: a year on"],
        )
        apprentices = pulses["Feeling safe at work"]
        assert staff_then.closes_on < TODAY <= staff_now.closes_on and apprentices.closes_on >= TODAY
        assert Response.objects.filter(pulse=apprentices).values("month").distinct().count() == 3

        # The front line does not feel heard by the board, a year ago or now.
        trust = OrgUnit.objects.trust()
        listen = registry.get("voice.leaders_listen")
        then = listen.value_for(trust, Period(staff_then.opens_on.replace(day=1), staff_then.closes_on))
        now = listen.value_for(trust, Period(staff_now.opens_on.replace(day=1), TODAY))
        assert then.value < 30 and now.value < 35 and then.denominator > 100

        # Apprentices feel less safe in Harrowby Coast than across the trust.
        found = results(apprentices)
        feel_safe = next(q for q in found.questions if q.question.measure_key == "voice.feel_safe")
        by_area = {group.label: group for group in feel_safe.by_area}
        assert by_area["Harrowby Coast"].favourable < feel_safe.overall.favourable - 10
        assert 30 <= 100 * found.summary.responses / found.audience <= 75

        assert YouSaidWeDid.objects.count() == 2
        # Who answered is forgotten for the closed pulse; the open ones still stop a second answer.
        assert not ResponseToken.objects.filter(pulse=staff_then).exists()
        assert (
            ResponseToken.objects.filter(pulse=apprentices).count()
            == Response.objects.filter(pulse=apprentices).count()
        )

        # The demo sign-ins have their pulses still to answer.
        apprentice = User.objects.get(email=demo_email("apprentice"))
        assert {(item.pulse.title, item.answered) for item in pulses_for(apprentice)} == {
            ("Kept informed and heard: a year on", False),
            ("Feeling safe at work", False),
        }
