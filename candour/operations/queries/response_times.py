"""Response times by category and month for the units a user may see, against the national standards.

Figures come from the incidents' stored responses (worked out by the ARP clock on import) through the
engine's own `figures_of`, so the page, `manage.py arp` and the tests give the same whole seconds on every
database. A month under way, or one with fewer incidents than the small-number threshold, is shown but
never judged (ADR 0026)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from candour.core.measures import Period
from candour.core.months import month_of
from candour.operations.arp.categories import PUBLISHED, Category
from candour.operations.arp.centiles import CentileMethod
from candour.operations.arp.figures import Figures, figures_of
from candour.operations.arp.reference import STANDARDS, Standard
from candour.operations.models import CadIncident

# The complete months the overview shows before the month under way: a year, so a winter sits beside summer.
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class MonthFigures:
    """One category's figures for one month; `figures` is None when no incident had a clock stop."""

    month: Period
    figures: Figures | None
    standard: Standard | None
    complete: bool

    @property
    def judged(self) -> bool:
        """Whether the month may be set against the standards: complete, and enough incidents."""
        return (
            self.complete
            and self.figures is not None
            and self.figures.incidents >= settings.CANDOUR_SMALL_NUMBER_THRESHOLD
        )

    @property
    def mean_met(self) -> bool | None:
        if not self.judged or self.standard is None or self.standard.mean_seconds is None:
            return None
        return self.figures.mean_seconds <= self.standard.mean_seconds

    @property
    def centile_met(self) -> bool | None:
        if not self.judged or self.standard is None or self.standard.centile90_seconds is None:
            return None
        return self.figures.centile90_seconds <= self.standard.centile90_seconds


@dataclass(frozen=True)
class CategoryTable:
    category: Category
    standard: Standard | None
    months: list[MonthFigures]  # newest first


@dataclass(frozen=True)
class Overview:
    method: CentileMethod
    tables: list[CategoryTable]

    @property
    def has_incidents(self) -> bool:
        return any(month.figures for table in self.tables for month in table.months)


def shown_months(today: dt.date) -> list[Period]:
    """The months the overview shows, oldest first: MONTHS_SHOWN complete ones, then the month under way."""
    return month_of(today).previous_months(MONTHS_SHOWN + 1)


def monthly_figures(
    incidents, months: list[Period], method: CentileMethod
) -> dict[tuple[dt.date, Category], Figures]:
    """Figures per (first day of month, category) for the counted incidents of a queryset in the months."""
    seconds: dict[tuple[dt.date, Category], list[int]] = defaultdict(list)
    rows = (
        incidents.counted()
        .filter(month__gte=months[0].start, month__lt=months[-1].end)
        .values_list("month", "counted_category", "response_seconds", "c1t_response_seconds")
    )
    for month, category, response, c1t in rows.iterator(chunk_size=5_000):
        seconds[(month, Category(category))].append(response)
        if c1t is not None:
            seconds[(month, Category.C1T)].append(c1t)
    return {key: figures_of(times, method) for key, times in seconds.items()}


def figures_in(incidents, period: Period, category: Category, method: CentileMethod) -> Figures | None:
    """One category's figures for the counted incidents of a queryset in a span of whole months, pooled (a
    measure's value for one month is that month's figure on the overview); None when none was counted."""
    column, counted = _counted_under(incidents, category)
    seconds = list(
        counted.filter(month__gte=period.start, month__lt=period.end)
        .values_list(column, flat=True)
        .iterator(chunk_size=5_000)
    )
    return figures_of(seconds, method) if seconds else None


def figures_by_month(
    incidents, months: list[Period], category: Category, method: CentileMethod
) -> dict[dt.date, Figures]:
    """One category's figures per month (by its first day) for the counted incidents of a queryset, in one
    query for the whole span: what `figures_in` gives month by month."""
    column, counted = _counted_under(incidents, category)
    seconds: dict[dt.date, list[int]] = defaultdict(list)
    start, end = min(month.start for month in months), max(month.end for month in months)
    rows = counted.filter(month__gte=start, month__lt=end).values_list("month", column)
    for month, response in rows.iterator(chunk_size=5_000):
        seconds[month].append(response)
    return {month: figures_of(times, method) for month, times in seconds.items()}


def _counted_under(incidents, category: Category):
    """(the column holding the response, the incidents counted under the category)."""
    if category == Category.C1T:
        column, counted = "c1t_response_seconds", incidents.filter(counted_category=Category.C1)
    else:
        column, counted = "response_seconds", incidents.filter(counted_category=category)
    return column, counted.counted().filter(**{f"{column}__isnull": False})


def centile_method() -> CentileMethod:
    return CentileMethod(settings.CANDOUR_ARP_CENTILE_METHOD)


def overview_for(scope, today: dt.date | None = None) -> Overview:
    """Response times per category over the shown months, for the incidents at the stations in scope."""
    months = shown_months(today or timezone.localdate())
    method = centile_method()
    figures = monthly_figures(CadIncident.objects.for_scope(scope), months, method)
    running = months[-1]
    tables = []
    for category in PUBLISHED:
        standard = STANDARDS.get(category)
        rows = [
            MonthFigures(
                month=month,
                figures=figures.get((month.start, category)),
                standard=standard,
                complete=month != running,
            )
            for month in reversed(months)
        ]
        tables.append(CategoryTable(category, standard, rows))
    return Overview(method, tables)


def counted_incidents(scope, *, month: dt.date, category: Category):
    """The incidents behind one figure of the overview: those counted under the category that month."""
    incidents = (
        CadIncident.objects.for_scope(scope)
        .filter(month=month)
        .select_related("station")
        .prefetch_related("retriages")
    )
    if category == Category.C1T:
        return incidents.filter(counted_category=Category.C1, c1t_response_seconds__isnull=False)
    return incidents.counted().filter(counted_category=category)
