"""Data out: the measures list, and a measure's series for a unit with its SPC reading, as JSON and CSV,
against the catalogue's own figures; complete months only, small counts withheld, units in the key's reach."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from candour.api.scopes import KeyScope
from candour.assurance.models import MeasureSnapshot
from candour.assurance.queries.measures import series_for
from candour.core import measures
from candour.core.months import last_complete_month
from candour.core.spc import SpcConfig, xmr_chart
from tests.api.support import integration, issued_key
from tests.support.factories import AreaFactory, StationFactory

MEASURE = "people.headcount"


def _get(text, path, **headers):
    return Client().get(path, headers={"Authorization": f"Bearer {text}", **headers})


def _series_path(unit, months=24, key=MEASURE):
    return f"/api/v1/measures/{key}/series?unit={unit.public_id}&months={months}"


@pytest.fixture
def world(db):
    station = StationFactory()
    made = integration(station.trust)
    text, _ = issued_key(made, scopes=[KeyScope.READ_MEASURES], units=[station.parent])
    return station, text


def _snapshots(unit, values, denominators=None):
    months = last_complete_month(timezone.localdate()).previous_months(len(values))
    for index, (period, value) in enumerate(zip(months, values, strict=True)):
        MeasureSnapshot.objects.create(
            measure_key=MEASURE,
            unit=unit,
            month=period.start,
            value=value,
            numerator=value,
            denominator=(denominators or [None] * len(values))[index],
            computed_at=timezone.now(),
        )


def test_the_list_is_the_registry(world):
    _, text = world

    listed = _get(text, "/api/v1/measures").json()

    assert [measure["key"] for measure in listed] == [measure.key for measure in measures.all_measures()]
    headcount = next(measure for measure in listed if measure["key"] == MEASURE)
    registered = measures.get(MEASURE)
    assert headcount == {
        "key": MEASURE,
        "title": registered.title,
        "unit": registered.unit,
        "direction": str(registered.direction),
        "description": registered.description,
    }


def test_a_series_has_the_catalogues_figures_and_spc_reading(world):
    station, text = world
    values = [10, 12, 11, 13, 12, 14, 13, 12, 11, 12, 13, 30, 12, 11, 12]
    _snapshots(station, values)

    series = _get(text, _series_path(station, months=15)).json()

    until = last_complete_month(timezone.localdate()).last_day
    stored = series_for(MEASURE, station, months=15, until=until)
    chart = xmr_chart(values, config=SpcConfig.from_settings(), direction=stored.measure.direction)
    assert [point["value"] for point in series["points"]] == [point.value for point in stored.points]
    assert [point["mean"] for point in series["points"]] == [point.mean for point in chart.points]
    assert [point["upper_limit"] for point in series["points"]] == [p.upper_limit for p in chart.points]
    assert [point["colour"] for point in series["points"]] == [str(p.colour) for p in chart.points]
    assert series["variation"] == str(chart.variation) and series["assurance"] == str(chart.assurance)


def test_the_month_still_going_is_not_in_the_series(world):
    station, text = world
    this_month = timezone.localdate().replace(day=1)
    MeasureSnapshot.objects.create(
        measure_key=MEASURE, unit=station, month=this_month, value=99, computed_at=timezone.now()
    )

    series = _get(text, _series_path(station, months=3)).json()

    assert this_month.isoformat() not in [point["month"] for point in series["points"]]


def test_a_month_counted_over_too_few_is_withheld(world, settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5
    station, text = world
    _snapshots(station, [50.0, 75.0], denominators=[20, 4])

    points = _get(text, _series_path(station, months=2)).json()["points"]

    assert points[0]["value"] == 50.0 and not points[0]["withheld"]
    assert points[1] == {**points[1], "value": None, "numerator": None, "denominator": None, "withheld": True}


def test_the_series_as_csv_when_asked(world):
    station, text = world
    _snapshots(station, [10, 12])

    response = _get(text, _series_path(station, months=2), Accept="text/csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["month", "value", "numerator"]
    assert [row[1] for row in rows[1:]] == ["10.0", "12.0"]


def test_a_unit_beyond_the_keys_reach_is_not_found(world):
    station, text = world
    elsewhere = StationFactory(parent=AreaFactory(parent=station.trust))

    assert _get(text, _series_path(station)).status_code == 200
    assert _get(text, _series_path(elsewhere)).status_code == 404
    assert _get(text, _series_path(station.trust)).status_code == 404


def test_a_key_without_the_measures_scope_is_refused(db):
    text, _ = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])

    assert _get(text, "/api/v1/measures").status_code == 403


def test_an_unknown_measure_is_not_found(world):
    station, text = world

    response = _get(text, _series_path(station, key="no.such"))

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
