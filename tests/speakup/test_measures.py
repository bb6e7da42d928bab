"""Speak-up measures: registered with unit and direction, and computed in the database to known answers."""

import datetime as dt
import itertools

import pytest

from candour.core import measures
from candour.core.measures import Direction, Period
from candour.speakup.models import Concern, Identity, Kind, Route, Subject, Task, Threshold
from tests.support.factories import AreaFactory, PersonFactory, StationFactory

MARCH = Period.month(2026, 3)
IN_MARCH = dt.date(2026, 3, 10)
_references = itertools.count(1)


def _concern(trust, *, station="home", received_on=IN_MARCH, identity=Identity.OPEN, **fields):
    fields.setdefault("kind", Kind.WORKER_WELLBEING)
    return Concern.objects.create(
        reference=f"M-{next(_references)}",
        identity=identity,
        route=Route.GUARDIAN,
        raised_by=None if identity == Identity.ANONYMOUS else trust.staff,
        subject_type=Subject.PROCESS,
        station=trust.station if station == "home" else station,
        narrative="A concern for a measure test.",
        received_on=received_on,
        triage_due_on=fields.pop("triage_due_on", received_on + dt.timedelta(days=2)),
        **fields,
    )


def _closed(trust, on: dt.date, **fields):
    fields.setdefault("received_on", on - dt.timedelta(days=20))
    return _concern(
        trust, status="closed", closed_on=on, closure_reason="addressed", outcome="Done.", **fields
    )


def _value(key, unit, period=MARCH):
    return measures.get(key).value_for(unit, period)


def test_every_speak_up_measure_is_registered_with_a_unit_and_direction(db):
    keys = {m.key: m for m in measures.all_measures() if m.key.startswith("speakup.")}

    assert {f"speakup.{kind}_concerns_per_100_staff" for kind in Kind.values} <= set(keys)
    assert keys["speakup.low_level_concerns_per_100_staff"].direction == Direction.HIGHER_IS_BETTER
    assert keys["speakup.anonymous_share"].direction == Direction.LOWER_IS_BETTER
    assert keys["speakup.median_days_to_triage"].unit == "days"
    assert keys["speakup.open_overdue_share"].direction == Direction.LOWER_IS_BETTER
    assert keys["speakup.closed_with_feedback_share"].direction == Direction.HIGHER_IS_BETTER
    assert keys["speakup.would_speak_up_again_share"].unit == "%"
    assert keys["speakup.apprentice_concerns"].unit == "concerns"
    assert all(measure.description for measure in keys.values())


def test_concerns_per_100_staff_counts_the_kind_at_the_units_stations(trust):
    area = trust.station.parent
    for _ in range(3):  # the trust fixture's four people, plus these three
        PersonFactory(station=trust.station, start_date=dt.date(2020, 1, 1))
    PersonFactory(station=trust.station, start_date=dt.date(2026, 4, 1))  # not yet employed in March
    _concern(trust, kind=Kind.LOW_LEVEL)
    _concern(trust, kind=Kind.LOW_LEVEL)
    _concern(trust, kind=Kind.PREVENT)
    _concern(trust, kind=Kind.LOW_LEVEL, received_on=dt.date(2026, 4, 1))
    _concern(trust, kind=Kind.LOW_LEVEL, station=StationFactory(parent=AreaFactory(parent=trust.trust)))
    _concern(trust, kind=Kind.LOW_LEVEL, station=None)

    by_area = _value("speakup.low_level_concerns_per_100_staff", area)
    by_trust = _value("speakup.low_level_concerns_per_100_staff", trust.trust)

    assert (by_area.value, by_area.numerator, by_area.denominator) == (pytest.approx(100 * 2 / 7), 2, 7)
    assert (by_trust.numerator, by_trust.denominator) == (4, 7)  # the trust's include those with no station
    assert _value("speakup.prevent_concerns_per_100_staff", area).numerator == 1


def test_a_rate_has_no_value_where_no_one_works(trust):
    empty = StationFactory(parent=trust.station.parent)
    _concern(trust, kind=Kind.LOW_LEVEL, station=empty)

    result = _value("speakup.low_level_concerns_per_100_staff", empty)

    assert (result.value, result.numerator, result.denominator) == (None, 1, 0)


def test_low_level_share_is_of_triaged_concerns(trust):
    for threshold in [Threshold.LOW_LEVEL, Threshold.LOW_LEVEL, Threshold.LOW_LEVEL, Threshold.MEETS, ""]:
        _concern(trust, threshold=threshold)

    result = _value("speakup.low_level_share", trust.station)

    assert (result.value, result.numerator, result.denominator) == (75.0, 3, 4)


def test_anonymous_share_and_its_empty_period(trust):
    _concern(trust, identity=Identity.ANONYMOUS)
    for _ in range(3):
        _concern(trust)

    assert _value("speakup.anonymous_share", trust.station).value == 25.0
    assert _value("speakup.anonymous_share", trust.station, Period.month(2026, 5)).value is None


def test_concerns_raised_by_apprentices_are_counted(trust):
    _concern(trust, reporter_is_apprentice=True)
    _concern(trust, identity=Identity.ANONYMOUS, reporter_is_apprentice=True)
    _concern(trust, identity=Identity.ANONYMOUS, reporter_is_apprentice=None)
    _concern(trust, reporter_is_apprentice=False)

    result = _value("speakup.apprentice_concerns", trust.station)

    assert (result.value, result.numerator) == (2, 2)


def test_median_days_to_triage_is_over_concerns_triaged_in_the_period(trust):
    march = [
        (dt.date(2026, 2, 27), 3),
        (dt.date(2026, 3, 1), 3),
        (dt.date(2026, 3, 2), 12),
        (dt.date(2026, 3, 20), 21),
    ]
    for received, day in march:  # 4, 2, 10 and 1 days
        _concern(trust, received_on=received, triaged_on=dt.date(2026, 3, day))
    _concern(trust, received_on=dt.date(2026, 3, 30), triaged_on=dt.date(2026, 4, 8))
    _concern(trust)  # not triaged

    result = _value("speakup.median_days_to_triage", trust.station)
    quiet = _value("speakup.median_days_to_triage", trust.station, Period.month(2026, 5))

    assert (result.value, result.denominator) == (3.0, 4)
    assert (quiet.value, quiet.denominator) == (None, 0)


def test_open_overdue_share_is_taken_at_the_end_of_the_period(trust):
    end = MARCH.last_day
    _concern(trust, triage_due_on=end - dt.timedelta(days=1))  # triage overdue
    _concern(trust, triage_due_on=end)  # due on the last day: not yet overdue
    _concern(trust, triage_due_on=end - dt.timedelta(days=5), triaged_on=dt.date(2026, 4, 2))  # triaged late
    on_time = _concern(trust, triaged_on=IN_MARCH)
    Task.objects.create(concern=on_time, title="Late", owner=trust.lead, due_on=dt.date(2026, 3, 20))
    done = _concern(trust, triaged_on=IN_MARCH)
    Task.objects.create(
        concern=done,
        title="Done",
        owner=trust.lead,
        due_on=dt.date(2026, 3, 20),
        done_on=dt.date(2026, 3, 19),
    )
    _closed(trust, dt.date(2026, 3, 15), triage_due_on=dt.date(2026, 2, 1))  # closed before the end
    _closed(trust, dt.date(2026, 4, 3), triage_due_on=dt.date(2026, 3, 1))  # still open at the end, overdue
    _concern(trust, received_on=dt.date(2026, 4, 1))  # not yet received

    result = _value("speakup.open_overdue_share", trust.station)

    assert (result.numerator, result.denominator) == (4, 6)
    assert result.value == pytest.approx(100 * 4 / 6)


def test_closed_with_feedback_share_is_of_cases_closed_in_the_period(trust):
    _closed(trust, IN_MARCH, feedback_given_on=IN_MARCH)
    _closed(trust, IN_MARCH, feedback_given_on=IN_MARCH)
    _closed(trust, IN_MARCH)
    _closed(trust, dt.date(2026, 4, 2), feedback_given_on=dt.date(2026, 4, 2))

    result = _value("speakup.closed_with_feedback_share", trust.station)

    assert (result.numerator, result.denominator) == (2, 3)
    assert _value("speakup.closed_with_feedback_share", trust.station, Period.month(2026, 5)).value is None


def test_would_speak_up_again_share_is_of_those_who_answered(trust):
    for answer in ["yes", "yes", "no", "maybe", ""]:
        _closed(trust, IN_MARCH, feedback_given_on=IN_MARCH, speak_up_again=answer)
    _closed(trust, dt.date(2026, 4, 2), feedback_given_on=dt.date(2026, 4, 2), speak_up_again="no")

    result = _value("speakup.would_speak_up_again_share", trust.station)

    assert (result.value, result.numerator, result.denominator) == (50.0, 2, 4)
