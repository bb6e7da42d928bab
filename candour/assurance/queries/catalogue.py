"""The measures catalogue: every registered measure with its latest kept value and SPC chart, for a unit.

A page reads every measure's snapshots in one query and charts them in Python; nothing is recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from candour.assurance.models import LimitRecalculation
from candour.assurance.queries.measures import series_for_many
from candour.core.charts import ChartView, spc_chart
from candour.core.measures import Measure, UnknownMeasure, all_measures, get
from candour.people.access import Scope
from candour.people.models import OrgUnit

# Each app's measures under a readable heading, in this order; an app not named here follows, by its key.
GROUPS = {
    "people": "Workforce",
    "speakup": "Speaking up and safeguarding concerns",
    "learning": "Training, apprenticeships and briefings",
    "voice": "Staff voice",
    "assurance": "Assurance and improvement",
}


@dataclass(frozen=True)
class MeasureGroup:
    key: str
    name: str
    charts: list[ChartView]

    @property
    def anchor(self) -> str:
        return f"group-{self.key}"


@dataclass(frozen=True)
class Catalogue:
    unit: OrgUnit
    groups: list[MeasureGroup]
    until: dt.date
    months: int

    @property
    def count(self) -> int:
        return sum(len(group.charts) for group in self.groups)


def group_key(measure: Measure) -> str:
    return measure.key.split(".", 1)[0]


def group_name(key: str) -> str:
    """The heading for an app's measures: a wider name where one is given, otherwise the app's own name, so
    a new app's measures are headed by it with no change here."""
    if key in GROUPS:
        return GROUPS[key]
    config = next((config for config in apps.get_app_configs() if config.label == key), None)
    return str(config.verbose_name) if config else key.replace("_", " ").capitalize()


def units_in_scope(scope: Scope) -> list[OrgUnit]:
    """The units a viewer may chart: the trust, if their scope is trust-wide, then their areas by name.

    Measures are kept for the trust and its areas only, so a scope of stations alone has none."""
    if scope.is_empty:
        return []
    units = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA], pk__in=scope.unit_ids)
    return sorted(units, key=lambda unit: (unit.kind != OrgUnit.Kind.TRUST, unit.name))


def chosen_unit(units: list[OrgUnit], public_id: str | None) -> OrgUnit | None:
    """The unit asked for, if it is one of `units`; the first of them if none was asked for; else None."""
    if not public_id:
        return units[0] if units else None
    return next((unit for unit in units if str(unit.public_id) == public_id), None)


def catalogue(unit: OrgUnit, *, until: dt.date | None = None, months: int | None = None) -> Catalogue:
    """Every registered measure, grouped by the app that publishes it, charted for one unit."""
    until = until or timezone.localdate()
    months = months or settings.CANDOUR_CHART_MONTHS
    measures = all_measures()
    series = series_for_many(measures, unit, months=months, until=until)
    grouped: dict[str, list[ChartView]] = {}
    for measure in measures:
        grouped.setdefault(group_key(measure), []).append(spc_chart(series[measure.key]))
    order = list(GROUPS)
    groups = [
        MeasureGroup(key, group_name(key), sorted(charts, key=lambda chart: chart.title.casefold()))
        for key, charts in sorted(
            grouped.items(),
            key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
        )
    ]
    return Catalogue(unit, groups, until, months)


def find_measure(key: str) -> Measure | None:
    try:
        return get(key)
    except UnknownMeasure:
        return None


def measure_chart(
    measure: Measure, unit: OrgUnit, *, until: dt.date | None = None, months: int | None = None
) -> ChartView:
    """One measure's chart for a unit."""
    months = months or settings.CANDOUR_CHART_MONTHS
    series = series_for_many([measure], unit, months=months, until=until or timezone.localdate())
    return spc_chart(series[measure.key])


def recalculations(measure: Measure, unit: OrgUnit) -> list[LimitRecalculation]:
    """Where a measure's limits for a unit were recalculated, oldest first, with who recorded each."""
    return list(
        LimitRecalculation.objects.filter(measure_key=measure.key, unit=unit)
        .select_related("recorded_by", "unit")
        .order_by("from_month")
    )
