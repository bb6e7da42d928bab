"""The demo trust's training: deterministic, with realistic gaps, compliance computed by the service."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Q

from candour.core.demo import build_demo
from candour.learning.models import ComplianceItem, Requirement, TrainingRecord
from candour.learning.services import training
from candour.people.models import User

TODAY = dt.date(2026, 11, 22)
# This test needs only these parts of the demo trust (the others take time to build).
PARTS = ("people", "speakup", "learning")


@pytest.fixture
def on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        yield


def _fingerprint():
    return list(
        TrainingRecord.objects.order_by("person__staff_number", "subject__code", "completed_on").values_list(
            "person__staff_number", "subject__code", "completed_on", "hours"
        )
    )


def test_training_demo_same_seed_builds_the_same_records(db, on_demo_day):
    with transaction.atomic():
        build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
        first = _fingerprint()
        transaction.set_rollback(True)

    build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)

    assert _fingerprint() == first
    assert len(first) > 5_000


def test_training_demo_has_realistic_gaps_and_computed_compliance(db, on_demo_day):
    build_demo(seed=2026, scale="demo", today=TODAY, parts=PARTS)

    assert Requirement.objects.filter(job_role__code="paramedic", subject__code="sg-children-3").exists()
    assert not Requirement.objects.filter(
        job_role__code="administrator", subject__code="sg-children-3"
    ).exists()
    assert training.out_of_step_people() == set()
    soon = TODAY + dt.timedelta(days=60)
    children_3 = ComplianceItem.objects.filter(
        subject__code="sg-children-3", job_role__code="paramedic"
    ).aggregate(
        required=Count("pk"),
        held=Count("pk", filter=Q(expires_on__gt=TODAY)),
        due_soon=Count("pk", filter=Q(expires_on__gt=TODAY, expires_on__lte=soon)),
        never=Count("pk", filter=Q(expires_on__isnull=True)),
    )
    assert 0.6 <= children_3["held"] / children_3["required"] <= 0.8
    assert children_3["due_soon"] and children_3["never"]
    governance = ComplianceItem.objects.filter(subject__code="cstf-information-governance")
    assert 0.85 <= governance.filter(expires_on__gt=TODAY).count() / governance.count() < 0.95


def test_training_demo_paramedic_has_safeguarding_children_level_3_due_soon(db, on_demo_day):
    build_demo(seed=2026, scale="demo", today=TODAY, parts=PARTS)
    paramedic = User.objects.get(email="staff@northmoor.example").person

    item = ComplianceItem.objects.get(person=paramedic, subject__code="sg-children-3")

    assert item.expires_on == TODAY + dt.timedelta(days=30)
