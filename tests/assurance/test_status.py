"""An action's status is computed, never typed: from its dates, its milestones and its live measure against
the trajectory from baseline to target. Pure judgements first, then one action followed through time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from candour.assurance.models import Action
from candour.assurance.queries.plans import judgement_of
from candour.assurance.services import plans as services
from candour.assurance.status import (
    ActionFacts,
    MilestoneFacts,
    Reading,
    Rules,
    Status,
    completion_problems,
    direction_problem,
    expected_on,
    judge,
)
from candour.core.measures import Direction
from candour.core.refusals import Refused
from tests.assurance.test_plans import HIGH, LOW, at, build_org, make_action, make_plan, snapshot

START, DUE = dt.date(2026, 1, 1), dt.date(2026, 6, 30)  # 180 days
RULES = Rules(tolerance_percent=10, due_soon_days=14)


@pytest.fixture
def org(make_user):
    return build_org(make_user)


def facts(**overrides) -> ActionFacts:
    values = {
        "starts_on": START,
        "due_on": DUE,
        "target": 90.0,
        "baseline": 60.0,
        "direction": Direction.HIGHER_IS_BETTER,
    }
    return ActionFacts(**(values | overrides))


# Pure


def test_the_trajectory_runs_straight_from_baseline_to_target_and_is_flat_outside_the_dates():
    action = facts()
    assert expected_on(action, START) == 60
    assert expected_on(action, START + dt.timedelta(days=90)) == 75
    assert expected_on(action, DUE) == 90
    assert expected_on(action, dt.date(2025, 12, 1)) == 60 and expected_on(action, dt.date(2026, 8, 1)) == 90


def test_behind_by_less_than_the_tolerance_is_still_on_track():
    # Expected 75 on day 90; the tolerance is 10% of 30 points, so 72.1 is on track and 71.9 is not.
    day = START + dt.timedelta(days=90)
    assert judge(facts(live=Reading(72.1, day)), day, RULES).status is Status.ON_TRACK
    lagging = judge(facts(live=Reading(71.9, day)), day, RULES)
    assert lagging.status is Status.AT_RISK
    assert lagging.reason == "Behind trajectory: 71.9% against 75.0% expected by now"


def test_a_wider_tolerance_forgives_more():
    day = START + dt.timedelta(days=90)
    assert judge(facts(live=Reading(71.9, day)), day, Rules(tolerance_percent=20)).status is Status.ON_TRACK


def test_lower_is_better_is_judged_the_other_way():
    # Median days to triage from 4 down to 1: expected 2.5 half way, and lagging means above it.
    lower = facts(baseline=4.0, target=1.0, direction=Direction.LOWER_IS_BETTER, unit="days")
    day = START + dt.timedelta(days=90)
    assert judge(lower, day, RULES).status is Status.ON_TRACK
    assert judge(_with(lower, 2.4, day), day, RULES).status is Status.ON_TRACK
    behind = judge(_with(lower, 2.9, day), day, RULES)
    assert behind.status is Status.AT_RISK
    assert behind.reason == "Behind trajectory: 2.9 days against 2.5 days expected by now"


def _with(action: ActionFacts, value: float, day: dt.date) -> ActionFacts:
    return ActionFacts(**{**action.__dict__, "live": Reading(value, day)})


def test_a_reading_from_last_month_is_judged_against_where_the_line_was_then():
    day = dt.date(2026, 4, 10)
    judgement = judge(facts(live=Reading(66.0, dt.date(2026, 3, 31))), day, RULES)
    assert judgement.reason == "Behind trajectory: 66.0% against 74.8% expected by 31 March 2026"


def test_due_soon_and_not_at_target_is_at_risk_even_on_the_trajectory():
    day = DUE - dt.timedelta(days=5)
    judgement = judge(facts(live=Reading(89.0, day)), day, RULES)
    assert judgement.status is Status.AT_RISK
    assert judgement.reason == "Due in 5 days and the measure is 89.0%, not yet at its target of 90.0%"
    assert judge(facts(live=Reading(90.0, day)), day, RULES).status is Status.ON_TRACK


def test_overdue_comes_before_at_risk_and_both_reasons_are_given():
    day = DUE + dt.timedelta(days=3)
    judgement = judge(facts(live=Reading(70.0, day)), day, RULES)
    assert judgement.status is Status.OVERDUE
    assert judgement.reasons == (
        "Overdue: due 30 June 2026, 3 days ago",
        "Behind trajectory: 70.0% against 90.0% expected by now",
    )


def test_complete_whenever_completed_and_late_if_after_the_due_date():
    assert (
        judge(facts(completed_on=DUE), DUE + dt.timedelta(days=40), RULES).reason == "Completed 30 June 2026"
    )
    late = judge(facts(completed_on=DUE + dt.timedelta(days=2)), DUE + dt.timedelta(days=40), RULES)
    assert late.status is Status.COMPLETE and late.reason.endswith("after its due date")
    # As of a day before it was completed, it was not complete.
    assert judge(facts(completed_on=DUE), DUE - dt.timedelta(days=1), RULES).status is not Status.COMPLETE


def test_a_milestone_done_after_the_day_judged_was_missed_on_that_day():
    milestone = MilestoneFacts("Sessions booked", dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 10))
    action = facts(milestones=(milestone,))
    assert judge(action, dt.date(2026, 2, 5), RULES).status is Status.AT_RISK
    assert judge(action, dt.date(2026, 2, 12), RULES).status is Status.ON_TRACK


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "problem"),
    [
        (Direction.HIGHER_IS_BETTER, 60, 90, None),
        (Direction.HIGHER_IS_BETTER, 60, 60, "the target must be above the baseline of 60.0%"),
        (Direction.LOWER_IS_BETTER, 4, 1, None),
        (Direction.LOWER_IS_BETTER, 4, 5, "the target must be below the baseline of 4.0%"),
        (Direction.NEITHER, 4, 5, "has no improvement direction"),
    ],
)
def test_a_target_must_lie_in_the_measures_direction_of_improvement(direction, baseline, target, problem):
    found = direction_problem(
        title="A measure", direction=direction, baseline=baseline, target=target, unit="%"
    )
    assert (found is None) if problem is None else (problem in found)


def test_completion_needs_evidence_and_the_measure_at_target_unless_a_reason_is_given():
    reading = Reading(91.0, DUE)
    common = {"target": 90.0, "direction": Direction.HIGHER_IS_BETTER, "unit": "%"}
    assert completion_problems(evidence_count=1, live=reading, **common) == []
    assert completion_problems(evidence_count=0, live=reading, **common) == [
        "Add at least one piece of evidence before marking this action complete"
    ]
    assert completion_problems(evidence_count=1, live=None, **common) == [
        "The success measure has no value in the last two complete months, so it cannot show the target of "
        "90.0% is met"
    ]
    assert completion_problems(evidence_count=0, live=None, override_reason="Superseded", **common) == []
    assert completion_problems(evidence_count=0, live=None, override_reason="   ", **common) != []


def test_at_target_for_lower_is_better_means_at_or_below_it():
    common = {"target": 1.0, "direction": Direction.LOWER_IS_BETTER, "unit": "days", "evidence_count": 1}
    assert completion_problems(live=Reading(1.0, DUE), **common) == []
    assert completion_problems(live=Reading(1.5, DUE), **common) == [
        "The success measure is 1.5 days, not yet at its target of 1.0 days"
    ]


# One action through time


def test_an_action_followed_through_time(org, settings):
    """Not started, on track, at risk by a missed milestone, at risk by trajectory, overdue, then complete
    with its evidence once its measure reaches the target."""
    settings.CANDOUR_TRAJECTORY_TOLERANCE = 10
    settings.CANDOUR_ACTION_DUE_SOON_DAYS = 14
    action = make_action(org, make_plan(org))  # level 3 from 60% to 90%, 1 January to 30 June
    milestone = services.add_milestone(
        by=org.quality_lead, action=action, title="Sessions booked", due_on=dt.date(2026, 2, 15)
    )

    def status_on(day: dt.date):
        with at(day):
            return judgement_of(action, timezone.localdate())

    assert status_on(dt.date(2025, 12, 15)).status is Status.NOT_STARTED

    # Each day reads the last complete month, against where the line was at that month's end.
    snapshot(HIGH, org.trust, dt.date(2026, 1, 1), 66.0)
    on_track = status_on(dt.date(2026, 2, 1))  # January's 66.0; expected 65.0 by 31 January
    assert on_track.status is Status.ON_TRACK
    assert on_track.reason == "On track: 66.0% against 65.0% expected by 31 January 2026"

    missed = status_on(dt.date(2026, 2, 20))  # still January's 66.0, on its line
    assert missed.status is Status.AT_RISK
    assert missed.reasons == ("Milestone missed: “Sessions booked” was due 15 February 2026 and is not done",)

    with at(dt.date(2026, 2, 21)):
        services.record_milestone(by=org.owner, milestone=milestone, done=True)
    assert status_on(dt.date(2026, 2, 22)).status is Status.ON_TRACK

    snapshot(HIGH, org.trust, dt.date(2026, 2, 1), 65.0)
    snapshot(HIGH, org.trust, dt.date(2026, 3, 1), 90.0)  # March's first records: not judged until it ends
    behind = status_on(dt.date(2026, 3, 25))
    assert behind.status is Status.AT_RISK
    assert behind.reasons == ("Behind trajectory: 65.0% against 69.7% expected by 28 February 2026",)

    snapshot(HIGH, org.trust, dt.date(2026, 6, 1), 90.5)
    assert status_on(dt.date(2026, 7, 5)).status is Status.OVERDUE  # June's value, read in July

    with at(dt.date(2026, 7, 6)):
        with pytest.raises(Refused, match="Add at least one piece of evidence"):
            services.complete_action(by=org.owner, action=action)
        services.add_evidence(by=org.owner, action=action, description="Attendance registers")
        services.complete_action(by=org.owner, action=action)

    done = status_on(dt.date(2026, 7, 10))
    assert done.status is Status.COMPLETE
    assert done.reason == "Completed 6 July 2026, after its due date"


def test_a_lower_is_better_action_through_time(org):
    action = make_action(
        org, make_plan(org), measure_key=LOW, baseline=4.0, target=1.0, title="Triage within a day"
    )

    snapshot(LOW, org.trust, dt.date(2026, 3, 1), 1.9)
    with at(dt.date(2026, 4, 15)):  # March's 1.9 against 2.5 expected by its end: ahead
        assert judgement_of(action, timezone.localdate()).status is Status.ON_TRACK
    snapshot(LOW, org.trust, dt.date(2026, 4, 1), 3.1)
    with at(dt.date(2026, 5, 15)):  # April's 3.1 against 2.0 expected by its end: behind
        judgement = judgement_of(action, timezone.localdate())
    assert judgement.status is Status.AT_RISK
    assert judgement.reason == "Behind trajectory: 3.1 days against 2.0 days expected by 30 April 2026"


def test_a_month_without_a_value_falls_back_to_the_month_before(org):
    action = make_action(org, make_plan(org))
    snapshot(HIGH, org.trust, dt.date(2026, 2, 1), 70.0)
    snapshot(HIGH, org.trust, dt.date(2026, 3, 1), None)  # no one to count in March
    snapshot(HIGH, org.trust, dt.date(2026, 4, 1), 20.0)  # April, under way: never read

    with at(dt.date(2026, 4, 3)):
        judgement = judgement_of(action, timezone.localdate())

    assert judgement.live == Reading(70.0, dt.date(2026, 2, 28))
    assert Action.objects.count() == 1
