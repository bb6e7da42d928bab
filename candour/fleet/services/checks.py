"""The vehicle daily inspection: a crew's checklist at the start of a shift, the defects it raises, and
clearing them. A defect marked unsafe takes the vehicle off road until every unsafe defect is cleared."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from candour.core import audit
from candour.core.refusals import Refused
from candour.fleet.access import CHECK_VEHICLES, RECORD_MAINTENANCE
from candour.fleet.models import (
    CheckAnswer,
    ChecklistItem,
    Defect,
    DefectStatus,
    Shift,
    Vehicle,
    VehicleCheck,
    VehicleStatus,
)
from candour.people.access import scope_of


@dataclass(frozen=True)
class Answer:
    """One question's answer: yes or no; for a no, what is wrong and whether it makes the vehicle unsafe."""

    ok: bool | None
    note: str = ""
    unsafe: bool = False


def checklist_for(vehicle: Vehicle) -> list[ChecklistItem]:
    """The questions of this vehicle type's daily check, in order (reference data)."""
    return list(ChecklistItem.objects.filter(vehicle_type=vehicle.vehicle_type).order_by("position"))


def _already_sent(vehicle: Vehicle, shift_date, shift: str) -> Refused | None:
    done = VehicleCheck.objects.filter(vehicle=vehicle, shift_date=shift_date, shift=shift).first()
    if done is None:
        return None
    at = timezone.localtime(done.created_at).strftime("%H:%M")
    day = date_format(shift_date, "j F Y")
    return Refused(
        f"The {Shift(shift).label.lower()} check of {vehicle.call_sign} on {day} "
        f"was already sent by {done.done_by.display_name} at {at}: a shift has one check"
    )


@transaction.atomic
def submit_vehicle_check(*, by, vehicle: Vehicle, shift: str, answers: dict[int, Answer]) -> VehicleCheck:
    """Record a crew's check of a vehicle for today's shift. Every question needs an answer, every "no" a
    note, and each "no" raises a defect; one marked unsafe takes the vehicle off road. A second check for the
    same vehicle and shift is refused, and nothing is written."""
    if not scope_of(by, CHECK_VEHICLES).covers(vehicle.station):
        raise PermissionDenied
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    today = timezone.localdate()
    if shift not in Shift.values:
        raise Refused("Choose the shift: day or night", field="shift")
    if refused := _already_sent(vehicle, today, shift):
        raise refused
    items = checklist_for(vehicle)
    problems: dict[str, str] = {}
    for item in items:
        answer = answers.get(item.pk)
        if answer is None or answer.ok is None:
            problems[f"item_{item.pk}"] = f"Answer yes or no: {item.text}"
        elif not answer.ok and not answer.note.strip():
            problems[f"note_{item.pk}"] = f"Say what is wrong: {item.text}"
        elif answer.ok and answer.unsafe:
            problems[f"unsafe_{item.pk}"] = f'Only a "no" can make the vehicle unsafe: {item.text}'
    if unknown := set(answers) - {item.pk for item in items}:
        problems[None] = (
            f"{len(unknown)} answer(s) are not questions of this vehicle's check: reload the page"
        )
    if problems:
        raise Refused.from_problems(problems)
    try:
        with transaction.atomic():
            check = VehicleCheck.objects.create(vehicle=vehicle, shift_date=today, shift=shift, done_by=by)
    except IntegrityError:
        raise _already_sent(vehicle, today, shift) or Refused("This shift's check was already sent") from None
    CheckAnswer.objects.bulk_create(
        CheckAnswer(
            vehicle_check=check, item=item, ok=answers[item.pk].ok, note=answers[item.pk].note.strip()
        )
        for item in items
    )
    audit.record(
        action="submitted_vehicle_check",
        actor=by,
        target=check,
        summary=str(check),
        changes={"noes": sum(1 for item in items if not answers[item.pk].ok)},
    )
    unsafe = []
    for item in items:
        answer = answers[item.pk]
        if not answer.ok:
            defect = _raise_defect(by=by, vehicle=vehicle, check=check, item=item.text, answer=answer)
            if defect.unsafe:
                unsafe.append(defect)
    if unsafe and vehicle.status != VehicleStatus.OFF_ROAD:
        found = "; ".join(f"{defect.item}: {defect.note}" for defect in unsafe)
        _set_vehicle_status(
            vehicle, by=by, status=VehicleStatus.OFF_ROAD, reason=f"Unsafe at the daily check. {found}"
        )
    return check


def _raise_defect(*, by, vehicle: Vehicle, check: VehicleCheck, item: str, answer: Answer) -> Defect:
    defect = Defect.objects.create(
        vehicle=vehicle,
        vehicle_check=check,
        item=item,
        note=answer.note.strip(),
        unsafe=answer.unsafe,
        raised_by=by,
    )
    audit.record(
        action="raised_vehicle_defect",
        actor=by,
        target=defect,
        summary=f"{vehicle.call_sign}: {item}",
        changes={"unsafe": answer.unsafe},
    )
    return defect


def _set_vehicle_status(vehicle: Vehicle, *, by, status: str, reason: str) -> None:
    vehicle.status = status
    vehicle.off_road_reason = reason
    vehicle.save(update_fields=["status", "off_road_reason", "updated_at"])
    audit.record(
        action="took_vehicle_off_road" if status == VehicleStatus.OFF_ROAD else "returned_vehicle_to_service",
        actor=by,
        target=vehicle,
        summary=f"{vehicle.call_sign}: {VehicleStatus(status).label.lower()}",
        changes={"status": status, "reason": reason},
    )


@transaction.atomic
def clear_defect(*, by, defect: Defect, how: str) -> Defect:
    """The fleet team has put a defect right. When no unsafe defect is left open on an off-road vehicle
    taken off road by its check, the vehicle goes back into service."""
    if not scope_of(by, RECORD_MAINTENANCE).covers(defect.vehicle.station):
        raise PermissionDenied
    defect = Defect.objects.select_for_update().select_related("vehicle").get(pk=defect.pk)
    if defect.status == DefectStatus.CLEARED:
        raise Refused(f"This defect was already cleared on {date_format(defect.cleared_on, 'j F Y')}")
    if not how.strip():
        raise Refused("Say how it was put right", field="how")
    defect.status = DefectStatus.CLEARED
    defect.cleared_on = timezone.localdate()
    defect.cleared_by = by
    defect.how_cleared = how.strip()
    defect.save(update_fields=["status", "cleared_on", "cleared_by", "how_cleared", "updated_at"])
    audit.record(
        action="cleared_vehicle_defect",
        actor=by,
        target=defect,
        summary=f"{defect.vehicle.call_sign}: {defect.item}",
        changes={"how": defect.how_cleared},
    )
    vehicle = defect.vehicle
    still_unsafe = Defect.objects.open().filter(vehicle=vehicle, unsafe=True).exists()
    if vehicle.status == VehicleStatus.OFF_ROAD and defect.unsafe and not still_unsafe:
        _set_vehicle_status(vehicle, by=by, status=VehicleStatus.IN_SERVICE, reason="")
    return defect
