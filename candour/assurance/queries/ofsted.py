"""Assurance queries: Ofsted monitoring. Each theme's last visit judgement, our own judgements since, and the
bound measures over time (from snapshots), for the theme pages and the readiness pack (STANDARDS.md §3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from candour.assurance.models import MonitoringTheme, MonitoringVisit, ThemeJudgement, ThemeMeasure
from candour.assurance.queries.framework import trust_unit
from candour.assurance.queries.measures import series_for_many
from candour.core.measures import MeasureSeries, exists


@dataclass(frozen=True)
class ThemeReadiness:
    theme: MonitoringTheme
    on: dt.date
    last_visit: MonitoringVisit | None
    visit_judgement: ThemeJudgement | None  # Ofsted's, at the last visit
    self_judgement: ThemeJudgement | None  # our latest
    self_judgements: list[ThemeJudgement]  # ours since the last visit (all, if none), newest first
    bound: list[ThemeMeasure]
    series: list[MeasureSeries]  # the bound measures still registered, since the last visit
    since: dt.date  # the first month the series cover

    @property
    def unregistered(self) -> list[ThemeMeasure]:
        return [bound for bound in self.bound if not exists(bound.measure_key)]


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def theme_readiness(theme: MonitoringTheme, *, on: dt.date) -> ThemeReadiness:
    """A theme as it stood on a day: the last visit and its judgement, our latest self-judgement, and the
    theme's measures (the trust's values) month by month since the last visit."""
    last_visit = MonitoringVisit.objects.filter(visited_on__lte=on, judgements__theme=theme).first()
    visit_judgement = (
        ThemeJudgement.objects.filter(visit=last_visit, theme=theme).first()
        if last_visit is not None
        else None
    )
    ours = ThemeJudgement.objects.filter(theme=theme, visit__isnull=True, judged_on__lte=on).select_related(
        "judged_by"
    )
    if last_visit is not None:
        since_visit = list(ours.filter(judged_on__gte=last_visit.visited_on))
    else:
        since_visit = list(ours)
    bound = list(ThemeMeasure.objects.filter(theme=theme))
    months = _months_between(last_visit.visited_on, on) if last_visit else settings.CANDOUR_CHART_MONTHS
    keys = [b.measure_key for b in bound if exists(b.measure_key)]
    trust = trust_unit()
    series = series_for_many(keys, trust, months=months, until=on) if keys and trust else {}
    return ThemeReadiness(
        theme=theme,
        on=on,
        last_visit=last_visit,
        visit_judgement=visit_judgement,
        self_judgement=ours.first(),
        self_judgements=since_visit,
        bound=bound,
        series=[series[key] for key in keys if key in series],
        since=_first_month(on, months),
    )


def _first_month(on: dt.date, months: int) -> dt.date:
    year, month = on.year, on.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class ThemeSummary:
    theme: MonitoringTheme
    visit_judgement: ThemeJudgement | None
    self_judgement: ThemeJudgement | None


@dataclass(frozen=True)
class MonitoringOverview:
    visits: list[MonitoringVisit]
    themes: list[ThemeSummary]


def monitoring_overview(*, on: dt.date) -> MonitoringOverview:
    """Every theme's last visit judgement and our latest self-judgement, and the visits so far."""
    visits = list(MonitoringVisit.objects.filter(visited_on__lte=on).prefetch_related("judgements__theme"))
    judgements = list(
        ThemeJudgement.objects.filter(judged_on__lte=on)
        .select_related("visit")
        .order_by("-judged_on", "-created_at")
    )
    summaries = []
    for theme in MonitoringTheme.objects.all():
        theirs = next((j for j in judgements if j.theme_id == theme.pk and j.visit_id), None)
        ours = next((j for j in judgements if j.theme_id == theme.pk and not j.visit_id), None)
        summaries.append(ThemeSummary(theme, theirs, ours))
    return MonitoringOverview(visits=visits, themes=summaries)
