"""Field safety notices and recalls: a notice applies to every asset of the trust of its make and model,
on the register now or added later, and each is tracked until it is actioned (ADR 0032)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.formatting import local_date
from candour.core.refusals import Refused
from candour.fleet.models import AffectedAsset, Asset, SafetyNotice
from candour.people.models import OrgUnit


def _matching(queryset, make: str, model: str):
    return queryset.filter(make__iexact=make.strip(), model__iexact=model.strip())


@transaction.atomic
def record_notice(
    *,
    by,
    trust: OrgUnit,
    reference: str,
    title: str,
    make: str,
    model: str,
    action_required: str,
    issued_on: dt.date,
) -> SafetyNotice:
    """Record a notice and apply it to every asset of its make and model in the trust. A make and model
    with no assets yet is allowed (the notice waits for them); a reference already used is refused."""
    reference, title, make, model = (text.strip() for text in (reference, title, make, model))
    problems: dict[str, str] = {}
    for field, text, what in (
        ("reference", reference, "the notice's reference"),
        ("title", title, "the notice's title"),
        ("make", make, "the make it applies to"),
        ("model", model, "the model it applies to"),
        ("action_required", action_required.strip(), "the action it requires"),
    ):
        if not text:
            problems[field] = f"Enter {what}"
    if reference and (used := SafetyNotice.objects.filter(trust=trust, reference__iexact=reference).first()):
        problems["reference"] = (
            f"The reference {used.reference} is already used by the notice “{used.title}” issued on "
            f"{local_date(used.issued_on)}"
        )
    if issued_on > timezone.localdate():
        problems["issued_on"] = (
            f"The date issued, {local_date(issued_on)}, is in the future: enter today or an earlier date"
        )
    if problems:
        raise Refused.from_problems(problems)
    notice = SafetyNotice.objects.create(
        trust=trust,
        reference=reference,
        title=title,
        make=make,
        model=model,
        action_required=action_required.strip(),
        issued_on=issued_on,
        recorded_by=by,
    )
    assets = _matching(Asset.objects.filter(station__in=OrgUnit.objects.stations_under(trust)), make, model)
    applied = AffectedAsset.objects.bulk_create(AffectedAsset(notice=notice, asset=asset) for asset in assets)
    audit.record(
        action="recorded_safety_notice",
        actor=by,
        target=notice,
        summary=f"{notice} ({make} {model}, {len(applied)} assets)",
        changes={"reference": reference, "make": make, "model": model, "assets": len(applied)},
    )
    return notice


def apply_notices_to(asset: Asset, *, by) -> int:
    """Put a newly registered asset under every notice of its trust for its make and model (the register's
    services call this inside their transaction). How many notices now apply to it."""
    notices = _matching(SafetyNotice.objects.filter(trust=asset.station.trust), asset.make, asset.model)
    applied = AffectedAsset.objects.bulk_create(
        AffectedAsset(notice=notice, asset=asset) for notice in notices
    )
    for each in applied:
        audit.record(
            action="applied_safety_notice",
            actor=by,
            target=each,
            summary=str(each),
            changes={"notice": each.notice.reference, "asset_tag": asset.asset_tag},
        )
    return len(applied)


@transaction.atomic
def action_notice(*, by, affected: AffectedAsset, actioned_on: dt.date, note: str) -> AffectedAsset:
    """Record that a notice was actioned on one asset: who, when and what was done."""
    affected = AffectedAsset.objects.select_for_update().select_related("notice", "asset").get(pk=affected.pk)
    notice, tag = affected.notice, affected.asset.asset_tag
    if affected.is_actioned:
        raise Refused(
            f"{notice.reference} was already actioned on {tag} by {affected.actioned_by} "
            f"on {local_date(affected.actioned_on)}"
        )
    problems: dict[str, str] = {}
    if not note.strip():
        problems["note"] = "Say what was done"
    if actioned_on > timezone.localdate():
        problems["actioned_on"] = (
            f"The date it was actioned, {local_date(actioned_on)}, is in the future: "
            "enter today or an earlier date"
        )
    elif actioned_on < notice.issued_on:
        problems["actioned_on"] = (
            f"The date it was actioned, {local_date(actioned_on)}, is before the notice was issued on "
            f"{local_date(notice.issued_on)}"
        )
    if problems:
        raise Refused.from_problems(problems)
    affected.actioned_on, affected.actioned_by, affected.note = actioned_on, by, note.strip()
    affected.save(update_fields=["actioned_on", "actioned_by", "note", "updated_at"])
    audit.record(
        action="actioned_safety_notice",
        actor=by,
        target=affected,
        summary=f"{notice.reference} actioned on {tag}",
        changes={"notice": notice.reference, "asset_tag": tag, "actioned_on": actioned_on},
    )
    return affected
