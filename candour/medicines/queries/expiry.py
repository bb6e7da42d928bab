"""Stock by expiry: what is left of each batch at a premises, and across everything a reader may see, the
batches expired but still held and those expiring within the warning period (CANDOUR_CD_EXPIRY_WARNING_DAYS).
What is left of a batch is worked out by `medicines.lots` (first-expiry-first-out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from candour.core.tags import tag_colours
from candour.medicines import lots
from candour.medicines.access import VIEW_REGISTERS
from candour.medicines.models import Premises, RegisterPart
from candour.people.access import scope_of


@tag_colours({"expired": "red", "expiring": "orange", "in_date": "green", "not_recorded": "grey"})
class ExpiryStatus(StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"
    IN_DATE = "in_date"
    NOT_RECORDED = "not_recorded"

    @property
    def label(self) -> str:
        return {
            "expired": "Expired",
            "expiring": "Expiring soon",
            "in_date": "In date",
            "not_recorded": "Expiry not recorded",
        }[self.value]


@dataclass(frozen=True)
class HeldBatch:
    """What is left of one batch in one register part."""

    part: RegisterPart
    batch: str
    expires_on: dt.date | None
    quantity: int
    status: ExpiryStatus


@dataclass(frozen=True)
class ExpiryList:
    within_days: int
    expired: list[HeldBatch]
    expiring: list[HeldBatch]


def warning_days() -> int:
    return settings.CANDOUR_CD_EXPIRY_WARNING_DAYS


def _status(expires_on: dt.date | None, today: dt.date) -> ExpiryStatus:
    if expires_on is None:
        return ExpiryStatus.NOT_RECORDED
    if expires_on < today:
        return ExpiryStatus.EXPIRED
    if expires_on <= today + dt.timedelta(days=warning_days()):
        return ExpiryStatus.EXPIRING
    return ExpiryStatus.IN_DATE


def _held(parts) -> list[HeldBatch]:
    """Every batch left in the parts, soonest expiry first (unrecorded expiry last)."""
    found = lots.lots_of(parts.values("pk"))
    by_id = {part.pk: part for part in parts.filter(pk__in={lot.part_id for lot in found})}
    today = timezone.localdate()
    held = [
        HeldBatch(by_id[lot.part_id], lot.batch, lot.expires_on, lot.quantity, _status(lot.expires_on, today))
        for lot in found
    ]
    return sorted(
        held,
        key=lambda each: (
            each.expires_on is None,
            each.expires_on or dt.date.max,
            each.part.premises.name,
            str(each.part.drug),
            each.batch,
        ),
    )


def _parts():
    return RegisterPart.objects.select_related("drug", "premises__unit").order_by()


def stock_by_expiry(premises: Premises) -> list[HeldBatch]:
    """Every batch held at the premises, soonest expiry first."""
    return _held(_parts().filter(premises=premises))


def expiring_for(user) -> ExpiryList:
    """Across the premises the user may read: stock expired but still held, and stock expiring within the
    warning period."""
    held = _held(_parts().filter(premises__unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids))
    return ExpiryList(
        within_days=warning_days(),
        expired=[each for each in held if each.status == ExpiryStatus.EXPIRED],
        expiring=[each for each in held if each.status == ExpiryStatus.EXPIRING],
    )
