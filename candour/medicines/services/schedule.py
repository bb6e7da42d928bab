"""The stock check schedule (settings per kind of premises) and the escalations the periodic job sends:
a missed check to the medicines lead, a discrepancy open too long to the CD accountable officer, each once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from candour.core import audit, outbox
from candour.medicines.models import Discrepancy, Premises, StockCheck
from candour.people.models import Membership
from candour.people.roles import Role

# Said when the caller has not looked up the last check (None means there has been none).
NOT_LOOKED_UP = object()


def next_check_due(premises: Premises, last_counted_at=NOT_LOOKED_UP) -> dt.datetime:
    """When the premises' next stock check is due: its interval after the last check (or its set-up)."""
    if last_counted_at is NOT_LOOKED_UP:
        last_counted_at = premises.stock_checks.aggregate(last=Max("counted_at"))["last"]
    start = last_counted_at or premises.created_at
    return start + dt.timedelta(hours=settings.CANDOUR_CD_CHECK_HOURS[premises.kind])


def is_missed(due: dt.datetime, now: dt.datetime) -> bool:
    return now > due + dt.timedelta(hours=settings.CANDOUR_CD_CHECK_GRACE_HOURS)


def _holders(role: str, premises: Premises) -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(role=role, unit_id__in=premises.unit.lineage_ids, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


@transaction.atomic
def escalate_missed_checks(*, now: dt.datetime) -> int:
    """Tell the medicines lead of each missed check, once per missed check; returns how many."""
    sent = 0
    # Locked first, then every premises' last check in one grouped query (PostgreSQL will not lock the
    # rows of a grouped query).
    everywhere = list(Premises.objects.select_for_update().select_related("unit"))
    last_counted = dict(
        StockCheck.objects.order_by()
        .values("premises")
        .annotate(last=Max("counted_at"))
        .values_list("premises", "last")
    )
    for premises in everywhere:
        due = next_check_due(premises, last_counted.get(premises.pk))
        if not is_missed(due, now) or premises.missed_check_escalated_for == due:
            continue
        body = (
            f"The stock check of {premises} ({premises.get_kind_display().lower()}, {premises.unit.name}) "
            f"was due at {due:%d %B %Y %H:%M} UTC and has not been done.\n\nSign in to Candour to read more."
        )
        outbox.send(
            [("Candour: controlled drugs check missed", body, None, _holders(Role.MEDICINES_LEAD, premises))]
        )
        premises.missed_check_escalated_for = due
        premises.save(update_fields=["missed_check_escalated_for", "updated_at"])
        audit.record(
            action="escalated_missed_cd_check",
            system="cd check schedule",
            target=premises,
            summary=f"{premises}: check due {due:%Y-%m-%d %H:%M} missed",
        )
        sent += 1
    return sent


@transaction.atomic
def escalate_open_discrepancies(*, now: dt.datetime) -> int:
    """Send each discrepancy open past the time limit to the CD accountable officer, once."""
    limit = now - dt.timedelta(hours=settings.CANDOUR_CD_DISCREPANCY_ESCALATE_HOURS)
    overdue = list(
        Discrepancy.objects.select_for_update()
        .filter(status=Discrepancy.Status.OPEN, escalated_at__isnull=True, created_at__lte=limit)
        .select_related("count__part__premises__unit", "count__part__drug")
    )
    for discrepancy in overdue:
        premises = discrepancy.count.part.premises
        body = (
            f"A discrepancy in {discrepancy.count.part} has been open for more than "
            f"{settings.CANDOUR_CD_DISCREPANCY_ESCALATE_HOURS} hours.\n\nSign in to Candour to read more."
        )
        recipients = _holders(Role.CD_ACCOUNTABLE_OFFICER, premises)
        outbox.send([("Candour: controlled drugs discrepancy unresolved", body, None, recipients)])
        discrepancy.escalated_at = now
        discrepancy.save(update_fields=["escalated_at", "updated_at"])
        audit.record(
            action="escalated_cd_discrepancy",
            system="cd discrepancy limit",
            target=discrepancy,
            summary=f"{discrepancy.count.part}: open past the time limit",
        )
    return len(overdue)
