"""Data out as the trust's files hold it: the freedom to speak up guardian's quarterly return, counted over
the key's units, as JSON or, with `Accept: text/csv`, as the same CSV the guardian downloads. Counts below
the small-number threshold, and any a total would give away, are hidden exactly as on the guardian's page;
no concern, case or text is ever given."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Schema

from candour.api.endpoints.auth import require
from candour.api.endpoints.calls import note
from candour.api.endpoints.csv import json_or_csv, wants_csv
from candour.api.endpoints.problems import ApiProblem, problems
from candour.api.scopes import KeyScope
from candour.core import exports
from candour.people.access import scope_under
from candour.speakup.queries import returns as reports

router = Router(tags=["Exports"])


class ReturnCount(Schema):
    label: str
    count: int | None
    hidden: bool


class ReturnSection(Schema):
    title: str
    rows: list[ReturnCount]


class GuardianReturnOut(Schema):
    quarter: str
    label: str
    sections: list[ReturnSection]


class ReturnQuery(Schema):
    quarter: str = ""


@router.get(
    "/exports/guardian-return",
    response={200: GuardianReturnOut, **problems(400, 401, 403, 429)},
    url_name="show_guardian_return",
    summary="The freedom to speak up quarterly return",
    description=(
        "The return for one of the last eight quarters of the NHS financial year (`quarter` as `2025-26-q1`; "
        "left out, the latest), over the concerns at the key's units and everything under them. A hidden "
        "count has `count` null and `hidden` true. Send `Accept: text/csv` for the guardian's CSV."
    ),
    openapi_extra=json_or_csv(GuardianReturnOut),
)
def show_guardian_return(request, query: Query[ReturnQuery]):
    key = require(request, KeyScope.READ_GUARDIAN_RETURN)
    quarters = reports.recent_quarters(timezone.localdate())
    quarter = reports.Quarter.parse(query.quarter) if query.quarter else quarters[0]
    if quarter not in quarters:
        raise ApiProblem(
            400,
            "Quarter out of range",
            f"Ask for one of the last {len(quarters)} quarters, written like {quarters[0].slug}.",
        )
    report = reports.guardian_return(scope_under(set(key.units.values_list("id", flat=True))), quarter)
    note(request, quarter=quarter.slug, rows=sum(len(section.rows) for section in report.sections))
    if wants_csv(request):
        return exports.csv_response(f"freedom-to-speak-up-return-{quarter.slug}.csv", report.csv_rows())
    return {
        "quarter": quarter.slug,
        "label": quarter.label,
        "sections": [
            {
                "title": section.title,
                "rows": [
                    {"label": row.label, "count": None if row.hidden else row.count, "hidden": row.hidden}
                    for row in section.rows
                ],
            }
            for section in report.sections
        ],
    }
