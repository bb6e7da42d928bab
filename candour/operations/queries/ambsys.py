"""The trust's own response-time figures in AmbSYS's shape (STANDARDS.md §1), so it can check what it
submits: per complete month, A7 (all incidents), A8-A12 (incidents counted with a clock stop: C1, C1T, C2,
C3, C4) and A24-A38 (each category's total seconds, mean and 90th centile). "." where there is nothing, as
NHS England writes it. The month under way is never exported: a submission is for a complete month."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from candour.core.months import complete_months
from candour.operations.arp.categories import PUBLISHED
from candour.operations.models import CadIncident
from candour.operations.queries.response_times import MONTHS_SHOWN, centile_method, monthly_figures
from candour.people.models import OrgUnit

NOT_AVAILABLE = "."
COUNT_CODES = ("A8", "A9", "A10", "A11", "A12")
RESPONSE_CODES = (
    ("A24", "A25", "A26"),
    ("A27", "A28", "A29"),
    ("A30", "A31", "A32"),
    ("A33", "A34", "A35"),
    ("A36", "A37", "A38"),
)
HEADER = (
    "Year",
    "Month",
    "Org Code",
    "Org Name",
    "A7",
    *COUNT_CODES,
    *(code for codes in RESPONSE_CODES for code in codes),
)


def trusts_in(scope):
    """The trusts a scope covers whole: AmbSYS figures are a trust's, never an area's."""
    return OrgUnit.objects.filter(pk__in=scope.unit_ids, kind=OrgUnit.Kind.TRUST).order_by("code")


def ambsys_rows(scope, today: dt.date | None = None) -> list[tuple]:
    """The header, then one row per trust the scope covers whole and complete month, oldest month first."""
    months = complete_months(today or timezone.localdate(), MONTHS_SHOWN)
    method = centile_method()
    rows: list[tuple] = [HEADER]
    for trust in trusts_in(scope):
        incidents = CadIncident.objects.filter(station__in=OrgUnit.objects.stations_under(trust))
        figures = monthly_figures(incidents, months, method)
        all_incidents = dict(
            incidents.filter(month__gte=months[0].start, month__lt=months[-1].end)
            .order_by()
            .values_list("month")
            .annotate(count=Count("pk"))
            .values_list("month", "count")
        )
        for month in months:
            by_category = [figures.get((month.start, category)) for category in PUBLISHED]
            counts = [each.incidents if each else NOT_AVAILABLE for each in by_category]
            responses = [
                value
                for each in by_category
                for value in (
                    (each.total_seconds, each.mean_seconds, each.centile90_seconds)
                    if each
                    else (NOT_AVAILABLE,) * 3
                )
            ]
            total = all_incidents.get(month.start, 0)
            rows.append(
                (month.start.year, month.start.month, trust.code, trust.name, total, *counts, *responses)
            )
    return rows
