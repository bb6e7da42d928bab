"""Mandatory element sets: reference data per record type, a new version each time the clinical audit lead
changes one, so that records are always measured against the set in force on their day."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.db import transaction

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import scope_of
from candour.records.access import EDIT_ELEMENT_SETS
from candour.records.models import ElementSet, PatientRecord

LONDON = zoneinfo.ZoneInfo("Europe/London")
LABEL_LENGTH = 120

CODE = re.compile(r"[a-z][a-z0-9_]{0,59}")


def element_set_on(record_type: str, day: dt.date) -> ElementSet | None:
    """The newest version of a record type's set in force on the day, or None before the first."""
    return (
        ElementSet.objects.filter(record_type=record_type, effective_from__lte=day)
        .order_by("-effective_from", "-version")
        .first()
    )


@transaction.atomic
def publish_element_set(
    *, by, record_type: str, elements: list[dict[str, str]], effective_from: dt.date
) -> ElementSet:
    """Publish the next version of a record type's mandatory elements, in force from a day. `by` is None
    for a system job; a person publishes only holding the permission trust-wide, as the sets are the trust's.
    The day may not be one whose records are already measured: a record keeps the judgement of the version
    in force when it was made."""
    if by is not None and not scope_of(by, EDIT_ELEMENT_SETS).trust_wide:
        raise Refused("Only a clinical audit lead for the whole trust publishes mandatory elements.")
    codes = [element.get("code", "") for element in elements]
    if not elements:
        raise Refused("A set needs at least one mandatory element.", field="elements")
    bad = [code for code in codes if not CODE.fullmatch(code)]
    if bad:
        raise Refused(
            f"Element codes are lower-case letters, digits and underscores; {bad[0]!r} is not.",
            field="elements",
        )
    if len(set(codes)) != len(codes):
        raise Refused("Each element appears once in a set.", field="elements")
    long_label = next((e["label"] for e in elements if len(e.get("label") or "") > LABEL_LENGTH), None)
    if long_label is not None:
        raise Refused(
            f"An element's label is {LABEL_LENGTH} characters or fewer; {long_label[:30]!r}... is longer.",
            field="elements",
        )
    latest = (
        ElementSet.objects.select_for_update().filter(record_type=record_type).order_by("-version").first()
    )
    if latest and effective_from < latest.effective_from:
        raise Refused(
            f"Version {latest.version} is in force from {latest.effective_from:%d/%m/%Y}; a new version "
            "starts on or after that day.",
            field="effective_from",
        )
    starts = dt.datetime.combine(effective_from, dt.time(), tzinfo=LONDON)
    measured = (
        PatientRecord.objects.filter(record_type=record_type, started_at__gte=starts)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    if measured is not None:
        last_day = measured.astimezone(LONDON).date()
        raise Refused(
            f"Records made on {effective_from:%d/%m/%Y} and after are already measured against the version "
            f"in force then, the last on {last_day:%d/%m/%Y}; a new version starts after that day.",
            field="effective_from",
        )
    made = ElementSet.objects.create(
        record_type=record_type,
        version=(latest.version + 1) if latest else 1,
        elements=[{"code": e["code"], "label": e.get("label") or e["code"]} for e in elements],
        effective_from=effective_from,
        published_by=by,
    )
    audit.record(
        action="published_element_set",
        actor=by,
        target=made,
        summary=f"Mandatory elements of {record_type}, version {made.version}",
        changes={"record_type": record_type, "version": made.version, "codes": codes},
    )
    return made
