"""The demo trust's speaking up: deterministic history, worked as the services would, with its showcases."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count, Max, Min

from candour.core.audit import verify_chain
from candour.core.demo import build_demo
from candour.speakup.models import Concern, Entry, Identity, PatternFlag, Referral, Status, Task

TODAY = dt.date(2026, 11, 22)
# This test needs only these parts of the demo trust (the others take time to build).
PARTS = ("people", "speakup")


@pytest.fixture
def on_demo_day():
    # The services date what they write by the clock; the history is dated from the demo's today.
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        yield


def _fingerprint():
    history = Concern.objects.filter(received_on__lt=TODAY).order_by("reference")
    return (
        list(history.values_list("reference", "kind", "identity", "status", "received_on", "station__code")),
        Counter(Concern.objects.values_list("status", flat=True)),
        Entry.objects.count(),
    )


def test_the_same_seed_builds_the_same_concerns(db, on_demo_day):
    with transaction.atomic():
        build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Concern.objects.exists()

    build_demo(seed=7, scale="demo", today=TODAY, parts=PARTS)

    assert _fingerprint() == first
    assert 300 <= len(first[0]) <= 400


def test_the_demo_shows_a_pattern_conversations_and_declined_referrals(db, on_demo_day):
    build_demo(seed=2026, scale="demo", today=TODAY, parts=PARTS)

    flag = PatternFlag.objects.get()
    assert flag.concern_count == 3
    anonymous = Concern.objects.filter(identity=Identity.ANONYMOUS)
    assert anonymous.filter(entries__type=Entry.Type.MESSAGE_TO_REPORTER).exists()
    assert anonymous.filter(entries__type=Entry.Type.MESSAGE_FROM_REPORTER, entries__author=None).exists()
    assert not anonymous.exclude(receipt_lookup__isnull=False).exists()
    assert Referral.objects.filter(outcome=Referral.Outcome.DECLINED).count() >= 2
    assert Concern.objects.filter(status=Status.NEW, triage_due_on__lt=TODAY).exists()
    assert Task.objects.filter(done_on=None, due_on__lt=TODAY).exclude(concern__status=Status.CLOSED).exists()
    assert Concern.objects.exclude(speak_up_again="").exists()
    assert 0.06 <= anonymous.count() / Concern.objects.count() <= 0.13
    assert verify_chain().intact


def test_demo_cases_are_recorded_as_the_services_would(db, on_demo_day):
    build_demo(seed=2026, scale="demo", today=TODAY, parts=PARTS)

    closed = Concern.objects.filter(status=Status.CLOSED)
    assert closed.exists() and not closed.filter(feedback_given_on=None).exists()
    assert not Concern.objects.exclude(status=Status.NEW).filter(owner=None).exists()
    assert not Concern.objects.filter(received_on__gt=TODAY).exists()
    assert not Entry.objects.filter(event_on__gt=TODAY).exists()
    numbering = Entry.objects.values("concern").annotate(
        first=Min("sequence"), last=Max("sequence"), n=Count("pk")
    )
    assert all(row["first"] == 1 and row["last"] == row["n"] for row in numbering)
    assert not Concern.objects.filter(identity=Identity.ANONYMOUS).exclude(raised_by=None).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM speakup_concern")
        stored = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("enc2:") for value in stored)
