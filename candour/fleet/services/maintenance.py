"""Maintenance results, quarantine and usage readings: what keeps an asset's due dates and status true."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from candour.core import audit
from candour.core.months import add_months
from candour.core.refusals import Refused
from candour.fleet.access import QUARANTINE_ASSETS, RECORD_MAINTENANCE
from candour.fleet.models import (
    PASSING,
    Asset,
    AssetKind,
    AssetStatus,
    MaintenanceKind,
    MaintenanceResult,
    MaintenanceSchedule,
    Outcome,
    in_a_sentence,
)
from candour.fleet.services.register import loler_months
from candour.people.access import scope_of


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Result:
    """What was found, as the engineer's or examiner's report gives it."""

    asset_tag: str
    kind: str
    done_on: dt.date
    outcome: str
    usage_reading: int | None = None
    advisories: str = ""
    defects: str = ""
    danger_to_people: bool = False
    next_due_on: dt.date | None = None
    examiner: str = ""


@transaction.atomic
def record_result(*, by, result: Result) -> MaintenanceResult:
    """Record a service, test or examination against an asset's schedule. A pass moves the schedule's due
    date and usage on and lifts a quarantine it clears; a LOLER defect that is a danger to people
    quarantines the asset at once. Anything wrong is refused whole, naming the problem."""
    tag = result.asset_tag.strip()
    asset = (
        Asset.objects.select_for_update()
        .filter(asset_tag=tag, station_id__in=scope_of(by, RECORD_MAINTENANCE).unit_ids)
        .first()
    )
    if asset is None:
        raise Refused(
            f"No asset on the register you look after has the tag {tag or '(blank)'}", field="asset_tag"
        )
    if result.kind not in MaintenanceKind.values:
        raise Refused("Choose which kind of maintenance was done", field="kind")
    kind = MaintenanceKind(result.kind)
    schedule = MaintenanceSchedule.objects.filter(asset=asset, kind=kind).first()
    if schedule is None:
        raise Refused(f"{asset.asset_tag} has no {in_a_sentence(kind)} schedule", field="kind")
    problems = _result_problems(asset, schedule, result)
    if problems:
        raise Refused.from_problems(problems)

    recorded = MaintenanceResult.objects.create(
        schedule=schedule,
        asset=asset,
        done_on=result.done_on,
        outcome=result.outcome,
        usage_reading=result.usage_reading,
        advisories=result.advisories.strip(),
        defects=result.defects.strip(),
        danger_to_people=result.danger_to_people,
        next_due_on=result.next_due_on,
        examiner=result.examiner.strip(),
        recorded_by=by,
    )
    if result.usage_reading is not None and result.usage_reading > (asset.usage_reading or 0):
        asset.usage_reading = result.usage_reading
        asset.save(update_fields=["usage_reading", "updated_at"])
    audit.record(
        action="recorded_maintenance_result",
        actor=by,
        target=recorded,
        summary=f"{kind.label} of {asset.asset_tag}: {recorded.get_outcome_display()}",
        changes={
            "asset_tag": asset.asset_tag,
            "kind": kind.value,
            "done_on": result.done_on,
            "outcome": result.outcome,
            "danger_to_people": result.danger_to_people,
        },
    )
    if result.outcome in PASSING:
        _move_due_on(schedule, asset, recorded)
        if asset.is_quarantined and asset.quarantine_kind in ("", kind):
            _release(asset, by=by, because=recorded)
    elif result.danger_to_people:
        reason = (
            f"The LOLER thorough examination on {_day(result.done_on)} found a defect that is a danger to "
            f"people: {recorded.defects}"
        )
        _quarantine(asset, by=by, reason=reason, clears_with=MaintenanceKind.LOLER, on=result.done_on)
    return recorded


def _result_problems(asset: Asset, schedule: MaintenanceSchedule, result: Result) -> dict[str, str]:
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if result.done_on > today:
        problems["done_on"] = (
            f"The date it was done, {_day(result.done_on)}, is in the future: enter today or an earlier date"
        )
    if result.outcome not in Outcome.values:
        problems["outcome"] = "Choose the outcome: pass, pass with advisories, or fail with defects"
    if result.outcome == Outcome.FAIL and not result.defects.strip():
        problems["defects"] = "Describe the defects that failed it"
    if result.outcome == Outcome.PASS_WITH_ADVISORIES and not result.advisories.strip():
        problems["advisories"] = "Enter the advisories it passed with"
    if result.danger_to_people and (schedule.kind != MaintenanceKind.LOLER or result.outcome != Outcome.FAIL):
        problems["danger_to_people"] = (
            "Only a failed LOLER thorough examination can report a defect that is a danger to people"
        )
    if result.usage_reading is not None and not asset.usage_unit:
        problems["usage_reading"] = f"{asset.asset_tag} has no usage counted: leave the reading blank"
    if result.next_due_on is not None:
        if result.next_due_on <= result.done_on:
            problems["next_due_on"] = "The next due date must be after the date it was done"
        elif schedule.kind == MaintenanceKind.LOLER:
            months = loler_months(asset.loler_category)
            latest = add_months(result.done_on, months)
            if result.next_due_on > latest:
                category = asset.get_loler_category_display().lower()
                problems["next_due_on"] = (
                    f"LOLER requires the next thorough examination of {category} within {months} months, "
                    f"by {_day(latest)}: {_day(result.next_due_on)} is later"
                )
    return problems


def _move_due_on(schedule: MaintenanceSchedule, asset: Asset, recorded: MaintenanceResult) -> None:
    """A pass newer than the last one starts the intervals again from it."""
    if schedule.last_done_on is not None and recorded.done_on < schedule.last_done_on:
        return
    schedule.last_done_on = recorded.done_on
    if recorded.next_due_on is not None:
        schedule.next_due_on = recorded.next_due_on
    elif schedule.interval_months:
        schedule.next_due_on = add_months(recorded.done_on, schedule.interval_months)
    if schedule.usage_interval:
        reading = recorded.usage_reading if recorded.usage_reading is not None else asset.usage_reading
        schedule.next_due_usage = (reading or 0) + schedule.usage_interval
    schedule.save(update_fields=["last_done_on", "next_due_on", "next_due_usage", "updated_at"])


def _quarantine(asset: Asset, *, by, reason: str, clears_with: str, on: dt.date) -> None:
    _set_status(asset, AssetStatus.QUARANTINED, reason=reason, clears_with=clears_with, on=on)
    audit.record(
        action="quarantined_asset",
        actor=by,
        target=asset,
        summary=f"{asset.asset_tag} out of service",
        changes={"reason": reason, "cleared_by": clears_with or "any passing result"},
    )


def _release(asset: Asset, *, by, because: MaintenanceResult) -> None:
    _set_status(asset, AssetStatus.IN_SERVICE, reason="", clears_with="", on=None)
    audit.record(
        action="released_asset_from_quarantine",
        actor=by,
        target=asset,
        summary=f"{asset.asset_tag} back in service",
        changes={"result": str(because.public_id), "outcome": because.outcome},
    )


def _set_status(asset: Asset, status: str, *, reason: str, clears_with: str, on: dt.date | None) -> None:
    asset.status = status
    asset.quarantine_reason = reason
    asset.quarantine_kind = clears_with
    asset.quarantined_on = on
    asset.save(
        update_fields=["status", "quarantine_reason", "quarantine_kind", "quarantined_on", "updated_at"]
    )


@transaction.atomic
def quarantine_asset(*, by, asset: Asset, reason: str, clears_with: str = "") -> Asset:
    """Take an asset out of service, with a reason, until a passing result (of the kind named, or any)."""
    if not scope_of(by, QUARANTINE_ASSETS).covers(asset.station):
        raise PermissionDenied
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    problems: dict[str, str] = {}
    if asset.kind == AssetKind.VEHICLE:
        problems[None] = "A vehicle is taken off road, not quarantined: quarantine the equipment on it"
    elif asset.is_quarantined:
        problems[None] = f"{asset.asset_tag} is already quarantined: {asset.quarantine_reason}"
    if not reason.strip():
        problems["reason"] = "Enter why it is taken out of service"
    if clears_with and not asset.schedules.filter(kind=clears_with).exists():
        label = in_a_sentence(clears_with)
        problems["clears_with"] = f"{asset.asset_tag} has no {label} schedule to clear it"
    if problems:
        raise Refused.from_problems(problems)
    _quarantine(asset, by=by, reason=reason.strip(), clears_with=clears_with, on=timezone.localdate())
    return asset


@transaction.atomic
def record_usage(*, by, asset: Asset, reading: int) -> Asset:
    """A new odometer or usage counter reading; it never goes backwards."""
    if not scope_of(by, RECORD_MAINTENANCE).covers(asset.station):
        raise PermissionDenied
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if not asset.usage_unit:
        raise Refused(f"{asset.asset_tag} has no usage counted", field="reading")
    if asset.usage_reading is not None and reading < asset.usage_reading:
        raise Refused(
            f"The reading {reading:,} is lower than the last one, {asset.usage_reading:,} {asset.usage_unit}",
            field="reading",
        )
    before = asset.usage_reading
    asset.usage_reading = reading
    asset.save(update_fields=["usage_reading", "updated_at"])
    audit.record(
        action="recorded_usage_reading",
        actor=by,
        target=asset,
        summary=f"{asset.asset_tag}: {reading:,} {asset.usage_unit}",
        changes={"usage_reading": [before, reading]},
    )
    return asset
