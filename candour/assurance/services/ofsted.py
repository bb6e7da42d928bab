"""Assurance services: Ofsted monitoring. The only code that writes monitoring visits, theme judgements
(Ofsted's at a visit, ours between visits) and the measures bound to a theme; each write is audited.

STANDARDS.md §3: "Monitoring visit judgements per theme: insufficient / reasonable / significant progress.
Themes include 'effective safeguarding arrangements'. Insufficient progress stops new apprentice starts."
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from candour.assurance.access import MANAGE_FRAMEWORK
from candour.assurance.models import MonitoringTheme, MonitoringVisit, Progress, ThemeJudgement, ThemeMeasure
from candour.assurance.services.framework import FrameworkRefused, check_measure_key, require_trust_wide
from candour.core import audit
from candour.people.models import User


def _check_progress(progress: str, field: str = "progress") -> None:
    if progress not in Progress.values:
        raise FrameworkRefused("Choose insufficient, reasonable or significant progress", field)


def _check_past(day: dt.date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise FrameworkRefused(f"The {what} must be today or in the past", field)


@transaction.atomic
def record_visit(
    *, by: User, visited_on: dt.date, judgements: dict[MonitoringTheme, str], summary: str = ""
) -> MonitoringVisit:
    """Record a monitoring visit and the progress Ofsted judged on each theme."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    _check_past(visited_on, "date of the visit", "visited_on")
    if not judgements:
        raise FrameworkRefused("Enter the judgement for at least one theme")
    for theme, progress in judgements.items():
        _check_progress(progress, f"theme_{theme.code}")
    visit = MonitoringVisit.objects.create(visited_on=visited_on, summary=summary.strip(), recorded_by=by)
    ThemeJudgement.objects.bulk_create(
        [
            ThemeJudgement(theme=theme, visit=visit, progress=progress, judged_on=visited_on, judged_by=by)
            for theme, progress in judgements.items()
        ]
    )
    audit.record(
        action="recorded_monitoring_visit",
        actor=by,
        target=visit,
        summary=str(visit),
        changes={
            "visited_on": visited_on,
            **{theme.code: progress for theme, progress in judgements.items()},
        },
    )
    return visit


@transaction.atomic
def record_self_judgement(
    *, by: User, theme: MonitoringTheme, progress: str, narrative: str, judged_on: dt.date | None = None
) -> ThemeJudgement:
    """Our own judgement of progress on a theme between visits, with what it rests on."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    _check_progress(progress)
    if not narrative.strip():
        raise FrameworkRefused("Enter the narrative: what the judgement rests on", "narrative")
    judged_on = judged_on or timezone.localdate()
    _check_past(judged_on, "date judged", "judged_on")
    judgement = ThemeJudgement.objects.create(
        theme=theme,
        visit=None,
        progress=progress,
        narrative=narrative.strip(),
        judged_on=judged_on,
        judged_by=by,
    )
    audit.record(
        action="self_judged_theme",
        actor=by,
        target=judgement,
        summary=f"{theme.code}: {progress}",
        changes={"theme": theme.code, "progress": progress, "narrative": True, "judged_on": judged_on},
    )
    return judgement


@transaction.atomic
def bind_theme_measure(*, by: User, theme: MonitoringTheme, measure_key: str) -> ThemeMeasure:
    """A registered measure that evidences a theme in its readiness pack."""
    require_trust_wide(by, MANAGE_FRAMEWORK)
    check_measure_key(measure_key)
    if ThemeMeasure.objects.filter(theme=theme, measure_key=measure_key).exists():
        raise FrameworkRefused("That measure is already bound to this theme", "measure_key")
    bound = ThemeMeasure.objects.create(theme=theme, measure_key=measure_key)
    audit.record(
        action="bound_theme_measure",
        actor=by,
        target=bound,
        summary=f"{measure_key} → {theme.code}",
        changes={"theme": theme.code, "measure_key": measure_key},
    )
    return bound


@transaction.atomic
def remove_theme_measure(*, by: User, bound: ThemeMeasure) -> None:
    require_trust_wide(by, MANAGE_FRAMEWORK)
    audit.record(
        action="removed_theme_measure",
        actor=by,
        target=bound,
        summary=f"{bound.measure_key} → {bound.theme.code}",
        changes={"theme": bound.theme.code, "measure_key": bound.measure_key},
    )
    bound.delete()
