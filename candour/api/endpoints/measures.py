"""Data out: the published measures, and a measure's monthly series for a unit with its SPC reading, as JSON
or, with `Accept: text/csv`, as CSV.

Only complete months are given (no judgement on a month still going), and a month counted over fewer
people than the small-number threshold is withheld: its figures are null, and it is left out of the SPC
reading, as if it were not known.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from ninja import Query, Router, Schema

from candour.api.endpoints.auth import require
from candour.api.endpoints.calls import note
from candour.api.endpoints.csv import json_or_csv, wants_csv
from candour.api.endpoints.problems import ApiProblem, problems
from candour.api.scopes import KeyScope
from candour.assurance.queries.measures import series_for
from candour.core import exports, measures, suppression
from candour.core.months import last_complete_month
from candour.core.spc import SpcConfig, xmr_chart
from candour.people.models import OrgUnit

router = Router(tags=["Measures"])
MOST_MONTHS = 60
CSV_COLUMNS = (
    "month",
    "value",
    "numerator",
    "denominator",
    "withheld",
    "mean",
    "lower_limit",
    "upper_limit",
    "colour",
)


class MeasureAbout(Schema):
    key: str
    title: str
    unit: str
    direction: str
    description: str


class SeriesPoint(Schema):
    month: dt.date
    value: float | None
    numerator: float | None
    denominator: float | None
    withheld: bool
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    colour: str | None


class Series(Schema):
    measure: MeasureAbout
    unit: uuid.UUID
    unit_name: str
    variation: str
    assurance: str
    points: list[SeriesPoint]


class SeriesQuery(Schema):
    unit: uuid.UUID
    months: int = 24


def _about(measure: measures.Measure) -> dict:
    return {
        "key": measure.key,
        "title": measure.title,
        "unit": measure.unit,
        "direction": str(measure.direction),
        "description": measure.description,
    }


@router.get(
    "/measures",
    response={200: list[MeasureAbout], **problems(401, 403, 429)},
    url_name="list_measures",
    summary="The published measures",
)
def list_measures(request):
    """Every measure Candour publishes: its key, title, unit, which direction is better, and what it is."""
    require(request, KeyScope.READ_MEASURES)
    found = [_about(measure) for measure in measures.all_measures()]
    note(request, rows=len(found))
    return found


@router.get(
    "/measures/{measure_key}/series",
    response={200: Series, **problems(400, 401, 403, 404, 429)},
    url_name="show_measure_series",
    summary="A measure's monthly series with SPC",
    description=(
        "Complete months only, oldest first, for a unit the key may read (the key's units and everything "
        "under them). Each month has its value and, once there are enough months, the mean, process limits "
        "and Making Data Count colour; the series has its variation and assurance icons. A month counted "
        "over fewer people than the small-number threshold is withheld. Send `Accept: text/csv` for CSV."
    ),
    openapi_extra=json_or_csv(Series),
)
def show_measure_series(request, measure_key: str, query: Query[SeriesQuery]):
    key = require(request, KeyScope.READ_MEASURES)
    try:
        measure = measures.get(measure_key)
    except measures.UnknownMeasure:
        raise ApiProblem(404, "Not found", "No measure is published with that key.") from None
    if not 1 <= query.months <= MOST_MONTHS:
        raise ApiProblem(400, "Months out of range", f"Ask for 1 to {MOST_MONTHS} months.")
    readable = OrgUnit.objects.under(*key.units.all())
    unit = readable.filter(public_id=query.unit).first()
    if unit is None:
        raise ApiProblem(404, "Not found", "The key may not read a unit with that id, or there is none.")
    series = _series(measure, unit, query.months)
    note(request, measure=measure.key, unit=str(unit.public_id), rows=len(series["points"]))
    if wants_csv(request):
        rows = [[point[column] for column in CSV_COLUMNS] for point in series["points"]]
        return exports.csv_response(f"{measure.key}.csv", [list(CSV_COLUMNS), *rows])
    return series


def _series(measure: measures.Measure, unit: OrgUnit, months: int) -> dict:
    until = last_complete_month(timezone.localdate()).last_day
    stored = series_for(measure, unit, months=months, until=until)
    points = []
    for point in stored.points:
        withheld = point.denominator is not None and suppression.is_small(int(point.denominator))
        shown = point.value is not None and not withheld
        points.append(
            {
                "month": point.period.start,
                "value": point.value if shown else None,
                "numerator": point.numerator if shown else None,
                "denominator": point.denominator if shown else None,
                "withheld": withheld,
                "mean": None,
                "lower_limit": None,
                "upper_limit": None,
                "colour": None,
            }
        )
    known = [entry for entry in points if entry["value"] is not None]
    chart = xmr_chart(
        [entry["value"] for entry in known],
        config=SpcConfig.from_settings(),
        direction=measures.Direction(measure.direction),
    )
    for entry, reading in zip(known, chart.points, strict=True):
        entry.update(
            mean=reading.mean,
            lower_limit=reading.lower_limit,
            upper_limit=reading.upper_limit,
            colour=str(reading.colour),
        )
    return {
        "measure": _about(measure),
        "unit": unit.public_id,
        "unit_name": unit.name,
        "variation": str(chart.variation),
        "assurance": str(chart.assurance),
        "points": points,
    }
