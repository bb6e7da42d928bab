"""The demo's plans and risks: ten risks (two reviews overdue) and two plans, one slipping (behind its
trajectory, an action overdue, a milestone missed) and one on track; the same for the same seed."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from candour.assurance.demo import plans as plans_demo
from candour.assurance.demo import risks as risks_demo
from candour.assurance.models import Action, ActionEscalation, Risk
from candour.assurance.queries.plans import plan_summaries
from candour.assurance.queries.risks import top_risks
from candour.assurance.services.snapshots import months_ending, refresh_snapshots
from candour.assurance.status import Status
from candour.core.demo import SCALES, DemoContext
from candour.core.measures import get
from candour.learning.demo import training as training_demo
from candour.people import demo as people_demo
from candour.speakup import demo as speakup_demo

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def demo(db):
    """Only the parts the plans stand on: people, speaking up and training; then the risks and plans, and
    snapshots of the measures their actions use, so status is judged as the demo's pages judge it."""
    context = DemoContext(2026, SCALES["demo"], TODAY, random.Random(2026), "northmoor-demo-password")
    people_demo.build(context)
    speakup_demo.build(context)
    training_demo.build(context)
    risks_demo.build(context)
    plans_demo.build(context)
    keys = set(Action.objects.values_list("measure_key", flat=True))
    refresh_snapshots(months=months_ending(TODAY, 2), measures=[get(key) for key in keys])
    return context


def test_the_demo_has_ten_risks_and_two_plans_one_of_them_slipping(demo):
    summaries = plan_summaries(on=TODAY)
    slipping, on_track = summaries  # the slipping plan first

    assert slipping.title == "Safeguarding training that every role needs"
    assert slipping.counts[Status.OVERDUE] == 1 and slipping.counts[Status.AT_RISK] == 1
    level_3 = next(a for a in slipping.actions if "level 3" in a.title)
    assert level_3.status is Status.AT_RISK and level_3.reason.startswith("Behind trajectory:")
    assert ActionEscalation.objects.get().escalated_to.email == "executive@northmoor.example"
    plan = demo.shared["assurance.plans"]["safeguarding"]
    assert (plan.quality_statement.key_question, plan.quality_statement.title) == ("safe", "Safeguarding")
    missed = [
        m for a in plan.actions.all() for m in a.milestones.all() if m.done_on is None and m.due_on < TODAY
    ]
    assert [m.title for m in missed] == ["Release rostered time for every crew to attend"]

    assert on_track.title == "Apprentices safe at work, and heard when they are not"
    assert on_track.counts.slipping == 0 and on_track.counts[Status.COMPLETE] == 1

    risks = Risk.objects.all()
    assert risks.count() == 10 and risks.filter(review_due_on__lt=TODAY).count() == 2
    assert next(r.reference for r in top_risks(limit=3, on=TODAY)) == "NAS-R-007"  # long waits, scored 20
    apprentice = Risk.objects.get(title="Apprentices harassed or unsafe at work")
    assert apprentice.linked_actions.count() == 2 and apprentice.plans.get() == on_track_plan(demo)


def on_track_plan(demo):
    return demo.shared["assurance.plans"]["apprentices"]
