"""The pace of change as a measure: the share of open actions on track (or completed on time) at the end of
each month, judged with the measures as they stood that month, and the count of overdue actions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from candour.assurance.models import Action
from candour.assurance.queries.plans import plan_summaries
from candour.assurance.services import plans as services
from candour.assurance.status import Status
from candour.core.measures import Direction, Period, get
from tests.assurance.test_plans import HIGH, at, build_org, make_action, make_plan, snapshot


@pytest.fixture
def org(make_user):
    return build_org(make_user)


@pytest.fixture
def actions(org, make_user):
    """Four actions open in the trust's plans in March 2026, two more that were not, and one in another
    trust that must not count. Level 3 runs from 60 to 90 over January to June (74.8 expected by 31 March).

    - on track, in an area's plan: 76 there in March;
    - at risk: a milestone due 10 March not done;
    - completed on time, on 12 March;
    - overdue since February.
    """
    plan = make_plan(org)
    area_plan = make_plan(org, unit=org.area, title="In Calder Vale")
    on_track = make_action(org, area_plan, title="On track")
    snapshot(HIGH, org.area, dt.date(2026, 3, 1), 76.0)
    at_risk = make_action(org, plan, title="Milestone missed")
    services.add_milestone(by=org.quality_lead, action=at_risk, title="Booked", due_on=dt.date(2026, 3, 10))
    snapshot(HIGH, org.trust, dt.date(2026, 3, 1), 80.0)
    done = make_action(org, plan, title="Done on time", due_on=dt.date(2026, 4, 30))
    Action.objects.filter(pk=done.pk).update(completed_on=dt.date(2026, 3, 12))
    make_action(org, plan, title="Overdue", starts_on=dt.date(2025, 11, 1), due_on=dt.date(2026, 2, 28))
    # Started after March: not counted then.
    make_action(org, plan, title="Later", starts_on=dt.date(2026, 4, 2), due_on=dt.date(2026, 9, 30))
    # Completed before March began: not open in March.
    early = make_action(
        org, plan, title="Done early", starts_on=dt.date(2025, 12, 1), due_on=dt.date(2026, 3, 1)
    )
    Action.objects.filter(pk=early.pk).update(completed_on=dt.date(2026, 2, 20))
    other = build_org(make_user, prefix="other.")  # another trust
    make_action(other, make_plan(other), title="Elsewhere", due_on=dt.date(2026, 2, 28))
    return on_track


def test_the_pace_is_the_share_of_open_actions_on_track_or_completed_on_time(org, actions):
    with at(dt.date(2026, 5, 10)):
        value = get("assurance.actions_on_track").value_for(org.trust, Period.month(2026, 3))
        overdue = get("assurance.actions_overdue").value_for(org.trust, Period.month(2026, 3))

    # Open in March: on track, at risk, done on time, overdue. Keeping pace: on track and done on time.
    assert (value.value, value.numerator, value.denominator) == (50.0, 2, 4)
    assert (overdue.value, overdue.numerator) == (1, 1)


def test_an_areas_pace_counts_only_its_own_plans(org, actions):
    with at(dt.date(2026, 5, 10)):
        value = get("assurance.actions_on_track").value_for(org.area, Period.month(2026, 3))
        elsewhere = get("assurance.actions_on_track").value_for(org.other_area, Period.month(2026, 3))

    assert (value.value, value.denominator) == (100.0, 1)
    assert elsewhere.value is None  # nothing open there: no value, not zero


def test_the_month_under_way_is_judged_as_of_today_on_the_months_complete(org, actions):
    snapshot(HIGH, org.area, dt.date(2026, 2, 1), 66.0)  # behind at the end of February
    with at(dt.date(2026, 3, 5)):
        early_in_march = get("assurance.actions_on_track").value_for(org.trust, Period.month(2026, 3))

    # On 5 March the milestone was not yet missed and nothing was complete: those two were on track by
    # their dates (the trust has no February value); level 3 in the area was behind in February, the last
    # complete month (66 against 69.7 expected), whatever March's first days say (76); one was overdue.
    assert (early_in_march.numerator, early_in_march.denominator) == (2, 4)


def test_a_month_not_yet_begun_has_no_value(org, actions):
    with at(dt.date(2026, 3, 5)):
        assert get("assurance.actions_on_track").value_for(org.trust, Period.month(2026, 4)).value is None


def test_a_missing_snapshot_is_computed_through_the_registry_while_snapshots_are_written(org):
    """Snapshots are written in key order, so assurance's pace is computed before learning's measures are
    kept: it asks the registry for the value of the month instead of finding nothing."""
    make_action(
        org, make_plan(org), starts_on=dt.date(2026, 2, 1), due_on=dt.date(2026, 12, 31), baseline=0.0
    )
    # No staff, so the measure has no value: the action is on track by its dates, and nothing breaks.
    with at(dt.date(2026, 5, 10)):
        value = get("assurance.actions_on_track").value_for(org.trust, Period.month(2026, 3))
    assert (value.numerator, value.denominator) == (1, 1)


def test_the_pace_measures_are_registered_with_their_directions():
    assert get("assurance.actions_on_track").direction == Direction.HIGHER_IS_BETTER
    assert get("assurance.actions_on_track").unit == "%"
    assert get("assurance.actions_overdue").direction == Direction.LOWER_IS_BETTER


def test_plan_summaries_for_the_board_report(org, actions):
    with at(dt.date(2026, 3, 31)):
        summaries = plan_summaries(on=dt.date(2026, 3, 31))
        area_only = plan_summaries(on=dt.date(2026, 3, 31), scope_units=[org.area])

    trust_plan = next(s for s in summaries if s.title == "Safeguarding training")
    assert summaries[0] is trust_plan  # the slipping plan first
    assert trust_plan.counts[Status.OVERDUE] == 1 and trust_plan.counts[Status.AT_RISK] == 1
    statuses = {a.title: (a.status, a.owner) for a in trust_plan.actions}
    assert statuses["Done on time"][0] is Status.COMPLETE and statuses["Later"][0] is Status.NOT_STARTED
    assert statuses["Overdue"] == (Status.OVERDUE, org.owner.display_name)
    overdue = next(a for a in trust_plan.actions if a.title == "Overdue")
    assert overdue.reason == "Overdue: due 28 February 2026, 31 days ago" and overdue.due_on == dt.date(
        2026, 2, 28
    )
    assert [s.title for s in area_only] == ["In Calder Vale"]


def test_a_pace_chart_with_no_values_yet_is_an_empty_state_not_an_empty_axis(org, client_for):
    from tests.assurance.test_plans import page_of

    with at(dt.date(2026, 3, 25)):
        page = page_of(client_for(org.quality_lead).get("/assurance/plans/"))

    pace = page[page.index("Actions on track: ") : page.index("Actions overdue: ")]
    assert "No values yet" in pace and "once a month has a value" in pace
    assert "<svg" not in pace
    assert "0.00" not in pace and "1.00" not in pace


def test_an_overdue_count_of_zero_never_shows_a_negative_axis(org, client_for):
    from tests.assurance.test_plans import page_of

    for month in range(1, 13):
        for unit in (org.trust, org.area):
            snapshot("assurance.actions_overdue", unit, dt.date(2025, month, 1), 0.0)
    with at(dt.date(2026, 1, 25)):
        page = page_of(client_for(org.quality_lead).get("/assurance/plans/"))

    overdue = page[page.index("Actions overdue: ") :]
    ticks = re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', overdue)
    assert ticks and not any(tick.startswith("-") for tick in ticks)
