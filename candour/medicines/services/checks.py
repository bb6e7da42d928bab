"""Stock checks and the discrepancies they find. The person counting says what is there without being shown
the register's balance (a blind count); the service then reads each part's balance under its row lock, so
no entry can slip in between, keeps both on the count, and opens a discrepancy for every difference."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.medicines.access import KEEP_REGISTERS, RECORD_ENTRIES
from candour.medicines.models import (
    Discrepancy,
    DiscrepancyCategory,
    Premises,
    RegisterPart,
    StockCheck,
    StockCount,
)
from candour.medicines.services.onward import onward_problem
from candour.medicines.services.registers import _locked, balance_of
from candour.people.access import can
from candour.people.models import User


@transaction.atomic
def record_stock_check(
    *, by: User, premises: Premises, counted: dict[RegisterPart, int | None]
) -> StockCheck:
    """Record what was counted in each part (all of them, or one), then compare it with the register."""
    if not can(by, RECORD_ENTRIES, premises):
        raise PermissionDenied
    if not counted:
        raise Refused("Choose a register part to count", field="part")
    problems = {}
    for part, quantity in counted.items():
        if part.premises_id != premises.pk:
            raise Refused(f"{part.drug} is not held at {premises}", field="part")
        if quantity is None or quantity < 0:
            problems[str(part.public_id)] = (
                f"Enter how many {part.drug.unit_name}s of {part.drug} you counted"
            )
    if problems:
        raise Refused.from_problems(problems)
    check = StockCheck.objects.create(premises=premises, counted_by=by, counted_at=timezone.now())
    locked = _locked(*counted)
    differences = 0
    for part, quantity in counted.items():
        expected, _ = balance_of(locked[part.pk])
        count = StockCount.objects.create(stock_check=check, part=part, counted=quantity, expected=expected)
        if count.difference:
            differences += 1
            discrepancy = Discrepancy.objects.create(count=count)
            audit.record(
                action="opened_cd_discrepancy",
                actor=by,
                target=discrepancy,
                summary=f"{part}: counted {quantity}, the register says {expected}",
            )
    audit.record(
        action="recorded_stock_check",
        actor=by,
        target=check,
        summary=f"{premises}: {len(counted)} part(s) counted, {differences} with a difference",
    )
    return check


@transaction.atomic
def work_discrepancy(
    *, by: User, discrepancy: Discrepancy, category: str, notes: str, resolve: bool = False, outcome: str = ""
) -> Discrepancy:
    """Record the investigation of a discrepancy so far, and resolve it with an outcome when it is done."""
    discrepancy = Discrepancy.objects.select_for_update().get(pk=discrepancy.pk)
    if not can(by, KEEP_REGISTERS, discrepancy.count.part.premises):
        raise PermissionDenied
    problems = {}
    if discrepancy.status == Discrepancy.Status.RESOLVED:
        raise Refused("This discrepancy is resolved already; nothing has been changed")
    if category not in DiscrepancyCategory.values:
        problems["category"] = "Choose what kind of discrepancy this is"
    if resolve and category == DiscrepancyCategory.NOT_YET_KNOWN:
        problems["category"] = "Say what kind of discrepancy it was before resolving it"
    if resolve and not outcome.strip():
        problems["outcome"] = "Say what the investigation found before resolving the discrepancy"
    if resolve and category in DiscrepancyCategory.values:
        not_reported = onward_problem(discrepancy, category)
        if not_reported:
            problems["resolve"] = not_reported
    if problems:
        raise Refused.from_problems(problems)
    discrepancy.category = category
    discrepancy.notes = notes.strip()
    if resolve:
        discrepancy.status = Discrepancy.Status.RESOLVED
        discrepancy.outcome = outcome.strip()
        discrepancy.resolved_by = by
        discrepancy.resolved_at = timezone.now()
    discrepancy.save()
    audit.record(
        action="resolved_cd_discrepancy" if resolve else "updated_cd_discrepancy",
        actor=by,
        target=discrepancy,
        summary=f"{discrepancy.count.part}: {discrepancy.get_category_display()}",
    )
    return discrepancy
