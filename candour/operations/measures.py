"""Response-time measures the operations app publishes (docs/design.md "Measures"), for a unit and a month.

A unit's incidents are those at its stations. Each value is the overview's own figure, from the incidents'
stored responses through the ARP engine (`queries.response_times.figures_in`), in whole seconds and by the
centile method the settings name. A month with fewer counted incidents than the small-number threshold has
no value (ADR 0026): its count is kept, so the chart says why. Lower is better for every one of them; the
national standard is each measure's standard (drawn on every chart of it) and in its description, as
STANDARDS.md §1 has it.
"""

from __future__ import annotations

from django.conf import settings

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.operations.arp.categories import Category
from candour.operations.arp.figures import Figures
from candour.operations.arp.reference import STANDARDS
from candour.operations.models import CadIncident
from candour.operations.queries.response_times import centile_method, figures_by_month, figures_in
from candour.people.measures import stations_under
from candour.people.models import OrgUnit

# (category, statistic): the statistic is "mean" or "centile90"; each has a national standard.
MEASURED = [
    (Category.C1, "mean"),
    (Category.C1, "centile90"),
    (Category.C2, "mean"),
    (Category.C2, "centile90"),
    (Category.C3, "centile90"),
    (Category.C4, "centile90"),
]

STATISTICS = {"mean": "Mean response", "centile90": "90th centile response"}


def measure_key(category: Category, statistic: str) -> str:
    return f"operations.{category.value.lower()}_{statistic}_response_seconds"


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} minutes ({seconds} seconds)"


def _register(category: Category, statistic: str) -> None:
    standard = getattr(STANDARDS[category], f"{statistic}_seconds")

    def value(figures: Figures | None) -> MeasureValue:
        if figures is None:
            return MeasureValue(None, None, 0)
        if figures.incidents < settings.CANDOUR_SMALL_NUMBER_THRESHOLD:
            return MeasureValue(None, None, figures.incidents)
        if statistic == "mean":
            return MeasureValue(figures.mean_seconds, figures.total_seconds, figures.incidents)
        return MeasureValue(figures.centile90_seconds, None, figures.incidents)

    def compute(unit: OrgUnit, period: Period) -> MeasureValue:
        return value(figures_in(_incidents_of(unit), period, category, centile_method()))

    def compute_span(unit: OrgUnit, periods) -> dict:
        figures = figures_by_month(_incidents_of(unit), list(periods), category, centile_method())
        return {period.start: value(figures.get(period.start)) for period in periods}

    how = (
        "total whole seconds over counted incidents, rounded half up, as AmbSYS rounds"
        if statistic == "mean"
        else "the 90th centile of the counted incidents' whole-second responses, by the centile method the "
        "settings name (linear, as PostgreSQL's percentile_cont, unless set to nearest rank), rounded half up"
    )
    register(
        key=measure_key(category, statistic),
        title=f"{category.value} {STATISTICS[statistic].lower()} time",
        unit="seconds",
        direction=Direction.LOWER_IS_BETTER,
        description=f"{category.value} incidents at the unit's stations whose call connected in the period "
        f"(Europe/London) and that had a clock stop, by the ARP clock rules in force: {how}. The denominator "
        f"is the number of counted incidents; with fewer than the small-number threshold there is no value. "
        f"Lower is better: the national standard is {_minutes(standard)}, drawn on its charts.",
        standard=standard,
        span=compute_span,
    )(compute)


def _incidents_of(unit: OrgUnit):
    return CadIncident.objects.filter(station_id__in=stations_under(unit))


for category, statistic in MEASURED:
    _register(category, statistic)
