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
    problems = result_problems(asset, schedule, result)
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
        reason = _danger_reason(result.done_on, recorded.defects)
        _quarantine(asset, by=by, reason=reason, clears_with=MaintenanceKind.LOLER, on=result.done_on)
    return recorded


def result_problems(
    asset: Asset, schedule: MaintenanceSchedule, result: Result, *, loler_limits: dict[str, int] | None = None
) -> dict[str, str]:
    """Everything wrong with a result for this asset's schedule, by field (empty when it may be recorded).
    The maintenance history import checks its rows with this too; `loler_limits` (category → months) saves
    it a query per row."""
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
            months = (loler_limits or {}).get(asset.loler_category) or loler_months(asset.loler_category)
            latest = add_months(result.done_on, months)
            if result.next_due_on > latest:
                category = asset.get_loler_category_display().lower()
                problems["next_due_on"] = (
                    f"LOLER requires the next thorough examination of {category} within {months} months, "
                    f"by {_day(latest)}: {_day(result.next_due_on)} is later"
                )
    return problems


def _move_due_on(schedule: MaintenanceSchedule, asset: Asset, recorded: MaintenanceResult) -> None:
    if _moved_on(schedule, asset, recorded):
        schedule.save(update_fields=[*MOVED_FIELDS, "updated_at"])


MOVED_FIELDS = ("last_done_on", "next_due_on", "next_due_usage")


def _moved_on(schedule: MaintenanceSchedule, asset: Asset, recorded: MaintenanceResult) -> bool:
    """A pass newer than the last one starts the intervals again from it (the schedule is changed, not
    saved); False when it is older and moves nothing."""
    if schedule.last_done_on is not None and recorded.done_on < schedule.last_done_on:
        return False
    schedule.last_done_on = recorded.done_on
    if recorded.next_due_on is not None:
        schedule.next_due_on = recorded.next_due_on
    elif schedule.interval_months:
        schedule.next_due_on = add_months(recorded.done_on, schedule.interval_months)
    if schedule.usage_interval:
        reading = recorded.usage_reading if recorded.usage_reading is not None else asset.usage_reading
        schedule.next_due_usage = (reading or 0) + schedule.usage_interval
    return True


def _quarantine(asset: Asset, *, by, reason: str, clears_with: str, on: dt.date, system: str = "") -> None:
    _set_status(asset, AssetStatus.QUARANTINED, reason=reason, clears_with=clears_with, on=on)
    audit.record(
        action="quarantined_asset",
        actor=by,
        system=system,
        target=asset,
        summary=f"{asset.asset_tag} out of service",
        changes={"reason": reason, "cleared_by": clears_with or "any passing result"},
    )


def _release(asset: Asset, *, by, because: MaintenanceResult, system: str = "") -> None:
    _set_status(asset, AssetStatus.IN_SERVICE, reason="", clears_with="", on=None)
    audit.record(
        action="released_asset_from_quarantine",
        actor=by,
        system=system,
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
    problem = usage_problem(asset, reading)
    if problem:
        raise Refused(problem, field="reading")
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


def usage_problem(asset: Asset, reading: int) -> str:
    """Why a usage reading cannot be taken for this asset ("" when it can): a reading never goes backwards.
    The odometer import checks its rows with this too."""
    if not asset.usage_unit:
        return f"{asset.asset_tag} has no usage counted"
    if asset.usage_reading is not None and reading < asset.usage_reading:
        return (
            f"The reading {reading:,} is lower than the last one, {asset.usage_reading:,} {asset.usage_unit}"
        )
    return ""


def _danger_reason(done_on: dt.date, defects: str) -> str:
    return (
        f"The LOLER thorough examination on {_day(done_on)} found a defect that is a danger to people: "
        f"{defects}"
    )


@dataclass
class HistoryApplied:
    """What results written in bulk (an import of maintenance history) changed beyond themselves."""

    schedules_moved: int = 0
    quarantined: int = 0
    released: int = 0


@transaction.atomic
def apply_recorded_results(*, by, schedule_ids, system: str = "") -> HistoryApplied:
    """Bring schedules and assets up to date with results already written in bulk, by the rules
    `record_result` applies one at a time: each schedule moves on from its newest pass (never back); a LOLER
    danger defect with no passing LOLER examination after it quarantines its asset; a quarantined asset is
    released by a pass of the kind that clears it, on or after the day it was quarantined. `by` is None when
    a system job imported them (`system` names it)."""
    applied = HistoryApplied()
    schedule_ids = set(schedule_ids)
    if not schedule_ids:
        return applied
    schedules = {
        schedule.pk: schedule
        for schedule in MaintenanceSchedule.objects.filter(pk__in=schedule_ids).select_related("asset")
    }
    asset_ids = {schedule.asset_id for schedule in schedules.values()}
    assets = {asset.pk: asset for asset in Asset.objects.select_for_update().filter(pk__in=asset_ids)}
    newest_pass: dict[int, MaintenanceResult] = {}
    newest_loler_pass: dict[int, dt.date] = {}
    newest_danger: dict[int, MaintenanceResult] = {}
    highest_reading: dict[int, int] = {}
    results = MaintenanceResult.objects.filter(asset_id__in=asset_ids).order_by("done_on", "created_at")
    for result in results.iterator(chunk_size=2000):
        if result.usage_reading is not None:
            highest_reading[result.asset_id] = max(
                highest_reading.get(result.asset_id, 0), result.usage_reading
            )
        if result.outcome in PASSING:
            newest_pass[result.schedule_id] = result
            if (
                result.schedule_id in schedules
                and schedules[result.schedule_id].kind == MaintenanceKind.LOLER
            ):
                newest_loler_pass[result.asset_id] = result.done_on
        elif result.danger_to_people:
            newest_danger[result.asset_id] = result

    for asset_id, reading in highest_reading.items():
        asset = assets[asset_id]
        if asset.usage_unit and reading > (asset.usage_reading or 0):
            asset.usage_reading = reading
            asset.save(update_fields=["usage_reading", "updated_at"])
    moved = []
    for schedule in schedules.values():
        schedule.asset = assets[schedule.asset_id]
        passed = newest_pass.get(schedule.pk)
        before = [getattr(schedule, name) for name in MOVED_FIELDS]
        moves = passed is not None and _moved_on(schedule, schedule.asset, passed)
        if moves and [getattr(schedule, name) for name in MOVED_FIELDS] != before:
            moved.append(schedule)
    for schedule in moved:
        schedule.updated_at = timezone.now()
    MaintenanceSchedule.objects.bulk_update(moved, [*MOVED_FIELDS, "updated_at"], batch_size=2000)
    applied.schedules_moved = len(moved)

    for asset in assets.values():
        danger = newest_danger.get(asset.pk)
        cleared_on = newest_loler_pass.get(asset.pk)
        if danger is not None and (cleared_on is None or cleared_on < danger.done_on):
            if not asset.is_quarantined:
                reason = _danger_reason(danger.done_on, danger.defects)
                _quarantine(
                    asset,
                    by=by,
                    reason=reason,
                    clears_with=MaintenanceKind.LOLER,
                    on=danger.done_on,
                    system=system,
                )
                applied.quarantined += 1
            continue
        if asset.is_quarantined:
            clearing = [
                newest_pass[schedule.pk]
                for schedule in schedules.values()
                if schedule.asset_id == asset.pk
                and schedule.pk in newest_pass
                and asset.quarantine_kind in ("", schedule.kind)
                and newest_pass[schedule.pk].done_on >= (asset.quarantined_on or dt.date.min)
            ]
            if clearing:
                _release(asset, by=by, because=clearing[-1], system=system)
                applied.released += 1
    return applied
