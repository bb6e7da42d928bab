"""Recalculate a measure's process limits from the month a lasting shift began, and undo it. The only
writers of `LimitRecalculation`; each write is audited.

Making Data Count: when a run of points on one side of the mean shows the process has changed and the
change is understood, limits are recalculated from the start of the shift, so later months are judged
against the process as it now is. The offer, and the rule, is the chart's own `shift_start`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from candour.assurance.access import MANAGE_FRAMEWORK
from candour.assurance.models import LimitRecalculation
from candour.assurance.queries.catalogue import measure_chart
from candour.core import audit
from candour.core.measures import UnknownMeasure, get
from candour.core.refusals import Refused
from candour.people.access import scope_of
from candour.people.models import OrgUnit, User


def _require_manager(user: User, unit: OrgUnit) -> None:
    if not scope_of(user, MANAGE_FRAMEWORK).covers(unit):
        raise PermissionDenied


@transaction.atomic
def recalculate_limits(
    *, by: User, measure_key: str, unit: OrgUnit, from_month: dt.date, reason: str
) -> LimitRecalculation:
    """Start new limits for a measure's chart of a unit at the month its current shift began."""
    _require_manager(by, unit)
    try:
        measure = get(measure_key)
    except UnknownMeasure:
        raise Refused(f"No measure is registered with the key {measure_key!r}") from None
    reason = reason.strip()
    if not reason:
        raise Refused("Enter why the process has changed", field="reason")
    shift = measure_chart(measure, unit).shift_start
    if shift is None or shift.start != from_month:
        raise Refused(
            "Limits are recalculated from the month a shift began while the shift still runs, and the chart "
            f"shows none beginning in {from_month:%B %Y}. Look at the chart again: it may have changed."
        )
    recalculation = LimitRecalculation.objects.create(
        measure_key=measure_key, unit=unit, from_month=from_month, reason=reason, recorded_by=by
    )
    audit.record(
        action="recalculated_limits",
        actor=by,
        target=recalculation,
        summary=f"{measure.title}, {unit.name}: limits recalculated from {from_month:%B %Y}",
        changes={
            "measure_key": measure_key,
            "unit": str(unit.public_id),
            "from_month": from_month.isoformat(),
        },
    )
    return recalculation


@transaction.atomic
def undo_recalculation(*, by: User, recalculation: LimitRecalculation) -> None:
    """Go back to the limits as they were before a recalculation."""
    _require_manager(by, recalculation.unit)
    audit.record(
        action="undid_limit_recalculation",
        actor=by,
        target=recalculation,
        summary=(
            f"{recalculation.measure_key}, {recalculation.unit.name}: limits no longer recalculated from "
            f"{recalculation.from_month:%B %Y}"
        ),
        changes={
            "measure_key": recalculation.measure_key,
            "unit": str(recalculation.unit.public_id),
            "from_month": recalculation.from_month.isoformat(),
            "reason": recalculation.reason,
            "recorded_by": str(recalculation.recorded_by.public_id),
        },
    )
    recalculation.delete()
