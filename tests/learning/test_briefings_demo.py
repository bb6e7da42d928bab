"""The demo trust's briefings: three, part-acknowledged, one past its deadline, the same for the same seed."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from candour.core.demo import SCALES, DemoContext
from candour.learning.demo import briefings as demo
from candour.learning.models import Briefing, BriefingAudience
from candour.learning.queries.briefings import report
from candour.learning.services import briefings as services
from candour.people import demo as people_demo
from candour.people.demo import demo_email
from candour.people.models import User

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        yield


def _build(seed: int) -> None:
    """Only the parts briefings stand on, so this stays fast whatever else the demo grows."""
    context = DemoContext(seed, SCALES["demo"], TODAY, random.Random(seed), "northmoor-demo-password")
    people_demo.build(context)
    demo.build(context)


def _fingerprint():
    rows = BriefingAudience.objects.order_by("briefing__title", "person__staff_number")
    return list(rows.values_list("briefing__title", "person__staff_number", "acknowledged_at"))


def test_the_same_seed_builds_the_same_briefings(db):
    with transaction.atomic():
        _build(7)
        first = _fingerprint()
        transaction.set_rollback(True)

    _build(7)

    assert _fingerprint() == first


def test_the_demo_has_three_briefings_part_acknowledged_one_overdue(db):
    _build(2026)

    reports = [report(briefing) for briefing in Briefing.objects.all()]
    assert {r.briefing.title for r in reports} == {b.title for b in demo.BRIEFINGS}
    for r in reports:
        assert 150 <= r.overall.audience <= 600, r.briefing.title
        assert 50 <= r.overall.share <= 85, r.briefing.title
        assert 1 <= r.overall.median_days <= 7, r.briefing.title
        assert len(r.areas) == 5
    assert [r.briefing.title for r in reports if r.overall.overdue] == [
        "Recognising child exploitation on scene"
    ]
    assert not BriefingAudience.objects.filter(acknowledged_at__date__gte=TODAY).exists()


def test_the_demo_paramedic_and_apprentice_have_briefings_to_read(db, client_for):
    _build(2026)

    for slug in ("staff", "apprentice"):
        user = User.objects.get(email=demo_email(slug))
        assert BriefingAudience.objects.filter(person=user.person, acknowledged_at=None).exists(), slug
        assert "Briefings to read" in client_for(user).get(reverse("core:home")).content.decode()


def test_the_demo_replays_the_chasers_so_starting_it_sends_none_today(db):
    _build(2026)

    chased = BriefingAudience.objects.exclude(last_chased_on=None)
    assert chased.exists()
    assert chased.exclude(acknowledged_at=None).exists()  # some read it after a reminder
    assert not chased.filter(last_chased_on__gt=TODAY).exists()
    assert services.chase_unread_briefings(today=TODAY) == []
