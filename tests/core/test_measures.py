"""The measures registry: apps publish measures by key; anything can compute them for a unit and month."""

import datetime as dt

import pytest

from candour.core import measures
from candour.core.measures import Direction, MeasureValue, Period, UnknownMeasure
from tests.support.factories import AreaFactory, PersonFactory, StationFactory


def test_headcount_is_registered_by_the_people_app(db):
    measure = measures.get("people.headcount")

    assert measure.direction == Direction.NEITHER
    assert "people.headcount" in [m.key for m in measures.all_measures()]


def test_headcount_by_area_counts_people_employed_at_the_end_of_the_month(db):
    area = AreaFactory()
    station = StationFactory(parent=area)
    PersonFactory(station=station, start_date=dt.date(2020, 1, 1))
    PersonFactory(station=station, start_date=dt.date(2020, 1, 1), leave_date=dt.date(2026, 3, 15))
    PersonFactory(station=station, start_date=dt.date(2026, 4, 1))
    PersonFactory(station=StationFactory(), start_date=dt.date(2020, 1, 1))

    march = measures.get("people.headcount").value_for(area, Period.month(2026, 3))
    april = measures.get("people.headcount").value_for(area, Period.month(2026, 4))

    assert march.value == 1
    assert april.value == 2


def test_headcount_for_the_trust_sums_its_areas(db):
    area = AreaFactory()
    PersonFactory(station=StationFactory(parent=area))
    PersonFactory(station=StationFactory(parent=AreaFactory(parent=area.parent)))

    assert measures.get("people.headcount").value_for(area.parent, Period.month(2026, 1)).value == 2


def test_an_unknown_key_says_which_key(db):
    with pytest.raises(UnknownMeasure, match=r"no\.such\.measure"):
        measures.get("no.such.measure")


def test_two_measures_cannot_share_a_key():
    @measures.register(key="test.unique", title="t", unit="n", direction=Direction.NEITHER, description="d")
    def first(unit, period):
        return MeasureValue(1)

    with pytest.raises(ValueError, match=r"test\.unique"):

        @measures.register(
            key="test.unique", title="t", unit="n", direction=Direction.NEITHER, description="d"
        )
        def second(unit, period):
            return MeasureValue(2)


def test_a_month_is_half_open_and_knows_its_neighbours():
    december = Period.month(2025, 12)

    assert december.end == dt.date(2026, 1, 1)
    assert december.last_day == dt.date(2025, 12, 31)
    assert december.label == "December 2025"
    assert [p.label for p in Period.month(2026, 2).previous_months(3)] == [
        "December 2025",
        "January 2026",
        "February 2026",
    ]


def test_a_source_publishes_measures_defined_by_data_and_they_appear_without_a_restart(db):
    from candour.core import measures

    published: list[measures.Measure] = []
    source = measures.register_source(lambda: list(published))
    try:
        assert not measures.exists("test.from_data")
        published.append(
            measures.Measure(
                "test.from_data",
                "From data",
                "%",
                measures.Direction.HIGHER_IS_BETTER,
                "A measure a row of data defines.",
                lambda unit, period: measures.MeasureValue(50.0),
            )
        )
        assert measures.get("test.from_data").title == "From data"
        assert "test.from_data" in [measure.key for measure in measures.all_measures()]
    finally:
        measures._sources.remove(source)
