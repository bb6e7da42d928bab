"""Briefing measures on a hand-built set with known answers, at the edges of days in London time."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt

import pytest
import time_machine

from candour.core import measures
from candour.core.measures import Period
from candour.learning.models import Briefing, BriefingAudience
from tests.learning.briefing_fixtures import northshire  # noqa: F401 - fixture
from tests.support.factories import PersonFactory

SHARE = "learning.briefing_acknowledged_share"
MEDIAN = "learning.briefing_median_days_to_acknowledge"
MARCH, APRIL, MAY = Period.month(2026, 3), Period.month(2026, 4), Period.month(2026, 5)


def _utc(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def acknowledgements(northshire):
    """Briefing X (2 March, by 16 March) to p1 and p2 at A1, p3 at A2 and p4 at B1; briefing Y (1 April,
    by 10 April) to p1 and p4. Days to acknowledge are counted in London: BST starts on 29 March."""
    p1, p2 = PersonFactory(station=northshire.a1), PersonFactory(station=northshire.a1)
    p3, p4 = PersonFactory(station=northshire.a2), PersonFactory(station=northshire.b1)
    x, y = (
        Briefing.objects.create(
            title=title, body="Text", acknowledge_by=by, published_on=on, published_by=northshire.lead
        )
        for title, on, by in [
            ("X", dt.date(2026, 3, 2), dt.date(2026, 3, 16)),
            ("Y", dt.date(2026, 4, 1), dt.date(2026, 4, 10)),
        ]
    )
    rows = [
        (x, p1, _utc(3, 3, 10)),  # day 1, on time
        (x, p2, _utc(3, 16, 23, 30)),  # 11:30pm in London on the deadline: day 14, on time
        (x, p3, _utc(3, 31, 23, 30)),  # 12:30am on 1 April in London: day 30, late, an April acknowledgement
        (x, p4, None),
        (y, p1, _utc(4, 10, 23, 30)),  # 12:30am on 11 April in London: day 10, late
        (y, p4, _utc(4, 2, 8)),  # day 1, on time
    ]
    BriefingAudience.objects.bulk_create(
        BriefingAudience(
            briefing=b,
            person=p,
            station=p.station,
            joined_on=b.published_on,
            due_on=b.acknowledge_by,
            acknowledged_at=at,
        )
        for b, p, at in rows
    )
    with time_machine.travel(_utc(5, 15, 12), tick=False):
        yield


def _value(key, unit, period):
    return measures.get(key).value_for(unit, period)


def test_acknowledged_share_counts_acknowledgements_by_each_deadline(northshire, acknowledgements):
    assert _value(SHARE, northshire.trust, MARCH) == measures.MeasureValue(50, 2, 4)
    assert _value(SHARE, northshire.area_a, MARCH).numerator == 2
    assert _value(SHARE, northshire.area_a, MARCH).denominator == 3
    assert _value(SHARE, northshire.area_b, MARCH).value == 0
    assert _value(SHARE, northshire.trust, APRIL) == measures.MeasureValue(50, 1, 2)
    assert _value(SHARE, northshire.a1, APRIL) == measures.MeasureValue(0, 0, 1)


def test_acknowledged_share_is_none_with_no_deadline_in_the_period(northshire, acknowledgements):
    assert _value(SHARE, northshire.trust, MAY).value is None
    assert _value(SHARE, northshire.other_station, MARCH).value is None


def test_acknowledged_share_waits_for_the_deadline_to_pass(northshire, acknowledgements):
    with time_machine.travel(_utc(4, 10, 12), tick=False):
        assert _value(SHARE, northshire.trust, APRIL).value is None
    with time_machine.travel(_utc(4, 11, 12), tick=False):
        assert _value(SHARE, northshire.trust, APRIL).value == 50


def test_median_days_counts_acknowledgements_made_in_the_period(northshire, acknowledgements):
    assert _value(MEDIAN, northshire.trust, MARCH) == measures.MeasureValue(7.5, None, 2)
    assert _value(MEDIAN, northshire.trust, APRIL) == measures.MeasureValue(10, None, 3)
    assert _value(MEDIAN, northshire.area_a, APRIL).value == 20
    assert _value(MEDIAN, northshire.b1, APRIL).value == 1


def test_median_days_is_none_with_no_acknowledgements(northshire, acknowledgements):
    assert _value(MEDIAN, northshire.trust, MAY) == measures.MeasureValue(None, None, 0)
    assert _value(MEDIAN, northshire.area_b, MARCH).value is None


def test_both_measures_are_registered_with_their_direction():
    share, median = measures.get(SHARE), measures.get(MEDIAN)

    assert (share.unit, share.direction) == ("%", measures.Direction.HIGHER_IS_BETTER)
    assert (median.unit, median.direction) == ("days", measures.Direction.LOWER_IS_BETTER)


def test_both_measures_judge_a_joiner_by_their_own_deadline(northshire, acknowledgements):
    x = Briefing.objects.get(title="X")
    joiner = PersonFactory(station=northshire.b1)
    BriefingAudience.objects.create(
        briefing=x,
        person=joiner,
        station=joiner.station,
        joined_on=dt.date(2026, 4, 20),
        due_on=dt.date(2026, 5, 4),
        acknowledged_at=_utc(4, 22, 9),
    )

    assert _value(SHARE, northshire.trust, MARCH) == measures.MeasureValue(50, 2, 4)
    assert _value(SHARE, northshire.b1, MAY) == measures.MeasureValue(100, 1, 1)
    assert _value(MEDIAN, northshire.b1, APRIL).value == 1.5
