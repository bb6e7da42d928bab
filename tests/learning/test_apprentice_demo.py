"""The demo trust's apprenticeships: one for every apprentice, realistic gaps, a few welfare flags raised as
confidential safeguarding concerns through the service, the demo apprentice's complete record, the same for
the same seed."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import transaction
from django.db.models import F

from candour.core.demo import SCALES, DemoContext
from candour.learning.demo import apprenticeships as demo
from candour.learning.models import Apprenticeship, OffTheJobEntry, ProgressReview
from candour.learning.queries import apprenticeships as queries
from candour.learning.queries.apprenticeships import Tag
from candour.people import demo as people_demo
from candour.people.demo import demo_email
from candour.people.models import Person, User
from candour.speakup.access import can_open
from candour.speakup.models import Concern, Identity, Route

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        yield


def _build(seed: int, scale: str = "demo") -> DemoContext:
    """Only the parts apprenticeships stand on, so this stays fast whatever else the demo grows."""
    context = DemoContext(seed, SCALES[scale], TODAY, random.Random(seed), "northmoor-demo-password")
    people_demo.build(context)
    demo.build(context)
    return context


def _fingerprint():
    return (
        list(
            Apprenticeship.objects.order_by("person__staff_number").values_list(
                "person__staff_number",
                "provider__name",
                "start_date",
                "planned_end_date",
                "mentor__staff_number",
            )
        ),
        list(
            ProgressReview.objects.order_by("apprenticeship__person__staff_number", "due_on").values_list(
                "due_on", "held_on", "feels_safe"
            )
        ),
        OffTheJobEntry.objects.count(),
    )


def test_apprentice_demo_is_the_same_for_the_same_seed(db):
    with transaction.atomic():
        _build(7)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Apprenticeship.objects.exists()

    _build(7)

    assert _fingerprint() == first


def test_apprentice_demo_gives_every_apprentice_an_apprenticeship_with_realistic_gaps(db):
    _build(2026)
    lead = User.objects.get(email=demo_email("education.lead"))

    assert Apprenticeship.objects.count() == Person.objects.filter(is_apprentice=True).count() == 61
    tags = [tag for row in queries.caseload_rows(lead) for tag in row.tags]
    for tag in (Tag.OVERDUE, Tag.SHORTFALL, Tag.NO_MENTOR, Tag.WELFARE):
        assert tag in tags, tag
    assert Apprenticeship.objects.filter(level=3).exists() and Apprenticeship.objects.filter(level=4).exists()
    assert ProgressReview.objects.filter(held_on__gt=F("due_on")).exists()
    assert not ProgressReview.objects.filter(held_on__gt=TODAY).exists()
    assert not OffTheJobEntry.objects.filter(week_starting__gt=TODAY).exists()


def test_apprentice_demo_welfare_flags_raise_confidential_safeguarding_concerns(db):
    _build(2026)
    lead = User.objects.get(email=demo_email("safeguarding.lead"))
    line_manager = User.objects.get(email=demo_email("line.manager"))

    flagged = ProgressReview.objects.filter(welfare_concern_raised=True)
    concerns = Concern.objects.filter(pk__in=flagged.values("welfare_concern_id"))

    assert flagged.count() == concerns.count() == 2
    assert all(c.identity == Identity.CONFIDENTIAL and c.route == Route.SAFEGUARDING for c in concerns)
    assert all(can_open(lead, concern) for concern in concerns)
    assert not any(can_open(line_manager, concern) for concern in concerns)


def test_apprentice_demo_apprentice_has_a_complete_record_and_a_review_due_soon(db):
    _build(2026)
    apprentice = User.objects.get(email=demo_email("apprentice"))
    apprenticeship = apprentice.person.apprenticeships.get()

    assert apprenticeship.mentor is not None
    assert apprenticeship.placements.count() >= 2
    assert not queries.off_the_job_for(apprenticeship, TODAY).shortfall
    held = apprenticeship.reviews.filter(held_on__isnull=False)
    assert held.count() == 2 and all(review.is_signed_off for review in held)
    assert not queries.missing_answers(held.first())
    due = queries.review_due_for_apprentice(apprentice)
    assert due is not None and not due.overdue and TODAY < due.due_on <= TODAY + dt.timedelta(days=14)


def test_apprentice_demo_at_trust_scale_builds_every_apprenticeship(db):
    # How long it takes is for `make bench`: tests never assert a duration.
    context = DemoContext(2026, SCALES["trust"], TODAY, random.Random(2026), "northmoor-demo-password")
    people_demo.build(context)
    demo.build(context)

    # 661 from the roster and the demo apprentice.
    assert Apprenticeship.objects.count() == 662
