"""Response-time measures in the assurance catalogue: the overview's own figures for a trust or an area and
a month, lower is better, no value on too few incidents, bindable to CQC statements and charted with SPC."""

import datetime as dt
import itertools
import re

import pytest
import time_machine
from django.urls import reverse

from candour.assurance.models import MeasureBinding, MeasureSnapshot, QualityStatement
from candour.assurance.services.framework import bind_measure
from candour.assurance.services.snapshots import refresh_snapshots
from candour.core.charts import spc_chart
from candour.core.measures import Direction, MeasureSeries, Period, all_measures, get
from candour.operations.arp.categories import Category
from candour.operations.measures import MEASURED, measure_key
from candour.operations.models import CadIncident, Channel
from candour.operations.queries.response_times import overview_for
from candour.people.access import scope_under
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory, TrustFactory

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)
NUMBERS = itertools.count(1)
C1_MEAN = "operations.c1_mean_response_seconds"
C1_CENTILE = "operations.c1_centile90_response_seconds"


@pytest.fixture(autouse=True)
def _in_november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def units():
    trust = TrustFactory()
    north, south = AreaFactory(parent=trust), AreaFactory(parent=trust)
    return {
        "trust": trust,
        "north": north,
        "south": south,
        "n1": StationFactory(parent=north),
        "s1": StationFactory(parent=south),
    }


def incident(station, month, category, seconds):
    connected = dt.datetime(month.year, month.month, 10, 12, tzinfo=dt.UTC)
    return CadIncident.objects.create(
        incident_id=f"INC-M{next(NUMBERS)}",
        station=station,
        category=category,
        call_connected=connected,
        first_on_scene=connected + dt.timedelta(seconds=seconds) if seconds is not None else None,
        conveyed=False,
        channel=Channel.VOICE,
        month=month,
        counted_category=category,
        response_seconds=seconds,
        clock_rules="ARP 2017",
    )


def value(key, unit, month=OCTOBER):
    return get(key).value_for(unit, Period.month(month.year, month.month))


def test_every_response_time_measure_is_registered_lower_is_better_with_its_national_standard():
    keys = {measure.key for measure in all_measures()}
    for category, statistic in MEASURED:
        measure = get(measure_key(category, statistic))
        assert measure.key in keys
        assert measure.direction == Direction.LOWER_IS_BETTER
        assert measure.unit == "seconds"
    assert "national standard is 7 minutes (420 seconds)" in get(C1_MEAN).description
    assert "national standard is 15 minutes (900 seconds)" in get(C1_CENTILE).description
    assert "40 minutes (2400 seconds)" in get("operations.c2_centile90_response_seconds").description


def test_the_measures_give_the_overviews_figures_for_the_trust_and_each_area(units):
    # North: six C1 responses, mean 3360 / 6 = 560 s and 90th centile 900 s (linear, as on the overview).
    for seconds in (300, 360, 420, 480, 600, 1200):
        incident(units["n1"], OCTOBER, "C1", seconds)
    for seconds in (600, 700, 800, 900, 1000, 5000):
        incident(units["s1"], OCTOBER, "C2", seconds)
    incident(units["s1"], OCTOBER, "C2", None)  # no clock stop: not counted
    for unit in (units["trust"], units["north"], units["south"]):
        overview = overview_for(scope_under({unit.pk}))
        for table in overview.tables:
            if table.category not in (Category.C1, Category.C2):
                continue
            october = next(month for month in table.months if month.month.start == OCTOBER)
            mean = value(measure_key(table.category, "mean"), unit)
            centile = value(measure_key(table.category, "centile90"), unit)
            if october.figures is None:
                assert mean.value is None and centile.value is None
                continue
            assert mean.value == october.figures.mean_seconds
            assert mean.numerator == october.figures.total_seconds
            assert mean.denominator == centile.denominator == october.figures.incidents
            assert centile.value == october.figures.centile90_seconds
    assert value(C1_MEAN, units["trust"]).value == 560
    assert value(C1_CENTILE, units["north"]).value == 900
    assert value(C1_MEAN, units["south"]).value is None
    assert value("operations.c2_mean_response_seconds", units["south"]).denominator == 6


def test_a_month_with_fewer_incidents_than_the_threshold_has_no_value_but_keeps_its_count(units, settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5
    for seconds in (300, 360, 420, 480):
        incident(units["n1"], OCTOBER, "C1", seconds)
    reading = value(C1_CENTILE, units["trust"])
    assert reading.value is None
    assert reading.denominator == 4
    incident(units["n1"], OCTOBER, "C1", 500)
    assert value(C1_CENTILE, units["trust"]).value is not None


def test_the_measures_bind_to_the_cqc_statements_on_access_and_pathways(units, make_user):
    lead = make_user(Role.QUALITY_LEAD, units["trust"])
    for title in ("Equity in access", "Safe systems, pathways and transitions"):
        statement = QualityStatement.objects.get(title=title)
        bind_measure(
            by=lead,
            statement=statement,
            measure_key=C1_MEAN,
            score_2_from=600,
            score_3_from=420,
            score_4_from=360,
        )
    assert set(
        MeasureBinding.objects.filter(measure_key=C1_MEAN).values_list("quality_statement__title", flat=True)
    ) == {
        "Equity in access",
        "Safe systems, pathways and transitions",
    }


def test_the_catalogue_and_the_measure_page_chart_the_kept_values(units, make_user, client_for):
    for month in (dt.date(2026, m, 1) for m in range(1, 11)):
        for seconds in (300, 360, 420, 480, 600, 1200 + month.month):
            incident(units["n1"], month, "C1", seconds)
    months = Period.month(2026, 10).previous_months(10)
    refresh_snapshots(months=months, units=[units["trust"]], measures=[get(C1_MEAN), get(C1_CENTILE)])
    kept = MeasureSnapshot.objects.get(measure_key=C1_MEAN, unit=units["trust"], month=OCTOBER)
    assert kept.value == value(C1_MEAN, units["trust"]).value
    client = client_for(make_user(Role.QUALITY_LEAD, units["trust"]))
    catalogue = client.get(reverse("assurance:list_measures")).content.decode()
    assert f'data-measure="{C1_MEAN}"' in catalogue
    page = client.get(reverse("assurance:show_measure", kwargs={"measure_key": C1_MEAN}))
    assert page.status_code == 200
    html = page.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert 'role="img"' in html
    assert "Lower is better" in text
    # Six responses, 300 to 1210 s: 3,370 / 6 = 561.67, so 562 s, with its numerator and denominator.
    assert "Latest value 562 seconds in October 2026" in text
    assert "October 2026 562 561.0 3,370 6" in text


def test_each_response_time_chart_draws_its_national_standard_as_the_target():
    c1_mean = get(measure_key(Category.C1, "mean"))
    c2_centile = get(measure_key(Category.C2, "centile90"))

    assert (c1_mean.standard, c2_centile.standard) == (7 * 60, 40 * 60)
    assert spc_chart(MeasureSeries(c1_mean, ())).target == 7 * 60
    assert spc_chart(MeasureSeries(c1_mean, ()), target=300).target == 300
